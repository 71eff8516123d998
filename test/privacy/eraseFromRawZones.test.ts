// eraseFromRawZones on Azurite: raw bodies and dead letters of the subject are deleted whole (found by
// running the pipeline on them, as the transform activity does), quarantine entries and work blobs of
// the subject lose their customer; everything else stays byte for byte. Dry run writes nothing, a second
// run finds nothing, and a quarantine blob written between read and write is not overwritten.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BlobServiceClient, type BlockBlobClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../../local/azurite';
import { storeHintOf } from '../../shared/ingest/storeHint';
import { quarantineBlobName, writeQuarantine } from '../../shared/lake/writeQuarantine';
import { writeRaw } from '../../shared/lake/writeRaw';
import type { CanonicalTransaction } from '../../shared/model';
import { writeWork } from '../../shared/orchestration/workBlob';
import { transformPayload } from '../../shared/pipeline/transformPayload';
import { eraseFromRawZones, type RawZonesDeps, type RawZonesErasure } from '../../shared/privacy/eraseFromRawZones';
import { eraseQuarantineBlob } from '../../shared/privacy/eraseQuarantine';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { adapterFor } from '../../shared/sources/registry';
import type { SourceContext } from '../../shared/sources/types';
import type { StreamTriggerBatch } from '../../shared/streams/groupStreamEvents';
import { writeDeadLetter } from '../../shared/streams/writeDeadLetter';

const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p), 'utf8');
const pseudonymize = createPseudonymizer('test-key-0123456789abcdef');
const headersSeen: Array<Readonly<Record<string, string>>> = [];
const sourceContext = (headers: Readonly<Record<string, string>>): SourceContext => {
  headersSeen.push(headers);
  const hint = storeHintOf(headers);
  return { timeZone: 'America/New_York', currency: 'USD', storeId: hint.ok ? hint.storeId : null, headers, pseudonymize };
};
const NOW = Date.parse('2026-12-01T12:00:00Z');

// The subject is Jane Doe (email and phone in the Toast split-checks order); Sam Rivera (Toast refund)
// and Bob Norman (Shopify order) are other customers.
const SUBJECT_EMAIL = pseudonymize.email('Jane.Doe@example.com')!;
const SUBJECT_PHONE = pseudonymize.phone('+1 212-555-0143')!;
const toastSubjectAndOther = `[${fixture('toast/order-split-checks.json')},${fixture('toast/order-refund.json')}]`;
const csvSubject = fixture('csv/sales.csv').replaceAll('Dana.Shopper@example.com', 'Jane.Doe@example.com');
const shopifyOther = fixture('shopify/order.json');
const unreadable = '{"guid": "not json at all';

const transactionsOf = (source: string, text: string): CanonicalTransaction[] =>
  transformPayload(adapterFor(source)!, text, sourceContext({}), NOW).transactions;
const quarantined = (t: CanonicalTransaction): CanonicalTransaction => ({
  ...t,
  findings: [...t.findings, { code: 'store.unknown', severity: 'error', path: '/storeId', message: 'no such store' }],
});

let azurite: AzuriteInstance;
let service: BlobServiceClient;
let counter = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
});

async function fresh(prefix: string): Promise<ContainerClient> {
  const c = service.getContainerClient(`${prefix}${++counter}x${process.pid}`);
  await c.create();
  return c;
}

/** Every blob with its ETag and content hash: equal snapshots mean nothing was written or deleted. */
async function snapshot(container: ContainerClient): Promise<Record<string, { etag: string; sha: string }>> {
  const out: Record<string, { etag: string; sha: string }> = {};
  for await (const b of container.listBlobsFlat()) {
    const bytes = await container.getBlobClient(b.name).downloadToBuffer();
    out[b.name] = { etag: b.properties.etag!, sha: createHash('sha256').update(bytes).digest('hex') };
  }
  return out;
}

const text = async (container: ContainerClient, name: string) => (await container.getBlobClient(name).downloadToBuffer()).toString('utf8');
const exists = (container: ContainerClient, name: string) => container.getBlobClient(name).exists();

function streamBatch(): StreamTriggerBatch {
  return { eventHub: 'pos', consumerGroup: '$Default', partitionId: '0', events: [] };
}
const event = (sequenceNumber: number, body: string, properties: Record<string, unknown>) => ({
  event: { body, properties, sequenceNumber, offset: String(sequenceNumber * 100), enqueuedTimeUtc: '2026-11-30T10:00:00.000Z' },
  error: { code: 'accept-failed', message: 'storage unavailable' },
});

interface Seeded {
  lake: ContainerClient;
  work: ContainerClient;
  raw: { toast: string; csv: string; shopify: string; bad: string };
  quarantine: { mixed: string; other: string };
  deadLetters: { subject: string; other: string; noSource: string };
  workBlobs: { mixed: string; other: string };
  subjectTx: CanonicalTransaction;
  mixedLines: string[];
}

async function seed(): Promise<Seeded> {
  const lake = await fresh('lake');
  const work = await fresh('work');
  const at = new Date('2026-11-30T09:00:00Z');
  const json = 'application/json';
  const toast = await writeRaw(lake, { source: 'toast', body: toastSubjectAndOther, receivedAt: at, contentType: json, headers: { 'toast-restaurant-external-id': 'R-1' } });
  const csv = await writeRaw(lake, { source: 'csv', body: csvSubject, receivedAt: at, contentType: 'text/csv' });
  const shopify = await writeRaw(lake, { source: 'shopify', body: shopifyOther, receivedAt: at, contentType: json, headers: { 'x-shopify-topic': 'orders/create' } });
  const bad = await writeRaw(lake, { source: 'toast', body: unreadable, receivedAt: new Date('2026-11-29T09:00:00Z'), contentType: json });

  const toastTxs = transactionsOf('toast', toastSubjectAndOther);
  const subjectTx = toastTxs.find((t) => t.customer?.emailRef === SUBJECT_EMAIL)!;
  const otherToast = toastTxs.find((t) => t.customer && t.customer.emailRef !== SUBJECT_EMAIL)!;
  const noCustomer = toastTxs.find((t) => t.customer === null)!;
  const bob = transactionsOf('shopify', shopifyOther)[0]!;
  expect([subjectTx, otherToast, noCustomer, bob].every(Boolean)).toBe(true);
  expect(subjectTx.customer?.phoneRef).toBe(SUBJECT_PHONE);

  const mixed = quarantineBlobName(subjectTx.businessDate, 'toast', 'b1');
  const mixedEntries = [quarantined(noCustomer), quarantined(subjectTx), quarantined(otherToast)];
  await writeQuarantine(lake, mixed, 'b1', mixedEntries);
  const other = quarantineBlobName(bob.businessDate, 'shopify', 'b2.dataverse');
  await writeQuarantine(lake, other, 'b2.dataverse', [quarantined(bob)]);

  const dlSubject = await writeDeadLetter(lake, streamBatch(), event(7, fixture('toast/order-split-checks.json'), { source: 'toast', storeId: 'S-1' }));
  const dlOther = await writeDeadLetter(lake, streamBatch(), event(8, shopifyOther, { source: 'shopify' }));
  const dlNoSource = await writeDeadLetter(lake, streamBatch(), event(9, fixture('toast/order-split-checks.json'), {}));

  const workMixed = await writeWork(work, 'protected', { batchId: 'b1', transactions: [subjectTx, otherToast], findings: [] });
  const workOther = await writeWork(work, 'protected', { batchId: 'b2', transactions: [bob], findings: [] });

  return {
    lake,
    work,
    raw: { toast: toast.blobName, csv: csv.blobName, shopify: shopify.blobName, bad: bad.blobName },
    quarantine: { mixed, other },
    deadLetters: { subject: dlSubject, other: dlOther, noSource: dlNoSource },
    workBlobs: { mixed: workMixed, other: workOther },
    subjectTx,
    mixedLines: mixedEntries.map((e) => JSON.stringify(e)),
  };
}

const depsOf = (s: Seeded): RawZonesDeps => ({ lake: s.lake, work: s.work, sourceContext, now: () => NOW, concurrency: 2 });
const nothing = (r: RawZonesErasure) => [r.rawDeleted, r.quarantineEntries, r.quarantineBlobsRewritten, r.deadLettersDeleted, r.workBlobsRewritten];

test("erasing by email deletes exactly the subject's raw bodies and dead letter, nulls their quarantine and work customers, leaves the rest byte for byte", async () => {
  const s = await seed();
  const before = { lake: await snapshot(s.lake), work: await snapshot(s.work) };
  const refs = new Set([SUBJECT_EMAIL]);

  const dry = await eraseFromRawZones(depsOf(s), refs, { dryRun: true });
  expect({ lake: await snapshot(s.lake), work: await snapshot(s.work) }).toEqual(before);

  headersSeen.length = 0;
  const report = await eraseFromRawZones(depsOf(s), refs, { dryRun: false });
  expect(report).toEqual({
    rawScanned: 4,
    rawDeleted: [s.raw.csv, s.raw.toast].sort(),
    quarantineEntries: 1,
    quarantineBlobsRewritten: [s.quarantine.mixed],
    deadLettersScanned: 3,
    deadLettersDeleted: [s.deadLetters.subject],
    workScanned: 2,
    workBlobsRewritten: [s.workBlobs.mixed],
  });
  expect(dry).toEqual(report);
  // The raw body was read with the headers it was received with, the dead letter with its store hint.
  expect(headersSeen).toContainEqual({ 'toast-restaurant-external-id': 'R-1' });
  expect(headersSeen).toContainEqual({ 'x-pos-hub-store-id': 'S-1' });

  const after = { lake: await snapshot(s.lake), work: await snapshot(s.work) };
  for (const gone of [s.raw.toast, s.raw.csv, s.deadLetters.subject]) expect(after.lake[gone]).toBeUndefined();
  for (const kept of [s.raw.shopify, s.raw.bad, s.quarantine.other, s.deadLetters.other, s.deadLetters.noSource]) expect(after.lake[kept]).toEqual(before.lake[kept]);
  expect(after.work[s.workBlobs.other]).toEqual(before.work[s.workBlobs.other]);
  expect(Object.keys(after.lake)).toHaveLength(Object.keys(before.lake).length - 3);

  // Quarantine: the subject's entry without its customer, every other line exactly as written.
  const expectedBody = [s.mixedLines[0], JSON.stringify({ ...quarantined(s.subjectTx), customer: null }), s.mixedLines[2]].join('\n') + '\n';
  expect(await text(s.lake, s.quarantine.mixed)).toBe(expectedBody);
  const props = await s.lake.getBlobClient(s.quarantine.mixed).getProperties();
  expect(props.metadata).toEqual({ batchid: 'b1', count: '3', contenthash: createHash('sha256').update(expectedBody).digest('hex') });
  expect(props.contentType).toBe('application/x-ndjson');
  // writeQuarantine sees its own hash: writing the erased content again is a no-op.
  const rewrite = expectedBody.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
  expect(await writeQuarantine(s.lake, s.quarantine.mixed, 'b1', rewrite)).toMatchObject({ status: 'unchanged' });

  const workAfter = JSON.parse(await text(s.work, s.workBlobs.mixed)) as { transactions: CanonicalTransaction[] };
  expect(workAfter.transactions.map((t) => [t.id, t.customer])).toEqual([
    [s.subjectTx.id, null],
    [workAfter.transactions[1]!.id, expect.objectContaining({ emailRef: expect.any(String) })],
  ]);
  expect(workAfter.transactions[1]!.customer!.emailRef).not.toBe(SUBJECT_EMAIL);

  const second = await eraseFromRawZones(depsOf(s), refs, { dryRun: false });
  expect(nothing(second)).toEqual([[], 0, [], [], []]);
  expect([second.rawScanned, second.deadLettersScanned, second.workScanned]).toEqual([2, 2, 2]);
  expect({ lake: await snapshot(s.lake), work: await snapshot(s.work) }).toEqual(after);
}, 60_000);

test("erasing by phone finds the Toast body (phone and email) but not the CSV one (email only)", async () => {
  const s = await seed();
  const report = await eraseFromRawZones(depsOf(s), new Set([SUBJECT_PHONE]), { dryRun: false });
  expect(report).toMatchObject({
    rawDeleted: [s.raw.toast],
    quarantineEntries: 1,
    quarantineBlobsRewritten: [s.quarantine.mixed],
    deadLettersDeleted: [s.deadLetters.subject],
    workBlobsRewritten: [s.workBlobs.mixed],
  });
  expect(await exists(s.lake, s.raw.csv)).toBe(true);
  expect(await exists(s.lake, s.raw.toast)).toBe(false);
  const lines = (await text(s.lake, s.quarantine.mixed)).trimEnd().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as CanonicalTransaction).customer === null)).toEqual([true, true, false]);
  expect([lines[0], lines[2]]).toEqual([s.mixedLines[0], s.mixedLines[2]]);
}, 60_000);

test('no references: nothing is read or changed', async () => {
  const s = await seed();
  const before = await snapshot(s.lake);
  const report = await eraseFromRawZones(depsOf(s), new Set(), { dryRun: false });
  expect(nothing(report)).toEqual([[], 0, [], [], []]);
  expect(await snapshot(s.lake)).toEqual(before);
}, 60_000);

test('a quarantine blob written between the erasure read and its write is not overwritten: the erasure re-reads and erases the new content', async () => {
  const s = await seed();
  const name = s.quarantine.mixed;
  // The batch is reloaded (another entry added) right after the erasure's first read.
  const extra = { ...JSON.parse(s.mixedLines[2]!), id: 'reloaded-entry' } as Record<string, unknown>;
  const reloaded = [...s.mixedLines.map((l) => JSON.parse(l) as unknown), extra];
  let interfered = false;
  const racing = new Proxy(s.lake, {
    get(target, prop, receiver) {
      if (prop !== 'getBlockBlobClient') return Reflect.get(target, prop, receiver) as unknown;
      return (blobName: string): BlockBlobClient => {
        const blob = target.getBlockBlobClient(blobName);
        return new Proxy(blob, {
          get(b, p, r) {
            if (p !== 'download') return Reflect.get(b, p, r) as unknown;
            return async (...args: Parameters<BlockBlobClient['download']>) => {
              const res = await b.download(...args);
              if (!interfered && blobName === name) {
                interfered = true;
                await writeQuarantine(target, name, 'b1', reloaded);
              }
              return res;
            };
          },
        });
      };
    },
  });
  const erased = await eraseQuarantineBlob(racing, name, new Set([SUBJECT_EMAIL]), { dryRun: false });
  expect(interfered).toBe(true);
  expect(erased).toBe(1);
  const lines = (await text(s.lake, name)).trimEnd().split('\n');
  expect(lines).toEqual([s.mixedLines[0], JSON.stringify({ ...quarantined(s.subjectTx), customer: null }), s.mixedLines[2], JSON.stringify(extra)]);
  expect((await s.lake.getBlobClient(name).getProperties()).metadata).toMatchObject({ count: '4', batchid: 'b1' });
}, 60_000);
