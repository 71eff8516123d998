// GDPR erasure in the curated zone: exactly the subject's rows lose their customer references, nothing
// else changes (other columns, rows, files, partitions, tables), on the files loadBatch really writes.
import type { BlobClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { sale } from '../support/canonical';
import type { CustomerRefs } from '../../shared/model';
import { CURATED_TABLES, loadBatch, partitionDir, readManifest, readPartition, type CuratedPartition, type CuratedRow } from '../../shared/lake';
import { CUSTOMER_REF_COLUMNS, eraseFromCurated } from '../../shared/lake/eraseFromCurated';
import { manifestBlobName } from '../../shared/lake/partitionManifest';
import { downloadLive, fileList, listing, query, startLake, type Lake } from './lakeFixture';

let lake: Lake;
beforeAll(async () => {
  lake = await startLake();
}, 60_000);
afterAll(async () => {
  await lake?.stop();
});

// Pseudonymized references as the pipeline would give them (opaque strings).
const SUBJECT = { ref: 'cus_subject_vendor', emailRef: 'em_subject', phoneRef: 'ph_subject', loyaltyRef: 'loy_subject' };
const OTHER = { ref: 'cus_other_vendor', emailRef: 'em_other', phoneRef: 'ph_other' };

const A: CuratedPartition = { businessDate: '2026-11-30', storeId: 'S042' };
const B: CuratedPartition = { businessDate: '2026-11-29', storeId: 'S043' };
const C: CuratedPartition = { businessDate: '2026-11-29', storeId: 'S044' };
const PARTITIONS = [A, B, C];

const tx = (p: CuratedPartition, n: number, customer: CustomerRefs | null) =>
  sale({
    sourceKey: `${p.storeId}/R1/${p.businessDate}/${n}`,
    storeId: p.storeId,
    businessDate: p.businessDate,
    occurredAt: `${p.businessDate}T1${n % 10}:04:05.123Z`,
    total: `${n}.60`,
    tenders: [{ method: 'card', amount: `${n}.60`, cardBrand: 'visa', last4: '1111' }],
    customer,
  });

// b1 writes one file into A and one into B; b2 a second file into A that holds nothing of the subject;
// b3 a partition (C) without the subject at all.
const B1 = [
  tx(A, 1, { ref: SUBJECT.ref, emailRef: SUBJECT.emailRef, phoneRef: SUBJECT.phoneRef }),
  tx(A, 2, { emailRef: OTHER.emailRef }),
  tx(A, 3, null),
  tx(A, 4, { emailRef: SUBJECT.emailRef }),
  // The subject's phone alone: the request below names only the email, so this row is not matched.
  tx(A, 5, { phoneRef: SUBJECT.phoneRef }),
  tx(B, 6, { loyaltyRef: SUBJECT.loyaltyRef, emailRef: SUBJECT.emailRef }),
  tx(B, 7, { ref: OTHER.ref, phoneRef: OTHER.phoneRef }),
  tx(B, 8, {}),
];
const B2 = [tx(A, 11, { ref: OTHER.ref, phoneRef: OTHER.phoneRef }), tx(A, 12, null)];
const B3 = [tx(C, 21, { emailRef: OTHER.emailRef })];
const REFS = new Set([SUBJECT.emailRef]);
const ERASED_IDS = new Set([B1[0]!.id, B1[3]!.id, B1[5]!.id]);

async function seed(container: ContainerClient) {
  await loadBatch(container, { batchId: 'b1', transactions: B1 });
  await loadBatch(container, { batchId: 'b2', transactions: B2 });
  await loadBatch(container, { batchId: 'b3', transactions: B3 });
}

type Snapshot = Record<string, { rows: CuratedRow[]; etag: string | null; files: Array<{ name: string; rows: number; bytes: number; batches: Record<string, string[]> }> }>;
async function snapshot(container: ContainerClient): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const p of PARTITIONS) {
    const r = await readPartition(container, 'transactions', p);
    out[r.dir] = { rows: r.rows, etag: r.etag, files: r.files };
  }
  return out;
}

const withoutRefs = (row: CuratedRow): CuratedRow => ({ ...row, ...Object.fromEntries(CUSTOMER_REF_COLUMNS.map((c) => [c, null])) });

/** The rows a correct erasure leaves: the subject's rows without references, all else as it was, in the same order. */
function expectedAfter(before: Snapshot, erasedIds: ReadonlySet<string>): Record<string, CuratedRow[]> {
  return Object.fromEntries(Object.entries(before).map(([dir, s]) => [dir, s.rows.map((r) => (erasedIds.has(String(r.transaction_id)) ? withoutRefs(r) : r))]));
}

/** Each partition's batch -> content hash record (a reload of the same batch must still be a no-op). */
const batchesOf = async (container: ContainerClient) =>
  Promise.all(PARTITIONS.map(async (p) => (await readManifest(container, partitionDir('transactions', p)))!.manifest.batches));

async function blobSize(container: ContainerClient, name: string) {
  return (await container.getBlobClient(name).getProperties()).contentLength;
}

const duckRows = async (files: string[]) =>
  query(
    lake,
    `SELECT transaction_id, business_date::VARCHAR AS d, occurred_at::VARCHAR AS t, total::VARCHAR AS total, line_count, ${CUSTOMER_REF_COLUMNS.join(', ')}
     FROM read_parquet(${fileList(files)}) ORDER BY transaction_id`,
  );
const duckSchema = async (files: string[]) =>
  query(lake, `SELECT DISTINCT name, type, converted_type, logical_type, repetition_type FROM parquet_schema(${fileList(files)}) ORDER BY name`);

test('only the transactions table holds customer references', () => {
  const personal = /customer|email|phone|loyalty/;
  const found = Object.values(CURATED_TABLES).flatMap((t) => t.columns.filter((c) => personal.test(c.name)).map((c) => `${t.name}.${c.name}:${c.nullable}`));
  expect(found).toEqual(CUSTOMER_REF_COLUMNS.map((c) => `transactions.${c}:true`));
});

describe('eraseFromCurated', () => {
  let container: ContainerClient;
  let before: Snapshot;
  beforeAll(async () => {
    container = await lake.fresh();
    await seed(container);
    before = await snapshot(container);
  });

  test('a dry run counts what a real run changes, and writes nothing', async () => {
    const blobs = await listing(container);
    const report = await eraseFromCurated(container, REFS, { dryRun: true });
    expect(report).toEqual({ partitionsScanned: 3, partitionsChanged: 2, transactions: 3, filesRewritten: 2, leftovers: [], orphansDeleted: [] });
    expect(await listing(container)).toEqual(blobs);
  });

  test("nulls the four reference columns of exactly the subject's rows, everything else unchanged", async () => {
    const otherTables = await listing(container, 'curated/transaction_lines/');
    const tenders = await listing(container, 'curated/tenders/');
    const duckBefore = await duckRows(await downloadLive(lake, container, 'transactions'));
    const schemaBefore = await duckSchema(await downloadLive(lake, container, 'transactions'));

    const batchesBefore = await batchesOf(container);
    const report = await eraseFromCurated(container, REFS, { dryRun: false });
    expect(report).toEqual({ partitionsScanned: 3, partitionsChanged: 2, transactions: 3, filesRewritten: 2, leftovers: [], orphansDeleted: [] });

    const after = await snapshot(container);
    const expected = expectedAfter(before, ERASED_IDS);
    for (const [dir, s] of Object.entries(after)) expect(s.rows).toEqual(expected[dir]);
    // The subject's rows kept the sale; every reference of theirs is gone, the phone-only row untouched.
    const all = Object.values(after).flatMap((s) => s.rows);
    expect(all.filter((r) => CUSTOMER_REF_COLUMNS.some((c) => r[c] === SUBJECT.emailRef))).toEqual([]);
    expect(all.filter((r) => r.customer_phone_ref === SUBJECT.phoneRef).map((r) => r.transaction_id)).toEqual([B1[4]!.id]);
    expect(all.filter((r) => ERASED_IDS.has(String(r.transaction_id))).map((r) => r.total)).toEqual(['1.600000', '4.600000', '6.600000']);

    // Manifests: A and B list a rewritten file in place of b1's, same rows and ids, true size; the old
    // file is gone from the manifest and from storage; b2's file and all of C are untouched.
    const dirA = partitionDir('transactions', A);
    const dirB = partitionDir('transactions', B);
    const dirC = partitionDir('transactions', C);
    for (const dir of [dirA, dirB]) {
      const [oldB1, ...rest] = before[dir]!.files;
      const [newB1, ...restAfter] = after[dir]!.files;
      expect(newB1!.name).toMatch(/^rewrite-[0-9a-f]{12}\.parquet$/);
      expect({ ...newB1, name: oldB1!.name, bytes: 0 }).toEqual({ ...oldB1, bytes: 0 });
      expect(newB1!.bytes).toBe(await blobSize(container, `${dir}/${newB1!.name}`));
      expect(restAfter).toEqual(rest);
      expect(await container.getBlobClient(`${dir}/${oldB1!.name}`).exists()).toBe(false);
      const inFolder = (await listing(container, dir + '/')).map((b) => b.name.slice(dir.length + 1)).sort();
      expect(inFolder).toEqual(['_manifest.json', ...after[dir]!.files.map((f) => f.name)].sort());
    }
    expect(after[dirA]!.files[1]!.name).toBe(before[dirA]!.files[1]!.name);
    expect(after[dirC]).toEqual(before[dirC]);
    expect(await batchesOf(container)).toEqual(batchesBefore);

    // Lines and tenders: not one blob written.
    expect(await listing(container, 'curated/transaction_lines/')).toEqual(otherTables);
    expect(await listing(container, 'curated/tenders/')).toEqual(tenders);

    // An independent reader gets the same schema and the same values, references aside.
    const live = await downloadLive(lake, container, 'transactions');
    expect(await duckSchema(live)).toEqual(schemaBefore);
    const duckAfter = await duckRows(live);
    expect(duckAfter.filter((r) => r.customer_email_ref !== null).map((r) => r.customer_email_ref)).toEqual([OTHER.emailRef, OTHER.emailRef]);
    expect(duckAfter).toEqual(
      duckBefore.map((r) => (ERASED_IDS.has(String(r.transaction_id)) ? { ...r, ...Object.fromEntries(CUSTOMER_REF_COLUMNS.map((c) => [c, null])) } : r)),
    );
  });

  test('a second run finds nothing and writes nothing', async () => {
    const blobs = await listing(container);
    for (const dryRun of [true, false]) {
      expect(await eraseFromCurated(container, REFS, { dryRun })).toEqual({
        partitionsScanned: 3,
        partitionsChanged: 0,
        transactions: 0,
        filesRewritten: 0,
        leftovers: [],
        orphansDeleted: [],
      });
    }
    expect(await listing(container)).toEqual(blobs);
  });
});

/** `container`, except that the first manifest upload into `dir` first runs `meanwhile` (another writer). */
function racing(container: ContainerClient, dir: string, meanwhile: () => Promise<void>) {
  const calls = { uploads: 0 };
  const manifestName = manifestBlobName(dir);
  const proxy = new Proxy(container, {
    get(target, prop) {
      if (prop === 'getBlockBlobClient') {
        return (name: string) => {
          const client = target.getBlockBlobClient(name);
          if (name !== manifestName) return client;
          return new Proxy(client, {
            get(t, p) {
              if (p === 'upload') {
                return async (...args: Parameters<BlockBlobClient['upload']>) => {
                  if (calls.uploads++ === 0) await meanwhile();
                  return t.upload(...args);
                };
              }
              const v: unknown = Reflect.get(t, p, t);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
            },
          });
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { proxy, calls };
}

test('a load that swaps the manifest between the scan and the swap is kept, and its rows are scanned too', async () => {
  const container = await lake.fresh();
  await seed(container);
  const before = await snapshot(container);
  const dirA = partitionDir('transactions', A);
  const late = [tx(A, 31, { emailRef: OTHER.emailRef }), tx(A, 32, { emailRef: SUBJECT.emailRef, loyaltyRef: SUBJECT.loyaltyRef })];
  const { proxy, calls } = racing(container, dirA, async () => {
    await loadBatch(container, { batchId: 'late', transactions: late });
  });

  const report = await eraseFromCurated(proxy, REFS, { dryRun: false });
  // The first swap lost to the load (412) and the partition was planned again on the load's manifest.
  expect(calls.uploads).toBe(2);
  expect(report).toMatchObject({ partitionsChanged: 2, transactions: 4, filesRewritten: 3, leftovers: [] });

  const after = await readPartition(container, 'transactions', A);
  const lateRows = after.rows.filter((r) => r.batch_id === 'late');
  expect(lateRows.map((r) => [r.transaction_id, r.customer_email_ref, r.customer_loyalty_ref])).toEqual([
    [late[0]!.id, OTHER.emailRef, null],
    [late[1]!.id, null, null],
  ]);
  const expected = expectedAfter(before, ERASED_IDS)[dirA]!;
  expect(after.rows.filter((r) => r.batch_id !== 'late')).toEqual(expected);
  expect(Object.keys((await readManifest(container, dirA))!.manifest.batches).sort()).toEqual(['b1', 'b2', 'late']);
  // The losing attempt's copy was cleaned up: the folder holds only what the manifest lists.
  const inFolder = (await listing(container, dirA + '/')).map((b) => b.name.slice(dirA.length + 1)).sort();
  expect(inFolder).toEqual(['_manifest.json', ...after.files.map((f) => f.name)].sort());
});

test('a replaced file that cannot be deleted is reported, and a later run sweeps it once past the grace period', async () => {
  const container = await lake.fresh();
  await seed(container);
  const dirA = partitionDir('transactions', A);
  const oldName = `${dirA}/${(await readManifest(container, dirA))!.manifest.files[0]!.name}`;
  const failing = new Proxy(container, {
    get(target, prop) {
      if (prop === 'getBlobClient') {
        return (name: string) => {
          const client = target.getBlobClient(name);
          if (name !== oldName) return client;
          return new Proxy(client, {
            get(t, p) {
              if (p === 'deleteIfExists') return () => Promise.reject(new Error('simulated outage'));
              const v: unknown = Reflect.get(t, p, t);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
            },
          }) as BlobClient;
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

  const first = await eraseFromCurated(failing, REFS, { dryRun: false });
  expect(first).toMatchObject({ transactions: 3, filesRewritten: 2, leftovers: [oldName], orphansDeleted: [] });
  expect((await readManifest(container, dirA))!.manifest.files.map((f) => `${dirA}/${f.name}`)).not.toContain(oldName);
  expect(await container.getBlobClient(oldName).exists()).toBe(true);

  // Still within the grace period (it may as well be a load's file about to be listed): kept.
  expect(await eraseFromCurated(container, REFS, { dryRun: false })).toMatchObject({ transactions: 0, filesRewritten: 0, orphansDeleted: [] });
  // Past it: a dry run names it and keeps it, a real run deletes it.
  const later = () => new Date(Date.now() + 2 * 3_600_000);
  expect(await eraseFromCurated(container, REFS, { dryRun: true, now: later })).toMatchObject({ transactions: 0, orphansDeleted: [oldName] });
  expect(await container.getBlobClient(oldName).exists()).toBe(true);
  expect(await eraseFromCurated(container, REFS, { dryRun: false, now: later })).toMatchObject({ transactions: 0, filesRewritten: 0, orphansDeleted: [oldName] });
  expect(await container.getBlobClient(oldName).exists()).toBe(false);
});
