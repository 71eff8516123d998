// acceptBatch against real Azurite (lake blobs, ledger table), with the orchestration starter recorded:
// the shared entry point the ingest API, webhooks and Event Hubs all use.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../../local/azurite';
import { acceptBatch, type AcceptBatchDeps, type IngestBatchInput, type OrchestrationRuntimeStatus } from '../../shared/ingest/acceptBatch';
import { batchIdOf } from '../../shared/ingest/batchIdOf';
import { rawBlobName } from '../../shared/lake/writeRaw';
import { BATCH_LEDGER_TABLE, createBatchLedger } from '../../shared/stores/batchLedger';

const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));
let azurite: AzuriteInstance;
let lake: ContainerClient;
let deps: AcceptBatchDeps;
const started: Array<{ id: string; input: IngestBatchInput }> = [];
const statuses = new Map<string, OrchestrationRuntimeStatus>();

beforeAll(async () => {
  azurite = await startAzurite();
  lake = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('lake');
  await lake.createIfNotExists();
  deps = {
    lake,
    ledger: createBatchLedger(TableClient.fromConnectionString(azurite.connectionString, BATCH_LEDGER_TABLE, { allowInsecureConnection: true })),
    maxBodyBytes: 64 * 1024,
    orchestrationStatus: async (id) => statuses.get(id) ?? null,
    startOrchestration: async (id, input) => {
      started.push({ id, input });
      statuses.set(id, 'Pending');
    },
  };
}, 30_000);

afterAll(async () => {
  await azurite?.stop();
});

async function blobNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const b of lake.listBlobsFlat()) names.push(b.name);
  return names.sort();
}

const receivedAt = new Date('2026-11-30T12:00:00.000Z');
const req = (over: Partial<Parameters<typeof acceptBatch>[1]> = {}) => ({
  source: 'shopify',
  body: fixture('shopify/order.json'),
  contentType: 'application/json',
  headers: { 'content-type': 'application/json', authorization: 'Bearer secret', 'x-shopify-topic': 'orders/create' },
  receivedAt,
  ...over,
});

test('a new body is stored raw, recorded and started once; a resend is the same batch with no new work', async () => {
  const first = await acceptBatch(deps, req());
  expect(first).toMatchObject({ ok: true, duplicate: false });
  if (!first.ok) throw new Error('unreachable');
  expect(first.batchId).toMatch(/^shopify-c-[0-9a-f]{32}$/);
  expect(first.rawBlobName).toMatch(/^raw\/source=shopify\/received_date=2026-11-30\/[0-9a-f]{64}\.json$/);
  expect(started).toEqual([
    {
      id: first.batchId,
      input: {
        batchId: first.batchId,
        source: 'shopify',
        rawBlobName: first.rawBlobName,
        contentType: 'application/json',
        receivedAt: '2026-11-30T12:00:00.000Z',
        headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create' },
      },
    },
  ]);
  const props = await lake.getBlobClient(first.rawBlobName).getProperties();
  expect(props.metadata).toMatchObject({ source: 'shopify', h_x_shopify_topic: 'orders/create' });
  expect(Object.keys(props.metadata ?? {})).not.toContain('h_authorization');

  const again = await acceptBatch(deps, req({ receivedAt: new Date('2026-12-01T08:00:00.000Z') }));
  expect(again).toEqual({ ok: true, batchId: first.batchId, duplicate: true, rawBlobName: first.rawBlobName });
  expect(started).toHaveLength(1);
  expect((await blobNames()).filter((n) => n.startsWith('raw/'))).toEqual([first.rawBlobName]);
});

test('a failed orchestration is restarted on resend; a missing one (crash after storing) is started', async () => {
  const body = Buffer.from(JSON.stringify({ ...JSON.parse(fixture('shopify/order.json').toString()), id: 1234567 }));
  const first = await acceptBatch(deps, req({ body }));
  if (!first.ok) throw new Error('not accepted');
  statuses.set(first.batchId, 'Failed');
  const before = started.length;
  await acceptBatch(deps, req({ body }));
  expect(started.length).toBe(before + 1);
  statuses.delete(first.batchId);
  await acceptBatch(deps, req({ body }));
  expect(started.length).toBe(before + 2);
  statuses.set(first.batchId, 'Running');
  await acceptBatch(deps, req({ body }));
  expect(started.length).toBe(before + 2);
});

test('a crash after the ledger entry and before the raw write is repaired by the resend', async () => {
  const body = Buffer.from(JSON.stringify({ ...JSON.parse(fixture('shopify/order.json').toString()), id: 7654321 }));
  // What acceptBatch would have stored first: the entry alone, as if the process died right after it.
  const sha256 = createHash('sha256').update(body).digest('hex');
  const batchId = batchIdOf('shopify', sha256, undefined);
  const rawName = rawBlobName('shopify', receivedAt, sha256, 'application/json');
  await deps.ledger.create({ batchId, source: 'shopify', rawBlobName: rawName, sha256, contentType: 'application/json', receivedAt: receivedAt.toISOString() });
  expect(await blobNames()).not.toContain(rawName);

  const before = started.length;
  const resent = await acceptBatch(deps, req({ body, receivedAt: new Date('2026-12-02T09:00:00.000Z') }));
  expect(resent).toEqual({ ok: true, batchId, duplicate: true, rawBlobName: rawName });
  expect(await blobNames()).toContain(rawName);
  expect((await lake.getBlobClient(rawName).downloadToBuffer()).equals(body)).toBe(true);
  expect(started.slice(before).map((s) => s.id)).toEqual([batchId]);
});

test('an Idempotency-Key makes the batch; reused with another body it is refused (422) and nothing is stored', async () => {
  const a = await acceptBatch(deps, req({ idempotencyKey: 'order-77' }));
  if (!a.ok) throw new Error('not accepted');
  expect(a.batchId).toMatch(/^shopify-k-[0-9a-f]{32}$/);
  expect(a.duplicate).toBe(false);
  const blobsBefore = await blobNames();
  const other = await acceptBatch(deps, req({ idempotencyKey: 'order-77', body: fixture('shopify/refund.json') }));
  expect(other).toEqual({
    ok: false,
    problem: {
      type: 'urn:pos-hub:problem:idempotency-key-reused',
      title: 'Idempotency-Key reused with another body',
      status: 422,
      detail: `Idempotency-Key was first used for another body (batch ${a.batchId}); use a new key for new content`,
    },
  });
  expect(await blobNames()).toEqual(blobsBefore);
  // The same key at another source is another batch.
  const elsewhere = await acceptBatch(deps, req({ source: 'square', idempotencyKey: 'order-77', body: fixture('square/payment-created.json') }));
  expect(elsewhere).toMatchObject({ ok: true, duplicate: false });
  const bad = await acceptBatch(deps, req({ idempotencyKey: 'has space' }));
  expect(bad).toMatchObject({ ok: false, problem: { status: 400, type: 'urn:pos-hub:problem:invalid-idempotency-key' } });
});

test('card numbers are masked before the raw write', async () => {
  const body = Buffer.from(JSON.stringify({ ...JSON.parse(fixture('shopify/order.json').toString()), note: 'card 4111 1111 1111 1111' }));
  const r = await acceptBatch(deps, req({ body }));
  if (!r.ok) throw new Error('not accepted');
  const stored = (await lake.getBlobClient(r.rawBlobName).downloadToBuffer()).toString();
  expect(stored).not.toContain('4111 1111 1111 1111');
  expect(stored).toContain('"note":"card 4111 11** **** 1111"');
});

test.each([
  ['unknown source', req({ source: 'nope' }), 404, 'unknown-source', 'no source named "nope"'],
  ['wrong content type', req({ contentType: 'text/plain' }), 415, 'unsupported-media-type', 'shopify takes application/json, application/x-ndjson, application/ndjson (UTF-8); got "text/plain"'],
  ['other charset', req({ contentType: 'application/json; charset=iso-8859-1' }), 415, 'unsupported-media-type', 'shopify takes application/json, application/x-ndjson, application/ndjson (UTF-8); got "application/json; charset=iso-8859-1"'],
  ['too large', req({ body: Buffer.alloc(64 * 1024 + 1, 32) }), 413, 'body-too-large', 'the body has 65537 bytes; at most 65536 are accepted'],
  ['empty', req({ body: Buffer.from('  \n') }), 400, 'empty-batch', 'empty batch: the body is empty'],
  ['empty array', req({ body: Buffer.from('[ ]') }), 400, 'empty-batch', 'empty batch: the JSON array holds no payloads'],
  ['malformed JSON', req({ body: Buffer.from('{\n  "id": 1,\n  "total": }') }), 400, 'malformed-body', "malformed JSON at line 3, column 12: Object value expected after ':'"],
  ['malformed NDJSON line', req({ body: Buffer.from('{"id":1}\n{"id":2,}\n') }), 400, 'malformed-body', "malformed JSON at line 2, column 9: Quoted object key expected but got '}'"],
  ['not UTF-8', req({ body: Buffer.from([0x7b, 0xff, 0x7d]) }), 400, 'malformed-body', 'the body is not valid UTF-8'],
  ['a scalar', req({ body: Buffer.from('42') }), 400, 'malformed-body', 'the body is JSON but not an object, an array of objects or NDJSON'],
  ['malformed XML', req({ source: 'poslog', contentType: 'application/xml', body: Buffer.from('<POSLog>\n<Transaction></POSLog>') }), 400, 'malformed-body', expect.stringMatching(/^malformed XML at line 2, column \d+: /)],
  ['XML with a DTD', req({ source: 'poslog', contentType: 'text/xml', body: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><POSLog>&a;</POSLog>') }), 400, 'hostile-xml', expect.stringContaining('DOCTYPE')],
  ['CSV without rows', req({ source: 'csv', contentType: 'text/csv', body: Buffer.from('transaction_id,occurred_at\n') }), 400, 'empty-batch', 'empty batch: the CSV has a header and no rows'],
  ['malformed CSV', req({ source: 'csv', contentType: 'text/csv', body: fixture('csv/malformed.csv') }), 400, 'malformed-body', expect.stringMatching(/^malformed CSV at line \d+/)],
])('%s: a problem, nothing stored, nothing started', async (_name, request, status, kind, detail) => {
  const blobsBefore = await blobNames();
  const startedBefore = started.length;
  const r = await acceptBatch(deps, request);
  expect(r).toEqual({ ok: false, problem: { type: `urn:pos-hub:problem:${kind}`, title: expect.any(String), status, detail } });
  expect(await blobNames()).toEqual(blobsBefore);
  expect(started.length).toBe(startedBefore);
});
