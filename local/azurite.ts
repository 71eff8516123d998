// local/azurite.ts: Azurite (blob, queue, table) as a child process on loopback. `require('azurite')`
// is not usable as a library, so the binary is spawned and stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface AzuriteInstance {
  blobPort: number;
  queuePort: number;
  tablePort: number;
  pid: number;
  /** Connection string for the well-known development account (local emulator only). */
  connectionString: string;
  stop(): Promise<void>;
}

/** The documented Azurite development account; public, not a secret. */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function devConnectionString(blobPort: number, queuePort: number, tablePort: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${DEV_ACCOUNT};` +
    `QueueEndpoint=http://127.0.0.1:${queuePort}/${DEV_ACCOUNT};` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/${DEV_ACCOUNT};`
  );
}

export interface AzuriteOptions {
  /** Folder for persistent state; in memory when absent. */
  location?: string;
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  startTimeoutMs?: number;
}

// Preloaded into the Azurite process: if the runtime dies without stopping it (SIGKILL, a crash), the
// child is re-parented, and it then stops itself through its own SIGTERM handler, which saves state.
const ORPHAN_WATCHDOG =
  'data:text/javascript,' +
  encodeURIComponent(
    // Once the parent is gone its end of our stdout/stderr pipes is closed: Azurite's shutdown message
    // would then throw EPIPE and crash the process before it saves its table store (autosaved every
    // 5 s), losing table writes it had already acknowledged. Ignore those pipe errors.
    'process.stdout.on("error", () => {}); process.stderr.on("error", () => {}); ' +
      'const parent = process.ppid; setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, "SIGTERM"); }, 500).unref();',
  );

/** Starts Azurite and resolves once all three services are listening. */
export function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteInstance> {
  const bin = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  const args = [
    '--import',
    ORPHAN_WATCHDOG,
    bin,
    '--silent',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--loose',
    '--blobHost',
    '127.0.0.1',
    '--queueHost',
    '127.0.0.1',
    '--tableHost',
    '127.0.0.1',
    '--blobPort',
    String(options.blobPort ?? 0),
    '--queuePort',
    String(options.queuePort ?? 0),
    '--tablePort',
    String(options.tablePort ?? 0),
  ];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const ports: Record<string, number> = {};
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start in time: ${out.slice(-500)}`));
    }, options.startTimeoutMs ?? 30000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/g,
      )) {
        ports[m[1]!.toLowerCase()] = Number(m[2]);
      }
      if (ports.blob && ports.queue && ports.table) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({
          blobPort: ports.blob,
          queuePort: ports.queue,
          tablePort: ports.table,
          pid: child.pid!,
          connectionString: devConnectionString(ports.blob, ports.queue, ports.table),
          stop: () => stopChild(child),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code}: ${out.slice(-500)}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
