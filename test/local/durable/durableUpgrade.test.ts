// A data folder written by an earlier version keeps the history in <hub>History, keyed
// `<executionId>|<seq>`; this version keeps it in the instances partition. An instance whose first
// steps the earlier version committed carries on: its history is read from both, in order, rows
// past historyLength (an earlier commit cut short) are ignored, and purge deletes both.
import path from 'node:path';
import { odata, TableClient } from '@azure/data-tables';
import type * as df from 'durable-functions';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite';
import { loadFunctionApp, type RegisteredFunction } from '../../../local/functionsCore';
import { startDurable, type DurableRuntime } from '../../../local/durable/durableRuntime';
import { durableClient, startTestServer, waitForFinish, waitUntil, type TestServer } from './durableHarness';
import type * as fixture from '../../fixtures/durable-app';

const TASK_HUB = 'UpgradeTests';
let azurite: AzuriteInstance;
let server: TestServer;
let functions: RegisteredFunction[];
let instancesTable: TableClient;
let legacyTable: TableClient;
const runtimes: DurableRuntime[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  functions = loadFunctionApp(path.join(__dirname, '../../fixtures/durable-app/index.ts'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const app = require('../../fixtures/durable-app') as typeof fixture;
  app.fixtureSettings.storageConnectionString = azurite.connectionString;
  server = await startTestServer();
  const table = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  instancesTable = table(`${TASK_HUB}Instances`);
  legacyTable = table(`${TASK_HUB}History`);
});

afterAll(async () => {
  for (const r of runtimes) await r.stop();
  await server?.close();
  await azurite?.stop();
});

async function startRuntime(): Promise<df.DurableClient> {
  const runtime = await startDurable({ functions, storageConnectionString: azurite.connectionString, taskHub: TASK_HUB, baseUrl: server.baseUrl });
  runtimes.push(runtime);
  server.use(runtime);
  return durableClient(functions.find((f) => f.name === 'StartOrchestration')!, runtime);
}

async function rows(table: TableClient, partitionKey: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } })) out.push(row);
  return out;
}

/** Rewrites an instance's history the way the earlier version stored it. */
async function moveHistoryToLegacyTable(instanceId: string): Promise<number> {
  const history = (await rows(instancesTable, instanceId)).filter((r) => String(r.rowKey).startsWith('history|'));
  for (const row of history) {
    const { partitionKey, rowKey, ExecutionId, EventType, EventId, Name, RetryOf, Event } = row;
    const legacyKey = String(rowKey).slice('history|'.length);
    await legacyTable.createEntity({ partitionKey: String(partitionKey), rowKey: legacyKey, ExecutionId, EventType, EventId, Name, ...(RetryOf !== undefined ? { RetryOf } : {}), Event });
    await instancesTable.deleteEntity(String(partitionKey), String(rowKey));
  }
  return history.length;
}

function eventTypes(status: df.DurableOrchestrationStatus): string[] {
  return (status.history as { EventType: string }[]).map((e) => e.EventType);
}

test('an instance whose first steps were committed with the history in <hub>History completes, and purge deletes both', async () => {
  const first = await startRuntime();
  const waiting = async (c: df.DurableClient, id: string) =>
    waitUntil(async () => ((await c.getStatus(id)).customStatus === 'waiting for approval' ? true : undefined));
  await first.startNew('Approval', { instanceId: 'legacy-1' });
  await first.startNew('Approval', { instanceId: 'fresh-1' });
  await waiting(first, 'legacy-1');
  await waiting(first, 'fresh-1');
  await runtimes[0]!.stop();

  await legacyTable.createTable();
  const moved = await moveHistoryToLegacyTable('legacy-1');
  expect(moved).toBeGreaterThan(0);
  const state = (await rows(instancesTable, 'legacy-1')).find((r) => r.rowKey === 'state')!;
  const { executionId, historyLength } = JSON.parse(String(state.State)) as { executionId: string; historyLength: number };
  expect(historyLength).toBe(moved);
  // A history row past historyLength: an earlier version's commit that never reached its second phase.
  await legacyTable.createEntity({
    partitionKey: 'legacy-1',
    rowKey: `${executionId}|${String(historyLength).padStart(8, '0')}`,
    ExecutionId: executionId,
    EventType: 'ExecutionTerminated',
    EventId: -1,
    Name: '',
    Event: JSON.stringify({ EventType: 3, EventId: -1, IsPlayed: false, Timestamp: new Date().toISOString(), Input: '"stale"' }),
  });

  const second = await startRuntime();
  for (const id of ['legacy-1', 'fresh-1']) await second.raiseEvent(id, 'Approval', { by: 'Ada' });
  const legacy = await waitForFinish(second, 'legacy-1');
  expect(legacy.runtimeStatus).toBe('Completed');
  expect(legacy.output).toBe('Hello Ada!');
  const fresh = await waitForFinish(second, 'fresh-1');
  const legacyHistory = await second.getStatus('legacy-1', { showHistory: true });
  const freshHistory = await second.getStatus('fresh-1', { showHistory: true });
  expect(eventTypes(legacyHistory)).toEqual(eventTypes(freshHistory));
  expect(eventTypes(legacyHistory)).toContain('TaskCompleted');
  expect(fresh.output).toBe('Hello Ada!');

  expect(await second.purgeInstanceHistory('legacy-1')).toEqual({ instancesDeleted: 1 });
  expect(await rows(legacyTable, 'legacy-1')).toEqual([]);
  expect(await rows(instancesTable, 'legacy-1')).toEqual([]);
  expect(await second.purgeInstanceHistory('fresh-1')).toEqual({ instancesDeleted: 1 });
  expect(await rows(instancesTable, 'fresh-1')).toEqual([]);
});
