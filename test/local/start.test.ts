// `npm start` as a process: ready with runtime.json, health answering, start-up time and idle memory
// measured, and a clean stop on SIGTERM that leaves no runtime.json and no Azurite behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.join(__dirname, '../..');
const MB = 1024 * 1024;
let dataDir: string;
let child: ChildProcess | undefined;
let stdout = '';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${stdout}`);
    await sleep(100);
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-start-'));
});

afterAll(async () => {
  // Only if a test failed half-way: never leave the runtime (and its Azurite) running.
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test('npm start: ready with runtime.json and health, then SIGTERM stops everything', async () => {
  // tsx runs the same local/start.ts that `npm run build` compiles to dist/local/start.js.
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', POS_HUB_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

  const file = path.join(dataDir, 'runtime.json');
  const info = await waitFor(
    'runtime.json',
    () =>
      existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined,
    25_000,
  );
  expect(Object.keys(info).sort()).toEqual([
    'azuritePid',
    'baseUrl',
    'dataverseUrl',
    'eventHubsConnectionString',
    'functionKey',
    'pid',
    'storageConnectionString',
  ]);
  expect(info.pid).toBe(child.pid);
  expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(info.storageConnectionString).toMatch(
    /AccountName=devstoreaccount1;.*BlobEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;/,
  );
  // The Dataverse stand-in, unless DATAVERSE_URL points elsewhere; it answers as the Web API does.
  if (process.env.DATAVERSE_URL) expect(info.dataverseUrl).toBe(process.env.DATAVERSE_URL);
  else {
    expect(info.dataverseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const rows = await fetch(`${String(info.dataverseUrl)}/api/data/v9.2/pos_transactions`, { headers: { authorization: 'Bearer local-dev' } });
    expect(rows.status).toBe(200);
  }
  const azuritePid = info.azuritePid as number;
  expect(isAlive(azuritePid)).toBe(true);

  // What a user sees: the base URL and the key (local only, printed on purpose).
  await waitFor('the ready banner', () => (stdout.includes('Ready stats:') ? true : undefined), 5000);
  expect(stdout).toContain(`Base URL:      ${String(info.baseUrl)}`);
  expect(stdout).toContain(`Function key:  ${String(info.functionKey)}`);
  expect(stdout).toContain('health [GET /api/v1/health]');

  const health = await fetch(`${String(info.baseUrl)}/api/v1/health`);
  expect(health.status).toBe(200);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  expect(await health.json()).toEqual({ status: 'ok', version: pkg.version });

  const stats = /readyMs=(\d+) rssBytes=(\d+)/.exec(stdout);
  const readyMs = Number(stats![1]);
  const rss = Number(stats![2]);
  process.stdout.write(
    `npm start measured: ready in ${readyMs} ms, idle RSS ${(rss / MB).toFixed(0)} MB (node + Azurite)\n`,
  );
  expect(readyMs).toBeLessThan(20_000);
  expect(rss).toBeLessThan(400 * MB);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(existsSync(file)).toBe(false);
  expect(isAlive(azuritePid)).toBe(false);
}, 40_000);
