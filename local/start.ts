// local/start.ts: `npm start`. Brings the local runtime up with no settings file needed, prints where it
// listens and the local function key, writes $POS_HUB_DATA_DIR/runtime.json for tools and tests, and on
// Ctrl-C or SIGTERM stops everything it started (Azurite included) and removes runtime.json.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rssBytes } from './processMemory';
import { startRuntime, type Runtime } from './runtime';

const MB = 1024 * 1024;

function describeFunctions(runtime: Runtime): string[] {
  return runtime.functions.map((fn) => {
    const t = fn.trigger;
    const route = `/${[runtime.routePrefix, String(t.route ?? fn.name)].filter((p) => p !== '').join('/')}`;
    if (t.type === 'httpTrigger')
      return `${fn.name} [${(t.methods as string[] | undefined)?.join(',') ?? 'ALL'} ${route}]`;
    if (t.type === 'timerTrigger') return `${fn.name} [timer ${String(t.schedule)}]`;
    return `${fn.name} [${t.type}]`;
  });
}

/** Written whole under a temporary name, then renamed: a reader never sees half a file. */
function writeRuntimeJson(file: string, runtime: Runtime): void {
  const info = {
    baseUrl: runtime.baseUrl,
    functionKey: runtime.functionKey,
    storageConnectionString: runtime.storageConnectionString,
    eventHubsConnectionString: runtime.eventHubsConnectionString,
    dataverseUrl: runtime.dataverseUrl,
    pid: process.pid,
    azuritePid: runtime.azuritePid,
  };
  writeFileSync(`${file}.tmp`, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

async function main(): Promise<void> {
  const runtime = await startRuntime({ port: Number(process.env.PORT ?? 7071) });
  // Time to ready counts from process start (module loading included), as a user waits for it.
  const readyMs = Math.round(process.uptime() * 1000);
  const nodeRss = rssBytes(process.pid);
  const azuriteRss = rssBytes(runtime.azuritePid);
  const runtimeJson = path.join(runtime.dataDir, 'runtime.json');
  writeRuntimeJson(runtimeJson, runtime);

  console.log(
    [
      `POS Hub local runtime ready in ${(readyMs / 1000).toFixed(1)} s`,
      `  Base URL:      ${runtime.baseUrl}`,
      `  Function key:  ${runtime.functionKey}  (local only: send it as x-functions-key)`,
      `  Functions:     ${describeFunctions(runtime).join(', ')}`,
      `  Memory (RSS):  ${Math.round((nodeRss + azuriteRss) / MB)} MB (node ${Math.round(nodeRss / MB)} MB + Azurite ${Math.round(azuriteRss / MB)} MB)`,
      `  Data:          ${runtime.dataDir}`,
      `  Ready stats:   readyMs=${readyMs} rssBytes=${nodeRss + azuriteRss}`,
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    rmSync(runtimeJson, { force: true });
    runtime.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`The local runtime did not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
