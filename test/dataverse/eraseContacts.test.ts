// Erasure in Dataverse, against the stand-in through the real client: the subject's contacts go, their
// transactions stay with the link removed, everyone else's rows are untouched; dry run, a second run
// and throttling.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDataverseStandIn, type DataverseStandIn } from '../../local/dataverse/startDataverseStandIn';
import { createDataverseClient, eraseContacts, loadTransactions, toKeyValue, type DataverseClient } from '../../shared/dataverse';
import type { CanonicalTransaction } from '../../shared/model';
import { line, sale } from '../support/canonical';

const started: DataverseStandIn[] = [];
const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

const TABLES = ['pos_stores', 'contacts', 'pos_transactions', 'pos_transactionlines'];
const snapshot = (dv: DataverseStandIn) => TABLES.map((t) => dv.rows(t));

// The subject: a loyalty member with an email, and a vendor customer id (hashed into its contact key:
// ':' cannot be in a URL key). Another customer's vendor record carries the subject's email ref.
const SUBJECT = new Set(['ly_subject', 'em_subject', 'cu_shop:subject']);
const txs: CanonicalTransaction[] = [
  sale({ sourceKey: 'E/1', customer: { loyaltyRef: 'ly_subject', emailRef: 'em_subject' } }),
  sale({ sourceKey: 'E/2', customer: { loyaltyRef: 'ly_subject' }, lines: [line(), line({ lineNo: 2 })] }),
  sale({ sourceKey: 'E/3', customer: { ref: 'cu_vendor7', emailRef: 'em_subject' } }),
  sale({ sourceKey: 'E/4', customer: { ref: 'cu_shop:subject' } }),
  sale({ sourceKey: 'E/5', customer: { emailRef: 'em_other', phoneRef: 'ph_other' } }),
  sale({ sourceKey: 'E/6', customer: { emailRef: 'em_other' }, storeId: 'S043' }),
  sale({ sourceKey: 'E/7', customer: null }),
];
const subjectKeys = ['l-ly_subject', 'r-cu_vendor7', toKeyValue('r-cu_shop:subject')].sort();
const subjectTxs = ['E/1', 'E/2', 'E/3', 'E/4'].map((k) => txs.find((t) => t.sourceKey === k)!.id);

async function loaded(limits = { requestsPerWindow: 1000, windowMs: 1000, maxConcurrent: 52 }, tablesFile?: string): Promise<{ dv: DataverseStandIn; client: DataverseClient }> {
  const dv = await startDataverseStandIn({ limits, ...(tablesFile ? { tablesFile } : {}) });
  started.push(dv);
  const client = createDataverseClient({ environmentUrl: dv.url });
  const result = await loadTransactions(client, txs);
  expect(result.failures).toEqual([]);
  expect(result.loaded).toHaveLength(txs.length);
  expect(dv.rows('contacts').map((r) => r.pos_customerref).sort()).toEqual([...subjectKeys, 'e-em_other'].sort());
  return { dv, client };
}

/** What erasure must leave: the subject's contacts gone, their transactions unlinked, all else as before. */
function expectErased(dv: DataverseStandIn, before: Record<string, unknown>[][]) {
  const [stores, contacts, transactions, lines] = before;
  const other = contacts!.filter((c) => !subjectKeys.includes(String(c.pos_customerref)));
  expect(other.map((c) => c.pos_customerref)).toEqual(['e-em_other']);
  expect(dv.rows('contacts')).toEqual(other);
  // Every transaction is still there; the subject's with the lookup cleared and nothing else changed.
  const expected = transactions!.map((t) => (subjectTxs.includes(String(t.pos_hubid)) ? { ...t, _pos_contactid_value: null } : t));
  expect(dv.rows('pos_transactions')).toEqual(expected);
  expect(expected.filter((t) => t._pos_contactid_value === null).map((t) => t.pos_hubid).sort()).toEqual([...subjectTxs].sort());
  expect(expected.filter((t) => t._pos_contactid_value === other[0]!.contactid)).toHaveLength(2);
  expect(dv.rows('pos_transactionlines')).toEqual(lines);
  expect(dv.rows('pos_stores')).toEqual(stores);
}

test('erases exactly the subject: contacts by key and by ref column deleted, their sales kept unlinked; dry run first, second run finds nothing', async () => {
  const { dv, client } = await loaded();
  const before = snapshot(dv);

  const dry = await eraseContacts(client, SUBJECT, { dryRun: true });
  expect(dry).toEqual({ contactsDeleted: subjectKeys, transactionsUnlinked: 4 });
  expect(snapshot(dv)).toEqual(before);

  dv.resetStats();
  const erased = await eraseContacts(client, SUBJECT, { dryRun: false });
  expect(erased).toEqual({ contactsDeleted: subjectKeys, transactionsUnlinked: 4 });
  expectErased(dv, before);
  // Links are removed explicitly (a PATCH per transaction inside a $batch), not left to the
  // relationship's delete behavior: the contacts' deletes come after them.
  const writes = dv.requestLog().filter((r) => r.method !== 'GET');
  expect(writes.map((r) => [r.method, r.path.replace(/^.*\/v9\.2\//, ''), r.status])).toEqual([
    ['POST', '$batch', 200],
    ['POST', '$batch', 200],
  ]);

  const after = snapshot(dv);
  const again = await eraseContacts(client, SUBJECT, { dryRun: false });
  expect(again).toEqual({ contactsDeleted: [], transactionsUnlinked: 0 });
  expect(snapshot(dv)).toEqual(after);
  expect(await eraseContacts(client, SUBJECT, { dryRun: true })).toEqual({ contactsDeleted: [], transactionsUnlinked: 0 });
});

test('the links are removed explicitly: with the contact relationship changed to Cascade by an admin, the sales still stay', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pos-hub-dve-'));
  tmpDirs.push(dir);
  const tables = JSON.parse(readFileSync(path.join(__dirname, '../../dataverse/tables.json'), 'utf8')) as {
    relationships: Array<{ ReferencedEntity: string; CascadeConfiguration: { Delete: string } }>;
  };
  tables.relationships.find((r) => r.ReferencedEntity === 'contact')!.CascadeConfiguration.Delete = 'Cascade';
  writeFileSync(path.join(dir, 'tables.json'), JSON.stringify(tables));
  const { dv, client } = await loaded(undefined, path.join(dir, 'tables.json'));
  const before = snapshot(dv);
  expect(await eraseContacts(client, SUBJECT, { dryRun: false })).toEqual({ contactsDeleted: subjectKeys, transactionsUnlinked: 4 });
  expectErased(dv, before);
});

test('a subject with no data in Dataverse, or no refs at all, changes nothing', async () => {
  const { dv, client } = await loaded();
  const before = snapshot(dv);
  expect(await eraseContacts(client, new Set(['em_nobody', "ly_o'brien"]), { dryRun: false })).toEqual({ contactsDeleted: [], transactionsUnlinked: 0 });
  dv.resetStats();
  expect(await eraseContacts(client, new Set(), { dryRun: false })).toEqual({ contactsDeleted: [], transactionsUnlinked: 0 });
  expect(dv.stats().requests).toBe(0);
  expect(snapshot(dv)).toEqual(before);
});

test('a contact already deleted by someone else between finding and deleting counts as erased (404 is gone)', async () => {
  const { dv, client } = await loaded();
  const before = snapshot(dv);
  // The contact's DELETE inside the erasure's $batch answers 404: a racing run deleted it first.
  const racing = createDataverseClient({ environmentUrl: dv.url });
  const original = client.batch.bind(client);
  const wrapped: DataverseClient = {
    ...client,
    async batch(entries, opts) {
      if (entries.some((e) => 'method' in e && e.method === 'DELETE')) await racing.batch([{ method: 'DELETE', url: "contacts(pos_customerref='l-ly_subject')" }]);
      return original(entries, opts);
    },
  };
  const erased = await eraseContacts(wrapped, SUBJECT, { dryRun: false });
  expect(erased).toEqual({ contactsDeleted: subjectKeys, transactionsUnlinked: 4 });
  expectErased(dv, before);
});

test('erasure under service protection throttling (429 + Retry-After) completes through the client', async () => {
  const limits = { requestsPerWindow: 3, windowMs: 1000, maxConcurrent: 52 };
  const { dv } = await loaded(limits);
  const before = snapshot(dv);
  // Spend the window's allowance first (as another job of the same user would), so the erasure starts throttled.
  await Promise.all(Array.from({ length: 3 }, () => fetch(`${dv.url}/api/data/v9.2/pos_stores?$top=1`, { headers: { Authorization: 'Bearer local-dev' } })));
  dv.resetStats();
  const fresh = createDataverseClient({ environmentUrl: dv.url });
  const erased = await eraseContacts(fresh, SUBJECT, { dryRun: false });
  expect(erased).toEqual({ contactsDeleted: subjectKeys, transactionsUnlinked: 4 });
  expectErased(dv, before);
  const served = dv.stats();
  expect(served.throttled['0x80072322']).toBeGreaterThan(0);
  expect(fresh.stats().throttled['0x80072322']).toBe(served.throttled['0x80072322']);
  expect(dv.requestLog().filter((r) => r.status === 429).every((r) => (r.retryAfterMs ?? 0) > 0)).toBe(true);
  expect(await eraseContacts(fresh, SUBJECT, { dryRun: false })).toEqual({ contactsDeleted: [], transactionsUnlinked: 0 });
}, 30_000);
