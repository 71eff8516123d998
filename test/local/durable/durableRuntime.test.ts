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
let instancesTable: TableClient;
const logs: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  functions = loadFunctionApp(path.join(__dirname, '../../fixtures/durable-app/index.ts'));
  // Required after loadFunctionApp (which registered its functions), for the counters it exports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
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
  instancesTable = TableClient.fromConnectionString(azurite.connectionString, `${TASK_HUB}Instances`, { allowInsecureConnection: true });
});

afterAll(async () => {
  await runtime?.stop();
  await server?.close();
  await azurite?.stop();
});

async function historyRows(instanceId: string): Promise<{ EventType: string; EventId: number; Name: string; RetryOf?: number }[]> {
  const rows = [];
  for await (const row of instancesTable.listEntities<{ EventType: string; EventId: number; Name: string; RetryOf?: number }>({
    // The history rows of the instance's partition (every execution).
    queryOptions: { filter: odata`PartitionKey eq ${instanceId} and RowKey ge 'history|' and RowKey lt 'history|~'` },
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

test('a fan-out of 50 activities fans in to the sum of their results', async () => {
  const id = await client.startNew('FanOutSum', { instanceId: 'fan-50', input: 50 });
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toBe(42925); // 1² + 2² + ... + 50²
  const rows = await historyRows(id);
  expect(rows.filter((r) => r.EventType === 'TaskScheduled').map((r) => r.EventId)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  expect(rows.filter((r) => r.EventType === 'TaskCompleted')).toHaveLength(50);
});

test('no more activities run at once than maxConcurrentActivities', async () => {
  const status = await waitForFinish(client, await client.startNew('OverlappingFanOut', { instanceId: 'bounded-1', input: 30 }));
  expect(status.output).toBe(30);
  expect(app.concurrency.max).toBe(8);
});

test('an activity that fails twice is retried after the retry timers and succeeds on the third attempt', async () => {
  const id = await client.startNew('Retrying', { instanceId: 'retry-ok', input: { key: 'retry-ok', failTimes: 2, maxAttempts: 5 } });
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toBe('ok after 3 attempts');
  expect(app.flakyAttempts.get('retry-ok')).toBe(3);
  // The host's retry protocol: TaskFailed(n), TimerCreated(n+1), TimerFired(n+1), TaskScheduled(n+2).
  const rows = (await historyRows(id)).filter((r) => !['OrchestratorStarted', 'OrchestratorCompleted'].includes(r.EventType));
  expect(rows.map((r) => `${r.EventType}${r.EventType === 'ExecutionStarted' || r.EventType === 'ExecutionCompleted' ? '' : `:${r.EventId}`}`)).toEqual([
    'ExecutionStarted',
    'TaskScheduled:0',
    'TaskFailed:-1',
    'TimerCreated:1',
    'TimerFired:-1',
    'TaskScheduled:2',
    'TaskFailed:-1',
    'TimerCreated:3',
    'TimerFired:-1',
    'TaskScheduled:4',
    'TaskCompleted:-1',
    'ExecutionCompleted',
  ]);
  expect(rows.filter((r) => r.RetryOf !== undefined).map((r) => r.EventId)).toEqual([1, 2, 3, 4]);
});

test('retries follow the backoff: 100 ms, then 200 ms', async () => {
  const id = await client.startNew('Retrying', { instanceId: 'retry-backoff', input: { key: 'retry-backoff', failTimes: 2, maxAttempts: 3 } });
  await waitForFinish(client, id);
  const status = await client.getStatus(id, { showHistory: true });
  const history = status.history as { EventType: string; EventId: number; FireAt?: string; Timestamp: string }[];
  const timers = history.filter((e) => e.EventType === 'TimerCreated');
  expect(timers.map((t) => new Date(t.FireAt!).getTime() - new Date(t.Timestamp).getTime())).toEqual([100, 200]);
});

test('when the retries are exhausted the failure is surfaced in the status', async () => {
  const id = await client.startNew('Retrying', { instanceId: 'retry-exhausted', input: { key: 'retry-exhausted', failTimes: 99, maxAttempts: 3 } });
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Failed');
  expect(app.flakyAttempts.get('retry-exhausted')).toBe(3);
  expect(String(status.output).split('\n')[0]).toBe("Orchestrator function 'Retrying' failed: Activity function 'Flaky' failed: attempt 3 failed ");
  const rows = await historyRows(id);
  expect(rows.filter((r) => r.EventType === 'TaskScheduled')).toHaveLength(3);
  // A retry timer follows the last failure too, as in the host; only then does the task fail.
  expect(rows.filter((r) => r.EventType === 'TimerFired')).toHaveLength(3);
});

test('a durable timer of one second fires and the orchestration completes after it', async () => {
  const started = Date.now();
  const id = await client.startNew('Timer', { instanceId: 'timer-1' });
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  const history = (await client.getStatus(id, { showHistory: true })).history as { EventType: string; FireAt?: string }[];
  const created = history.find((e) => e.EventType === 'TimerCreated')!;
  const fired = history.find((e) => e.EventType === 'TimerFired')!;
  expect(fired.FireAt).toBe(created.FireAt);
  expect(status.output).toBe(`timer fired at ${created.FireAt}`);
});

test('an external event raised through the client resumes the orchestration, whose custom status is visible while it waits', async () => {
  const id = await client.startNew('Approval', { instanceId: 'approval-1' });
  const waiting = await waitUntil(async () => {
    const s = await client.getStatus(id);
    return s.customStatus === 'waiting for approval' ? s : undefined;
  });
  expect(waiting.runtimeStatus).toBe('Running');
  await client.raiseEvent(id, 'Approval', { by: 'Ada' });
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toBe('Hello Ada!');
  expect(status.customStatus).toBe('approved');
});

test('Task.any takes whichever comes first: the event before the timer', async () => {
  const approved = await client.startNew('ApprovalOrTimeout', { instanceId: 'any-event', input: 10000 });
  await waitUntil(async () => ((await client.getStatus(approved)).runtimeStatus === 'Running' ? true : undefined));
  await client.raiseEvent(approved, 'Approval', { by: 'Grace' });
  expect((await waitForFinish(client, approved)).output).toBe('approved by Grace');
  const timedOut = await client.startNew('ApprovalOrTimeout', { instanceId: 'any-timer', input: 300 });
  expect((await waitForFinish(client, timedOut)).output).toBe('timed out');
});

test('sub-orchestrations return their output to the parent, with and without retry', async () => {
  const id = await client.startNew('Parent', { instanceId: 'parent-1' });
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toEqual({
    first: { instanceId: 'parent-1:0000', parent: 'parent-1', squared: 49 },
    named: { instanceId: 'parent-1-named', parent: 'parent-1', squared: 9 },
    retried: 'Hello parent-1!',
  });
  expect(app.flakyChildRuns.get('parent-1')).toBeGreaterThanOrEqual(2);
  // The first FlakyChild instance failed; the retry started a new one after the retry timer.
  expect((await client.getStatus('parent-1:0002')).runtimeStatus).toBe('Failed');
  expect((await client.getStatus('parent-1:0004')).runtimeStatus).toBe('Completed');
  const child = await client.getStatus('parent-1:0000');
  expect(child.name).toBe('Child');
  expect(child.input).toEqual({ n: 7 });
});

test('terminate stops a running instance and records the reason', async () => {
  const id = await client.startNew('Approval', { instanceId: 'terminate-1' });
  await waitUntil(async () => ((await client.getStatus(id)).runtimeStatus === 'Running' ? true : undefined));
  await client.terminate(id, 'no longer needed');
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Terminated');
  expect(status.output).toBe('no longer needed');
  await expect(client.raiseEvent(id, 'Approval', { by: 'late' })).resolves.toBeUndefined(); // 410: ignored, as in Azure
});

test('purge deletes a finished instance and its history', async () => {
  const id = await client.startNew('Sequence', { instanceId: 'purge-1' });
  await waitForFinish(client, id);
  expect((await historyRows(id)).length).toBeGreaterThan(0);
  expect(await client.purgeInstanceHistory(id)).toEqual({ instancesDeleted: 1 });
  expect(await historyRows(id)).toEqual([]);
  await expect(client.getStatus(id)).rejects.toThrow(/HTTP 404/);
  expect(await client.purgeInstanceHistory(id)).toEqual({ instancesDeleted: 0 });
});

test('starting an instance id that is still running fails; once it has finished it can be started again', async () => {
  await client.startNew('Approval', { instanceId: 'dup-1' });
  await expect(client.startNew('Approval', { instanceId: 'dup-1' })).rejects.toThrow(/unexpected status code: 409/);
  await client.raiseEvent('dup-1', 'Approval', { by: 'one' });
  expect((await waitForFinish(client, 'dup-1')).output).toBe('Hello one!');
  await client.startNew('Approval', { instanceId: 'dup-1' });
  await waitUntil(async () => ((await client.getStatus('dup-1')).customStatus === 'waiting for approval' ? true : undefined));
  await client.raiseEvent('dup-1', 'Approval', { by: 'two' });
  expect((await waitForFinish(client, 'dup-1')).output).toBe('Hello two!');
});

test('a non-deterministic orchestrator fails with a clear message', async () => {
  const id = await client.startNew('NonDeterministic', { instanceId: 'nondet-1' });
  const status = await waitForFinish(client, id);
  expect(status.runtimeStatus).toBe('Failed');
  expect(status.output).toBe(
    "Orchestrator function 'NonDeterministic' failed: Non-Deterministic workflow detected: a previous execution of this orchestration " +
      "scheduled an activity task named 'SayHello' with sequence ID 0, but the current replay scheduled an activity task named 'Square' instead. " +
      'Was a change made to the orchestrator code after this instance had already started running?',
  );
});

test('an orchestrator exception fails the instance with its message', async () => {
  const status = await waitForFinish(client, await client.startNew('Failing', { instanceId: 'failing-1' }));
  expect(status.runtimeStatus).toBe('Failed');
  expect(status.output).toBe("Orchestrator function 'Failing' failed: the orchestrator gave up");
});

test('continueAsNew restarts the instance with the new input and a fresh history', async () => {
  const status = await waitForFinish(client, await client.startNew('Counter', { instanceId: 'counter-1', input: 0 }));
  expect(status.output).toBe('counted to 3');
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toBe('counted to 3');
  expect(status.input).toBe(3);
});

test('an HTTP starter answers 202 with Location, Retry-After and management URLs that work', async () => {
  const request = new HttpRequest({
    url: `${server.baseUrl}/api/orchestrators/Sequence/http-1`,
    method: 'POST',
    params: { name: 'Sequence', id: 'http-1' },
  });
  const response = await invokeStarter(starter, runtime, request);
  expect(response.status).toBe(202);
  const hook = `${server.baseUrl}/runtime/webhooks/durabletask/instances/http-1`;
  const query = `taskHub=${TASK_HUB}&connection=Storage`;
  expect(response.headers.get('location')).toBe(`${hook}?${query}`);
  expect(response.headers.get('retry-after')).toBe('10');
  expect(await response.json()).toEqual({
    id: 'http-1',
    statusQueryGetUri: `${hook}?${query}`,
    sendEventPostUri: `${hook}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${hook}/terminate?reason={text}&${query}`,
    rewindPostUri: `${hook}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${hook}?${query}`,
    restartPostUri: `${hook}/restart?${query}`,
    suspendPostUri: `${hook}/suspend?reason={text}&${query}`,
    resumePostUri: `${hook}/resume?reason={text}&${query}`,
  });
  await waitForFinish(client, 'http-1');
  const polled = await fetch(`${hook}?${query}`);
  expect(polled.status).toBe(200);
  const body = (await polled.json()) as Record<string, unknown>;
  // The library's startNew posts "" when there is no input, which axios JSON-encodes: input is "".
  expect(body).toMatchObject({ name: 'Sequence', instanceId: 'http-1', runtimeStatus: 'Completed', input: '', customStatus: null, output: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'] });
  expect(new Date(String(body.lastUpdatedTime)).getTime()).toBeGreaterThanOrEqual(new Date(String(body.createdTime)).getTime());
});

test('the status URL answers 202 while running, 400 once failed and 404 for an unknown instance', async () => {
  const hook = `${server.baseUrl}/runtime/webhooks/durabletask/instances`;
  await client.startNew('Approval', { instanceId: 'codes-1' });
  const running = await fetch(`${hook}/codes-1`);
  expect(running.status).toBe(202);
  expect(((await running.json()) as { runtimeStatus: string }).runtimeStatus).toMatch(/^(Pending|Running)$/);
  await client.terminate('codes-1', 'done');
  await waitForFinish(client, 'codes-1');
  expect((await fetch(`${hook}/codes-1`)).status).toBe(400);
  expect((await fetch(`${hook}/nobody`)).status).toBe(404);
  expect((await fetch(`${server.baseUrl}/runtime/webhooks/durabletask/orchestrators/NoSuchOrchestrator`, { method: 'POST' })).status).toBe(400);
  expect((await fetch(`${server.baseUrl}/runtime/webhooks/durabletask/orchestrators/Sequence/a%23b`, { method: 'POST' })).status).toBe(400);
});

test('the orchestration never blocks the HTTP server: status answers quickly during a large fan-out', async () => {
  const id = await client.startNew('FanOutSum', { instanceId: 'fan-busy', input: 80 });
  const timings: number[] = [];
  while ((await client.getStatus(id)).runtimeStatus !== 'Completed') {
    const t = Date.now();
    await fetch(`${server.baseUrl}/runtime/webhooks/durabletask/instances/${id}`);
    timings.push(Date.now() - t);
  }
  expect((await client.getStatus(id)).output).toBe(173880); // sum of squares 1..80
  expect(Math.max(...timings)).toBeLessThan(1000);
});
