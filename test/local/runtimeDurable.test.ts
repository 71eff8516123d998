// The runtime wiring for Durable Functions: a durable client input for HTTP and timer starters, and
// the durable task webhooks served on the runtime's own HTTP server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRuntime, type Runtime } from '../../local/runtime';

let runtime: Runtime;
let dataDir: string;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-rtdf-'));
  runtime = await startRuntime({
    dataDir,
    entry: path.join(__dirname, '../fixtures/apps/durable/index'),
    log: (m) => logs.push(m),
  });
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function statusUntilDone(statusUrl: string): Promise<{ runtimeStatus: string; output: unknown }> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(statusUrl);
    const body = (await res.json()) as { runtimeStatus: string; output: unknown };
    if (body.runtimeStatus === 'Completed' || body.runtimeStatus === 'Failed') return body;
    await sleep(100);
  }
  throw new Error(`orchestration did not finish: ${logs.slice(-10).join('\n')}`);
}

test('an HTTP starter gets a durable client; the orchestration completes behind its status URL', async () => {
  const res = await fetch(`${runtime.baseUrl}/api/sums`, { method: 'POST', body: JSON.stringify([1, 2, 3]) });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { id: string; statusQueryGetUri: string };
  expect(res.headers.get('location')).toBe(body.statusQueryGetUri);
  expect(
    body.statusQueryGetUri.startsWith(`${runtime.baseUrl}/runtime/webhooks/durabletask/instances/${body.id}`),
  ).toBe(true);
  expect(await statusUntilDone(body.statusQueryGetUri)).toMatchObject({
    runtimeStatus: 'Completed',
    output: 12,
  });
});

test('a timer starter run by the admin API gets a durable client too', async () => {
  const res = await fetch(`${runtime.baseUrl}/admin/functions/startSumNightly`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey },
    body: '{"input":""}',
  });
  expect(res.status).toBe(202);
  const statusUrl = `${runtime.baseUrl}/runtime/webhooks/durabletask/instances/from-timer?taskHub=poshub&connection=Storage`;
  for (let i = 0; i < 50 && (await fetch(statusUrl)).status === 404; i++) await sleep(100);
  expect(await statusUntilDone(statusUrl)).toMatchObject({ runtimeStatus: 'Completed', output: 60 });
});

test('durable webhook paths the extension does not know answer 404', async () => {
  expect((await fetch(`${runtime.baseUrl}/runtime/webhooks/durabletask/nothing-here`)).status).toBe(404);
});
