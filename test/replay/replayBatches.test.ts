// replayBatches' decisions with the orchestration client faked and the lake and counter on Azurite: the
// request shape, replay ids numbered per batch, the batch's own id and raw blob as the input, date
// replays found through the quarantine zone, and busy batches refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite } from '../../local/azurite';
import type { IngestBatchInput, OrchestrationRuntimeStatus } from '../../shared/ingest/acceptBatch';
import { writeRaw } from '../../shared/lake/writeRaw';
import { createReplayCounter } from '../../shared/replay/replayCounter';
import { parseReplayRequest, replayBatches, type ReplayDeps } from '../../shared/replay/replayBatches';
import type { BatchLedger, BatchRecord } from '../../shared/stores/batchLedger';

let azurite: Awaited<ReturnType<typeof startAzurite>>;
let dir: string;
let lake: ContainerClient;
let deps: ReplayDeps;
const started: [string, IngestBatchInput][] = [];
const statuses = new Map<string, OrchestrationRuntimeStatus>();
const records = new Map<string, BatchRecord>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pos-hub-replay-unit-'));
  azurite = await startAzurite({ location: dir });
  lake = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('lake');
  await lake.createIfNotExists();
  const raw = await writeRaw(lake, {
    source: 'toast',
    body: '{"guid":"o1"}',
    receivedAt: new Date('2026-11-30T08:00:00Z'),
    contentType: 'application/json',
    headers: { 'toast-restaurant-external-id': 'R-1', authorization: 'Bearer x' },
  });
  for (const batchId of ['toast-c-aaa', 'toast-c-bbb', 'toast-c-ccc']) {
    records.set(batchId, {
      batchId,
      source: 'toast',
      rawBlobName: raw.blobName,
      sha256: raw.sha256,
      contentType: 'application/json',
      receivedAt: '2026-11-30T08:00:00.000Z',
      status: 'completed',
      counts: null,
      findings: [],
      updatedAt: '2026-11-30T08:00:01.000Z',
    });
  }
  for (const [date, blob] of [['2026-11-29', 'toast-c-aaa'], ['2026-11-29', 'toast-c-bbb.dataverse'], ['2026-11-28', 'toast-c-ccc']]) {
    await lake.getBlockBlobClient(`quarantine/business_date=${date}/source=toast/batch-${blob}.ndjson`).uploadData(Buffer.from('{}\n'));
  }
  const ledger: BatchLedger = { get: async (id) => records.get(id) ?? null, create: async () => 'created', recordOutcome: async () => undefined };
  deps = {
    lake,
    ledger,
    replays: createReplayCounter(TableClient.fromConnectionString(azurite.connectionString, 'PosHubReplays', { allowInsecureConnection: true })),
    orchestrationStatus: async (id) => statuses.get(id) ?? null,
    startOrchestration: async (id, input) => {
      started.push([id, input]);
      statuses.set(id, 'Completed');
    },
  };
}, 30_000);

afterAll(async () => {
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a replay request names one batch or one business date', () => {
  expect(parseReplayRequest({ batchId: 'poslog-c-0123' })).toEqual({ ok: true, request: { batchId: 'poslog-c-0123' } });
  expect(parseReplayRequest({ businessDate: '2026-11-29' })).toEqual({ ok: true, request: { businessDate: '2026-11-29' } });
  const detail = (body: unknown) => {
    const r = parseReplayRequest(body);
    return r.ok ? null : [r.problem.status, r.problem.detail];
  };
  expect(detail({})).toEqual([400, 'give exactly one of `batchId` and `businessDate`']);
  expect(detail({ batchId: 'a', businessDate: '2026-11-29' })).toEqual([400, 'give exactly one of `batchId` and `businessDate`']);
  expect(detail({ batchId: '../etc' })).toEqual([400, '`batchId` is not a batch id']);
  expect(detail({ businessDate: '29.11.2026' })).toEqual([400, '`businessDate` is a date written YYYY-MM-DD']);
  expect(detail([1])).toEqual([400, 'the body is a JSON object with `batchId` or `businessDate`']);
});

test("a batch replays under a new instance id with the batch's own id, raw blob and kept headers", async () => {
  const first = await replayBatches(deps, { batchId: 'toast-c-ccc' });
  const second = await replayBatches(deps, { batchId: 'toast-c-ccc' });
  expect([first, second]).toEqual([
    { ok: true, replays: [{ batchId: 'toast-c-ccc', replayId: 'replay-toast-c-ccc-1' }], skipped: [] },
    { ok: true, replays: [{ batchId: 'toast-c-ccc', replayId: 'replay-toast-c-ccc-2' }], skipped: [] },
  ]);
  expect(started.at(-1)).toEqual([
    'replay-toast-c-ccc-2',
    {
      batchId: 'toast-c-ccc',
      source: 'toast',
      rawBlobName: records.get('toast-c-ccc')!.rawBlobName,
      contentType: 'application/json',
      receivedAt: '2026-11-30T08:00:00.000Z',
      headers: { 'toast-restaurant-external-id': 'R-1' },
    },
  ]);
});

test('a date replays every batch with quarantine entries on it (lake or Dataverse); a busy batch is skipped with the reason', async () => {
  statuses.set('toast-c-bbb', 'Running');
  const out = await replayBatches(deps, { businessDate: '2026-11-29' });
  expect(out).toEqual({
    ok: true,
    replays: [{ batchId: 'toast-c-aaa', replayId: 'replay-toast-c-aaa-1' }],
    skipped: [{ batchId: 'toast-c-bbb', reason: 'toast-c-bbb is Running; replay it once it has finished' }],
  });
  const single = await replayBatches(deps, { batchId: 'toast-c-bbb' });
  expect(single.ok ? null : [single.problem.status, single.problem.type]).toEqual([409, 'urn:pos-hub:problem:replay-in-progress']);
});

test('unknown batches and dates without quarantine are 404 problems that start nothing', async () => {
  const before = started.length;
  const unknown = await replayBatches(deps, { batchId: 'toast-c-nope' });
  const empty = await replayBatches(deps, { businessDate: '2026-01-01' });
  expect([unknown, empty].map((r) => (r.ok ? null : [r.problem.status, r.problem.detail]))).toEqual([
    [404, 'no batch toast-c-nope'],
    [404, 'no quarantined transactions on 2026-01-01'],
  ]);
  expect(started.length).toBe(before);
});

test('a batch whose raw payload was erased (or removed by retention) is a clear 404 problem, and skipped with that reason in a date replay', async () => {
  const rawBlobName = `raw/source=toast/received_date=2026-11-27/${'0'.repeat(64)}.json`;
  records.set('toast-c-erased', { ...records.get('toast-c-aaa')!, batchId: 'toast-c-erased', rawBlobName });
  await lake.getBlockBlobClient('quarantine/business_date=2026-11-27/source=toast/batch-toast-c-erased.ndjson').uploadData(Buffer.from('{}\n'));
  const before = started.length;
  const single = await replayBatches(deps, { batchId: 'toast-c-erased' });
  expect(single.ok ? null : single.problem).toEqual({
    type: 'urn:pos-hub:problem:nothing-to-replay',
    title: 'Nothing to replay',
    status: 404,
    detail: `raw payload erased or missing: ${rawBlobName}`,
  });
  const byDate = await replayBatches(deps, { businessDate: '2026-11-27' });
  expect(byDate).toEqual({ ok: true, replays: [], skipped: [{ batchId: 'toast-c-erased', reason: `raw payload erased or missing: ${rawBlobName}` }] });
  expect(started.length).toBe(before);
});
