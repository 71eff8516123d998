// GDPR erasure through the real app: two Shopify customers' orders go through the hub; `pos-hub erase
// --email ... --wait` for one of them removes the link to that person everywhere (curated references
// nulled, raw payload deleted, Dataverse contact deleted and unlinked) while the sale and the other
// customer stay exactly as they were. A dry run first changes nothing; a second erasure finds nothing.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { erase } from '../../cli/erase';
import type { Runtime } from '../../local/runtime';
import { listPartitions, readPartition } from '../../shared/lake';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { BASE_SETTINGS, blobNames, lakeOf, settledBatch, startHub } from '../webhooks/hubRuntime';

jest.setTimeout(90_000);

let runtime: Runtime;
let dataDir: string;
const logs: string[] = [];
const pseudonymize = createPseudonymizer(BASE_SETTINGS.POS_HUB_PSEUDONYM_KEY!);

const JANE = 'jane.rivera@example.com';
const ALICE = 'alice.smith@example.org';
// A web order with a customer (id, email, phone), and the same order by another customer.
const janeOrder = readFileSync(path.join(__dirname, '../fixtures/shopify/order-web-discounts.json'), 'utf8');
const fixture = JSON.parse(janeOrder) as Record<string, unknown> & { customer: Record<string, unknown> };
const aliceOrder = JSON.stringify({
  ...fixture,
  id: 5627394810124,
  name: '#1043',
  order_number: 1043,
  email: ALICE,
  contact_email: ALICE,
  customer: { ...fixture.customer, id: 7034611736716, email: ALICE },
}).replaceAll('+12125550143', '+12125550199');

const batches: Record<'jane' | 'alice', string> = { jane: '', alice: '' };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-erase-'));
  runtime = await startHub(dataDir, { POS_HUB_DEFAULT_TIMEZONE: 'America/New_York' }, logs);
  writeFileSync(path.join(dataDir, 'runtime.json'), JSON.stringify({ baseUrl: runtime.baseUrl, functionKey: runtime.functionKey }));
  for (const [who, body] of [['jane', janeOrder], ['alice', aliceOrder]] as const) {
    const res = await ingest(body);
    expect(res.status).toBe(202);
    batches[who] = res.body.batchId as string;
    expect(await settledBatch(runtime, batches[who], logs)).toMatchObject({ status: 'completed', accepted: 1, quarantined: 0 });
  }
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function ingest(body: string) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/ingest/shopify`, { method: 'POST', headers: { 'x-functions-key': runtime.functionKey, 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await erase([...args, '--data-dir', dataDir], (s) => (out += s), (s) => (err += s), {}, (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 200))));
  return { code, out: out ? (JSON.parse(out) as Record<string, unknown>) : null, err };
}

/** Curated transaction rows by batch: their customer reference columns. */
async function curatedCustomers(): Promise<Record<string, (string | null)[]>> {
  const lake = lakeOf(runtime);
  const out: Record<string, (string | null)[]> = {};
  for (const partition of await listPartitions(lake, 'transactions')) {
    for (const row of (await readPartition(lake, 'transactions', partition)).rows) {
      const who = row.batch_id === batches.jane ? 'jane' : row.batch_id === batches.alice ? 'alice' : String(row.batch_id);
      out[who] = [row.customer_ref, row.customer_email_ref, row.customer_phone_ref, row.customer_loyalty_ref].map((v) => (v === null ? null : String(v)));
    }
  }
  return out;
}

async function dataverse(pathAndQuery: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${runtime.dataverseUrl}/api/data/v9.2/${pathAndQuery}`, { headers: { authorization: 'Bearer local-dev', accept: 'application/json' } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: Record<string, unknown>[] }).value;
}

/** Everything the erasure may touch, in a form to compare before and after. */
async function holdings() {
  const contacts = await dataverse('contacts?$select=pos_customerref,pos_emailref');
  const transactions = await dataverse('pos_transactions?$select=pos_hubid,pos_sourcekey,_pos_contactid_value');
  return {
    curated: await curatedCustomers(),
    raw: await blobNames(lakeOf(runtime), 'raw/'),
    contacts: contacts.map((c) => c.pos_emailref).sort(),
    transactions: transactions.map((t) => [t.pos_sourcekey, t._pos_contactid_value === null || t._pos_contactid_value === undefined ? 'no contact' : 'contact']).sort(),
  };
}

test('erasing one customer by email: the link to them goes everywhere, the sales and the other customer stay', async () => {
  const janeRef = pseudonymize.email(JANE)!;
  const aliceRef = pseudonymize.email(ALICE)!;
  const before = await holdings();
  expect(before.curated.jane![1]).toBe(janeRef);
  expect(before.curated.alice![1]).toBe(aliceRef);
  expect(before.curated.jane![0]).toBe(pseudonymize.customer('shopify', '7034611736715'));
  expect(before.raw).toHaveLength(2);
  expect(before.contacts).toEqual([aliceRef, janeRef].sort());
  expect(before.transactions).toEqual([['5627394810123', 'contact'], ['5627394810124', 'contact']]);
  // Raw blobs are named by the SHA-256 of the (scrubbed, here unchanged) body.
  const janeRaw = before.raw.filter((n) => n.includes(createHash('sha256').update(janeOrder).digest('hex')));
  expect(janeRaw).toHaveLength(1);

  const dry = await cli(['--email', JANE, '--dry-run', '--wait']);
  expect(dry.err).toBe('');
  expect(dry.code).toBe(0);
  expect(dry.out).toMatchObject({ status: 'completed', report: { dryRun: true, references: 1, curated: { transactions: 1 }, rawZones: { rawDeleted: expect.any(Array) }, dataverse: { contactsDeleted: expect.any(Array) } } });
  const dryReport = (dry.out as { report: { rawZones: { rawDeleted: string[] }; dataverse: { contactsDeleted: string[] } } }).report;
  expect(dryReport.rawZones.rawDeleted).toHaveLength(1);
  expect(dryReport.dataverse.contactsDeleted).toHaveLength(1);
  expect(await holdings()).toEqual(before);

  const done = await cli(['--email', `  ${JANE.toUpperCase()} `, '--wait']);
  expect(done.code).toBe(0);
  expect(done.out).toMatchObject({ status: 'completed', report: { dryRun: false, references: 1, curated: { transactions: 1 } } });
  const report = (done.out as { report: { rawZones: { rawDeleted: string[] }; dataverse: { contactsDeleted: string[] } } }).report;
  expect(report.rawZones.rawDeleted).toEqual(dryReport.rawZones.rawDeleted);
  expect(report.dataverse.contactsDeleted).toEqual(dryReport.dataverse.contactsDeleted);

  const after = await holdings();
  expect(after.curated).toEqual({ jane: [null, null, null, null], alice: before.curated.alice });
  expect(after.raw).toEqual(before.raw.filter((n) => !report.rawZones.rawDeleted.includes(n)));
  expect(report.rawZones.rawDeleted).toEqual(janeRaw);
  expect(after.contacts).toEqual([aliceRef]);
  expect(after.transactions).toEqual([['5627394810123', 'no contact'], ['5627394810124', 'contact']]);

  // Asked again: nothing is left to erase.
  const again = await cli(['--email', JANE, '--wait']);
  expect(again.out).toMatchObject({ status: 'completed', report: { curated: { transactions: 0 }, rawZones: { rawDeleted: [] }, dataverse: { contactsDeleted: [] } } });
  expect(await holdings()).toEqual(after);

  // Each run left its lasting record under audit/erasures/: counts only, nothing that points at Jane.
  const lake = lakeOf(runtime);
  const records = await Promise.all(
    (await blobNames(lake, 'audit/erasures/')).map(async (n) => ({ name: n, text: (await lake.getBlobClient(n).downloadToBuffer()).toString() })),
  );
  const ids = { dry: (dry.out as { erasureId: string }).erasureId, done: (done.out as { erasureId: string }).erasureId };
  expect(ids.done).toBe((again.out as { erasureId: string }).erasureId);
  // n: Jane's one order, found (1) or already erased (0); its batch has three work blobs (transform,
  // validate, protect) that name her.
  const counts = (dryRun: boolean, n: number) => ({
    dryRun,
    references: 1,
    curatedTransactions: n,
    curatedFilesRewritten: n,
    rawBlobsDeleted: n,
    quarantineEntries: 0,
    deadLettersDeleted: 0,
    workBlobsRewritten: 3 * n,
    contactsDeleted: n,
    transactionsUnlinked: n,
    batchesWaitedFor: 0,
    batchesStillRunning: 0,
  });
  const parsed = records.map((r) => JSON.parse(r.text) as Record<string, unknown>).sort((a, b) => String(a.finishedAt).localeCompare(String(b.finishedAt)));
  expect(parsed).toEqual([
    { erasureId: ids.dry, finishedAt: expect.any(String), ...counts(true, 1) },
    { erasureId: ids.done, finishedAt: expect.any(String), ...counts(false, 1) },
    { erasureId: ids.done, finishedAt: expect.any(String), ...counts(false, 0) },
  ]);
  expect(records.every((r) => r.name.startsWith(`audit/erasures/${JSON.parse(r.text).erasureId}/`))).toBe(true);
  const traces = [JANE, janeRef, ...report.dataverse.contactsDeleted, ...report.rawZones.rawDeleted];
  expect(records.filter((r) => traces.some((t) => r.text.includes(t)))).toEqual([]);
  // And its operation event (docs/operations.md), counts only too.
  const outcome = logs.filter((l) => l.includes(`pos-hub.erasure-outcome erasure=${ids.done} dryRun=false`));
  expect(outcome[0]).toContain('curatedTransactions=1 curatedFilesRewritten=1 rawBlobsDeleted=1');
  expect(logs.filter((l) => l.includes('pos-hub.erasure-outcome') && traces.some((t) => l.includes(t)))).toEqual([]);

  // The POS sending the same order again is answered as the batch it was, and brings nothing back.
  const resend = await ingest(janeOrder);
  expect(resend).toMatchObject({ status: 202, body: { batchId: batches.jane } });
  expect(await holdings()).toEqual(after);
});

test('refused erasure requests: 401 without a key, 400 for no or unusable identifiers (naming the field, never the value), 404 for an unknown erasure; the CLI exits 2 on usage', async () => {
  const post = async (body: string, key: string | null = runtime.functionKey) => {
    const res = await fetch(`${runtime.baseUrl}/api/v1/admin/erase`, { method: 'POST', headers: { ...(key ? { 'x-functions-key': key } : {}), 'content-type': 'application/json' }, body });
    return [res.status, (await res.json()) as { type: string; detail: string }] as const;
  };
  const [noKey] = await post('{"emails":["x@y.org"]}', null);
  expect(noKey).toBe(401);
  const cases = [
    ['not json', 'body'],
    ['{}', 'give at least one of emails, phones, loyaltyIds, customers'],
    ['{"emails":["not-an-address"]}', 'emails/0: not an email address'],
    ['{"phones":["12"]}', 'phones/0: not a valid phone number'],
    ['{"emails":["x@y.org"],"names":["Bob"]}', 'Unrecognized key'],
  ] as const;
  for (const [body, mentions] of cases) {
    const [status, problem] = await post(body);
    expect([status, problem.type]).toEqual([400, 'urn:pos-hub:problem:invalid-erasure-request']);
    expect(problem.detail).toContain(mentions);
    expect(problem.detail).not.toContain('not-an-address');
  }
  // Oversized bodies: a declared length over the limit, and a chunked body with no length that
  // grows past it, are both refused with 413 and start nothing (a valid request inside either would).
  const erasures = async () =>
    ((await (await fetch(`${runtime.baseUrl}/runtime/webhooks/durabletask/instances`)).json()) as { name: string; instanceId: string }[])
      .filter((i) => i.name === 'eraseSubject')
      .map((i) => i.instanceId)
      .sort();
  const before = await erasures();
  const padded = JSON.stringify({ emails: ['big.body@example.org'], padding: 'x'.repeat(70_000) });
  const [declared, declaredProblem] = await post(padded);
  expect([declared, declaredProblem.type]).toEqual([413, 'urn:pos-hub:problem:body-too-large']);
  const chunked = await fetch(`${runtime.baseUrl}/api/v1/admin/erase`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey, 'content-type': 'application/json' },
    body: new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"emails":["big.body@example.org"],"padding":"'));
        for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode('x'.repeat(4096)));
        c.enqueue(new TextEncoder().encode('"}'));
        c.close();
      },
    }),
    duplex: 'half',
  } as RequestInit);
  expect([chunked.status, ((await chunked.json()) as { type: string }).type]).toEqual([413, 'urn:pos-hub:problem:body-too-large']);
  expect(await erasures()).toEqual(before);

  const unknown = await fetch(`${runtime.baseUrl}/api/v1/admin/erasures/erasure-00000000000000000000000000000000`, { headers: { 'x-functions-key': runtime.functionKey } });
  expect([unknown.status, ((await unknown.json()) as { type: string }).type]).toEqual([404, 'urn:pos-hub:problem:unknown-erasure']);

  expect(await cli([])).toMatchObject({ code: 2, err: expect.stringContaining('give at least one --email, --phone, --loyalty or --customer') });
  expect(await cli(['--customer', 'no-colon'])).toMatchObject({ code: 2, err: expect.stringContaining('--customer takes SOURCE:ID') });
  expect(await cli(['--email', 'not-an-address'])).toMatchObject({ code: 1, err: 'pos-hub: erase refused (400): Invalid erasure request: emails/0: not an email address\n' });
});
