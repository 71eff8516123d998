// test/simulate/hubProcess.ts: the local runtime as a process (`node dist/local/start.js`), as a user runs
// it: built first when dist/ is missing or older than the sources, started on a data folder, killed
// with SIGKILL (its Azurite child then stops itself: local/azurite.ts' orphan watchdog), restarted on the
// same folder, stopped with SIGTERM. Every process it starts is ended by pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = path.join(__dirname, '../..');
const START = path.join(root, 'dist/local/start.js');
const ENTRY = path.join(root, 'dist/functions/index.js');

export interface RuntimeInfo {
  baseUrl: string;
  functionKey: string;
  storageConnectionString: string;
  pid: number;
  azuritePid: number;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist/ is missing or older than what the runtime runs: functions/, shared/, local/. */
export function ensureBuilt(): void {
  const built =
    existsSync(START) && existsSync(ENTRY) ? Math.min(statSync(START).mtimeMs, statSync(ENTRY).mtimeMs) : 0;
  const sources = Math.max(...['functions', 'shared', 'local'].map((d) => newestSource(path.join(root, d))));
  if (built >= sources) return;
  const run = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', timeout: 110_000 });
  // tsc emits even with type errors elsewhere in the tree; what matters here is that the runtime is there.
  if (!existsSync(START) || !existsSync(ENTRY))
    throw new Error(`npm run build failed:\n${run.stdout}\n${run.stderr}`);
}

export class HubProcess {
  child: ChildProcess | null = null;
  info: RuntimeInfo | null = null;
  output = '';
  starts = 0;

  constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  get runtimeJson(): string {
    return path.join(this.dataDir, 'runtime.json');
  }

  /** Starts the runtime and waits until runtime.json names this very process (a killed one leaves its file). */
  async start(timeoutMs = 40_000): Promise<RuntimeInfo> {
    const child = spawn(process.execPath, [START], {
      cwd: root,
      env: { ...process.env, ...this.env, PORT: '0', POS_HUB_DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    child.stdout!.on('data', (c: Buffer) => (this.output = (this.output + c.toString()).slice(-2_000_000)));
    child.stderr!.on('data', (c: Buffer) => (this.output = (this.output + c.toString()).slice(-2_000_000)));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`the runtime exited with ${child.exitCode}:\n${this.output}`);
      try {
        const info = JSON.parse(readFileSync(this.runtimeJson, 'utf8')) as RuntimeInfo;
        if (info.pid === child.pid) return (this.info = info);
      } catch {
        // not written yet, or being replaced
      }
      if (Date.now() > deadline)
        throw new Error(`the runtime was not ready in ${timeoutMs} ms:\n${this.output}`);
      await sleep(100);
    }
  }

  /** SIGKILL, as a crash or an OOM kill; then waits for Azurite to follow (it saves its state on the way). */
  async kill(): Promise<void> {
    const child = this.child;
    const azuritePid = this.info?.azuritePid;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    if (azuritePid) await this.waitGone(azuritePid, 10_000);
  }

  /** SIGTERM, the clean stop; everything the runtime started stops with it. */
  async stop(): Promise<void> {
    const child = this.child;
    const azuritePid = this.info?.azuritePid;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    if (azuritePid) await this.waitGone(azuritePid, 10_000);
  }

  private async waitGone(pid: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid)) {
      if (Date.now() > deadline) {
        // The watchdog did not fire: end it ourselves, by its pid, once sure the pid is still Azurite.
        if (cmdlineOf(pid).includes('azurite')) process.kill(pid, 'SIGKILL');
        await sleep(200);
        return;
      }
      await sleep(100);
    }
  }
}
