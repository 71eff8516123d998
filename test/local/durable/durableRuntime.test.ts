// The durable runtime drives the real durable-functions library against real Azurite tables.
import path from 'node:path';
import { HttpRequest } from '@azure/functions';
import { odata, TableClient } from '@azure/data-tables';
import type * as df from 'durable-functions';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite';
import { loadFunctionApp, type RegisteredFunction } from '../../../local/functionsCore';
import { startDurable, type DurableRuntime } from '../../../local/durable/durableRuntime';
import { durableClient, invokeStarter, startTestServer, waitForFinish, waitUntil, type TestServer } from './durableHarness';
import type * as fixture from '../../fixtures/durable-app';

const TASK_HUB = 'DurableTests';
let azurite: AzuriteInstance;
let server: TestServer;
let runtime: DurableRuntime;
let functions: RegisteredFunction[];
let starter: RegisteredFunction;
let client: df.DurableClient;
let app: typeof fixture;
let historyTable: TableClient;
const logs: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  functions = loadFunctionApp(path.join(__dirname, '../../fixtures/durable-app/index.ts'));
  app = require('../../fixtures/durable-app') as typeof fixture;
  app.fixtureSettings.storageConnectionString = azurite.connectionString;
  starter = functions.find((f) => f.name === 'StartOrchestration')!;
  server = await startTestServer();
  runtime = await startDurable({
    functions,
    storageConnectionString: azurite.connectionString,
    taskHub: TASK_HUB,
    baseUrl: server.baseUrl,
    maxConcurrentActivities: 8,
    log: (m) => logs.push(m),
  });
  server.use(runtime);
  client = durableClient(starter, runtime);
  historyTable = TableClient.fromConnectionString(azurite.connectionString, `${TASK_HUB}History`, { allowInsecureConnection: true });
});

afterAll(async () => {
  await runtime?.stop();
  await server?.close();
  await azurite?.stop();
});

async function historyRows(instanceId: string): Promise<{ EventType: string; EventId: number; Name: string; RetryOf?: number }[]> {
  const rows = [];
  for await (const row of historyTable.listEntities<{ EventType: string; EventId: number; Name: string; RetryOf?: number }>({
    queryOptions: { filter: odata`PartitionKey eq ${instanceId}` },
  })) {
    rows.push({ EventType: row.EventType, EventId: row.EventId, Name: row.Name, ...(row.RetryOf !== undefined ? { RetryOf: row.RetryOf } : {}) });
  }
  return rows;
}

test('a sequence of three activities completes with their results in order', async () => {
  const id = await client.startNew('Sequence', { instanceId: 'seq-1' });
  expect(id).toBe('seq-1');
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toEqual(['Hello Tokyo!', 'Hello Seattle!', 'Hello London!']);
  const scheduled = (await historyRows(id)).filter((r) => r.EventType === 'TaskScheduled');
  expect(scheduled).toEqual([
    { EventType: 'TaskScheduled', EventId: 0, Name: 'SayHello' },
    { EventType: 'TaskScheduled', EventId: 1, Name: 'SayHello' },
    { EventType: 'TaskScheduled', EventId: 2, Name: 'SayHello' },
  ]);
});
