// host.json's durableTask concurrency limits, as the local runtime applies them: with one orchestration
// step at a time and two activities, parents waiting on sub-orchestrations and fan-outs running side by
// side still all finish (a waiting orchestration holds no step slot), with the right results.
import path from 'node:path';
import type * as df from 'durable-functions';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite';
import { loadFunctionApp } from '../../../local/functionsCore';
import { startDurable, type DurableRuntime } from '../../../local/durable/durableRuntime';
import { durableClient, startTestServer, waitForFinish, type TestServer } from './durableHarness';
import type * as fixture from '../../fixtures/durable-app';

let azurite: AzuriteInstance;
let server: TestServer;
let runtime: DurableRuntime;
let client: df.DurableClient;
let app: typeof fixture;

beforeAll(async () => {
  azurite = await startAzurite();
  const functions = loadFunctionApp(path.join(__dirname, '../../fixtures/durable-app/index.ts'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  app = require('../../fixtures/durable-app') as typeof fixture;
  app.fixtureSettings.storageConnectionString = azurite.connectionString;
  server = await startTestServer();
  runtime = await startDurable({
    functions,
    storageConnectionString: azurite.connectionString,
    taskHub: 'DurableLimits',
    baseUrl: server.baseUrl,
    maxConcurrentActivities: 2,
    maxConcurrentOrchestrations: 1,
  });
  server.use(runtime);
  client = durableClient(functions.find((f) => f.name === 'StartOrchestration')!, runtime);
});

afterAll(async () => {
  await runtime?.stop();
  await server?.close();
  await azurite?.stop();
});

test('one orchestration step and two activities at a time: parents, children and fan-outs all finish', async () => {
  app.concurrency.max = 0;
  const ids = await Promise.all([
    client.startNew('Parent', { instanceId: 'limits-parent' }),
    client.startNew('FanOutSum', { instanceId: 'limits-fan-a', input: 12 }),
    client.startNew('FanOutSum', { instanceId: 'limits-fan-b', input: 20 }),
    client.startNew('OverlappingFanOut', { instanceId: 'limits-overlap', input: 10 }),
  ]);
  const statuses = await Promise.all(ids.map((id) => waitForFinish(client, id, 60_000)));
  expect(statuses.map((s) => s.runtimeStatus)).toEqual(['Completed', 'Completed', 'Completed', 'Completed']);
  expect(statuses[0]!.output).toMatchObject({ first: { squared: 49 }, named: { squared: 9 }, retried: 'Hello limits-parent!' });
  expect(statuses[1]!.output).toBe(650); // 1² + ... + 12²
  expect(statuses[2]!.output).toBe(2870); // 1² + ... + 20²
  expect(statuses[3]!.output).toBe(10);
  expect(app.concurrency.max).toBeGreaterThanOrEqual(1);
  expect(app.concurrency.max).toBeLessThanOrEqual(2);
}, 90_000);
