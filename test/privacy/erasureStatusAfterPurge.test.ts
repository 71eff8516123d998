// GET /api/v1/admin/erasures/{erasureId} through the real app in the local runtime, before and after the
// daily history purge: before, the durable instance answers (its report, and the lasting record the run
// wrote); after, the instance is gone and the record alone answers `completed`. A damaged record blob
// does not break the answer, and an erasure with neither instance nor record stays 404.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { erase } from '../../cli/erase';
import type { Runtime } from '../../local/runtime';
import { blobNames, lakeOf, settledBatch, startHub } from '../webhooks/hubRuntime';

jest.setTimeout(90_000);

let runtime: Runtime;
let dataDir: string;
const logs: string[] = [];
const JANE = 'jane.rivera@example.com';
const order = readFileSync(path.join(__dirname, '../fixtures/shopify/order-web-discounts.json'));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-erasure-purge-'));
  // 0 days: every finished instance is old enough for the purge.
  runtime = await startHub(dataDir, { POS_HUB_HISTORY_RETENTION_DAYS: '0', POS_HUB_DEFAULT_TIMEZONE: 'America/New_York' }, logs);
  writeFileSync(path.join(dataDir, 'runtime.json'), JSON.stringify({ baseUrl: runtime.baseUrl, functionKey: runtime.functionKey }));
  const res = await fetch(`${runtime.baseUrl}/api/v1/ingest/shopify`, { method: 'POST', headers: { 'x-functions-key': runtime.functionKey, 'content-type': 'application/json' }, body: order });
  expect(res.status).toBe(202);
  const { batchId } = (await res.json()) as { batchId: string };
  expect(await settledBatch(runtime, batchId, logs)).toMatchObject({ status: 'completed', accepted: 1 });
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function erasureStatus(id: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${runtime.baseUrl}/api/v1/admin/erasures/${id}`, { headers: { 'x-functions-key': runtime.functionKey } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const instance = async (id: string) => (await fetch(`${runtime.baseUrl}/runtime/webhooks/durabletask/instances/${id}`)).status;

async function runPurge(): Promise<string> {
  const before = logs.length;
  const res = await fetch(`${runtime.baseUrl}/admin/functions/purgeHistory`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey, 'content-type': 'application/json' },
    body: '{"input":""}',
  });
  expect(res.status).toBe(202);
  for (let i = 0; i < 100; i++) {
    const line = logs.slice(before).find((l) => l.includes('purgeHistory: purged'));
    if (line) return line;
    await sleep(100);
  }
  throw new Error(`the purge did not run:\n${logs.slice(-20).join('\n')}`);
}

test('after the purge, a completed erasure answers 200 completed from its lasting record; 404 only with neither', async () => {
  let out = '';
  let err = '';
  const code = await erase(['--email', JANE, '--wait', '--data-dir', dataDir], (s) => (out += s), (s) => (err += s), {}, (ms) => sleep(Math.min(ms, 200)));
  expect([code, err]).toEqual([0, '']);
  const done = JSON.parse(out) as { erasureId: string; status: string; report: Record<string, unknown>; record: Record<string, unknown> };
  const { erasureId } = done;
  expect(erasureId).toMatch(/^erasure-[0-9a-f]{32}$/);

  // Before the purge: the instance's report, and the record the run wrote, as the lake holds it.
  const [recordBlob, ...others] = await blobNames(lakeOf(runtime), `audit/erasures/${erasureId}/`);
  expect(others).toEqual([]);
  const stored = JSON.parse((await lakeOf(runtime).getBlobClient(recordBlob!).downloadToBuffer()).toString()) as Record<string, unknown>;
  expect(done).toMatchObject({ status: 'completed', report: { dryRun: false, references: 1, curated: { transactions: 1 } } });
  expect(done.record).toEqual({
    erasureId,
    finishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    dryRun: false,
    references: 1,
    curatedTransactions: 1,
    curatedFilesRewritten: 1,
    rawBlobsDeleted: 1,
    quarantineEntries: 0,
    deadLettersDeleted: 0,
    workBlobsRewritten: expect.any(Number),
    contactsDeleted: 1,
    transactionsUnlinked: 1,
    batchesWaitedFor: 0,
    batchesStillRunning: 0,
  });
  expect(done.record).toEqual(stored);
  const before = await erasureStatus(erasureId);
  expect(before).toEqual({ status: 200, body: done });
  expect(await instance(erasureId)).toBe(200);

  expect(await runPurge()).toMatch(/purgeHistory: purged [1-9]\d* finished instance\(s\)/);
  expect(await instance(erasureId)).toBe(404);

  // After: the same erasure, completed, no report (it went with the history), the same record.
  const after = await erasureStatus(erasureId);
  expect(after).toEqual({ status: 200, body: { erasureId, status: 'completed', report: null, record: done.record } });

  // A newer blob that is not a record is passed over: the answer is still the run's record, not a 500.
  const lake = lakeOf(runtime);
  const garbled = `audit/erasures/${erasureId}/2999-01-01T00-00-00-000Z.json`;
  await lake.getBlockBlobClient(garbled).upload('{"erasureId": "', 15);
  expect(await erasureStatus(erasureId)).toEqual(after);

  // Neither instance nor a readable record: 404, as for an erasure never run.
  const never = 'erasure-0123456789abcdef0123456789abcdef';
  await lake.getBlockBlobClient(`audit/erasures/${never}/2026-11-30T10-00-00-000Z.json`).upload('not json', 8);
  for (const id of [never, 'erasure-00000000000000000000000000000000']) {
    const res = await erasureStatus(id);
    expect([id, res.status, res.body.type]).toEqual([id, 404, 'urn:pos-hub:problem:unknown-erasure']);
  }
});
