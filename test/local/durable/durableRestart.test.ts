// A durable runtime that dies in the middle of a fan-out loses nothing: a new runtime on the same
// storage finishes the orchestration without re-running the activities whose completion was recorded.
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { odata, TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite';
import { loadFunctionApp, type RegisteredFunction } from '../../../local/functionsCore';
import { startDurable, type DurableRuntime } from '../../../local/durable/durableRuntime';
import { durableClient, startTestServer, waitForFinish, waitUntil, type TestServer } from './durableHarness';
import type * as fixture from '../../fixtures/durable-app';

const TASK_HUB = 'RestartTests';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'durable-restart-'));
let azurite: AzuriteInstance;
let server: TestServer;
let functions: RegisteredFunction[];
let app: typeof fixture;
const runtimes: DurableRuntime[] = [];

beforeAll(async () => {
  azurite = await startAzurite({ location: dataDir });
  functions = loadFunctionApp(path.join(__dirname, '../../fixtures/durable-app/index.ts'));
  // Required after loadFunctionApp (which registered its functions), for the counters it exports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  app = require('../../fixtures/durable-app') as typeof fixture;
  app.fixtureSettings.storageConnectionString = azurite.connectionString;
  await TableClient.fromConnectionString(azurite.connectionString, app.WORK_TABLE, { allowInsecureConnection: true }).createTable();
  server = await startTestServer();
});

afterAll(async () => {
  for (const r of runtimes) await r.stop();
  await server?.close();
  await azurite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startRuntime(): Promise<DurableRuntime> {
  const runtime = await startDurable({
    functions,
    storageConnectionString: azurite.connectionString,
    taskHub: TASK_HUB,
    baseUrl: server.baseUrl,
    maxConcurrentActivities: 4,
  });
  runtimes.push(runtime);
  server.use(runtime);
  return runtime;
}

async function rows(table: string, partitionKey: string): Promise<Record<string, unknown>[]> {
  const client = TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
  const out: Record<string, unknown>[] = [];
  for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } })) out.push(row);
  return out;
}

/** Ids of the activities whose completion is in the committed history. */
async function completedTaskIds(instanceId: string): Promise<number[]> {
  const history = (await rows(`${TASK_HUB}Instances`, instanceId)).filter((r) => String(r.rowKey).startsWith('history|'));
  const events = history.map((r) => JSON.parse(String(r.Event)) as { EventType: number; TaskScheduledId?: number });
  return events.filter((e) => e.EventType === 5).map((e) => e.TaskScheduledId!);
}

test('a runtime killed mid fan-out is replaced by a new one that completes it, running each activity once in effect', async () => {
  const starter = functions.find((f) => f.name === 'StartOrchestration')!;
  const first = await startRuntime();
  const runId = 'run1';
  const id = await durableClient(starter, first).startNew('RecordedFanOut', { instanceId: 'restart-1', input: { runId, count: 20, delayMs: 250 } });

  const before = await waitUntil(async () => {
    const done = await completedTaskIds(id);
    return done.length >= 6 ? done : undefined;
  });
  await first.stop(); // the crash: in-flight activities are abandoned, only storage remains
  const recordedAtCrash = new Set(await completedTaskIds(id));
  expect(recordedAtCrash.size).toBeGreaterThanOrEqual(before.length);
  expect(recordedAtCrash.size).toBeLessThan(20);

  // The abandoned activities still finish their work (their results are lost with the runtime):
  // those are the ones the next runtime runs a second time.
  await new Promise((r) => setTimeout(r, 400));

  // Storage restarts too (same data folder, same ports): nothing the runtime relies on is in memory.
  const ports = { blobPort: azurite.blobPort, queuePort: azurite.queuePort, tablePort: azurite.tablePort };
  await azurite.stop();
  azurite = await startAzurite({ location: dataDir, ...ports });

  const second = await startRuntime();
  const status = await waitForFinish(durableClient(starter, second), id, 30000);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toBe(380); // 2 * (0 + 1 + ... + 19)

  const effects = (await rows(app.WORK_TABLE, `${runId}-effects`)).map((r) => Number(r.rowKey)).sort((a, b) => a - b);
  expect(effects).toEqual(Array.from({ length: 20 }, (_, k) => k));
  const attempts = new Map<number, number>();
  for (const r of await rows(app.WORK_TABLE, `${runId}-attempts`)) {
    const key = Number(String(r.rowKey).split('-')[0]);
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
  }
  // Task ids follow the keys (the fan-out schedules key k as task k).
  for (let key = 0; key < 20; key++) {
    if (recordedAtCrash.has(key)) expect([key, attempts.get(key)]).toEqual([key, 1]);
    else expect([1, 2]).toContain(attempts.get(key));
  }
  // The activities in flight at the crash ran twice; their effect is still recorded once (above).
  expect([...attempts.values()].filter((n) => n === 2).length).toBeGreaterThan(0);
  // Every activity's completion is in the history exactly once.
  expect((await completedTaskIds(id)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, k) => k));
});
