// The ingest path end to end, through the real app (functions/index) in the local runtime: Azurite,
// real durable-functions, the Dataverse stand-in. Payloads of every source go in over HTTP and come
// out in curated/ or quarantine/ with the counts the pipeline gives them, the status endpoint says so,
// Dataverse holds the valid transactions, a resend creates nothing new, and no card number is stored.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startRuntime, type Runtime } from '../../local/runtime';

jest.setTimeout(85_000);

let runtime: Runtime;
let dataDir: string;
let lake: ContainerClient;
const logs: string[] = [];
const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-ingest-'));
  runtime = await startRuntime({
    dataDir,
    entry: path.join(__dirname, '../../functions/index'),
    settings: { POS_HUB_DEFAULT_TIMEZONE: 'America/New_York', POS_HUB_DEFAULT_CURRENCY: 'USD' },
    log: (m) => logs.push(m),
  });
  lake = BlobServiceClient.fromConnectionString(runtime.storageConnectionString).getContainerClient('lake');
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const TYPES: Record<string, string> = { poslog: 'application/xml', csv: 'text/csv' };

async function ingest(source: string, body: Buffer | string, contentType = TYPES[source] ?? 'application/json', headers: Record<string, string> = {}) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/ingest/${source}`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey, 'content-type': contentType, ...headers },
    body,
  });
  return { status: res.status, location: res.headers.get('location'), body: (await res.json()) as { batchId: string; statusUrl: string } };
}

interface Status {
  batchId: string;
  status: string;
  accepted: number;
  quarantined: number;
  findings: { code: string }[];
  transactions: number;
  dataverse: { loaded: number; quarantined: number };
}

async function finished(statusUrl: string): Promise<Status> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(statusUrl, { headers: { 'x-functions-key': runtime.functionKey } });
    const body = (await res.json()) as Status;
    if (body.status === 'completed' || body.status === 'failed') return body;
    await sleep(100);
  }
  throw new Error(`batch did not finish: ${logs.slice(-20).join('\n')}`);
}

async function blobs(prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for await (const b of lake.listBlobsFlat({ prefix })) names.push(b.name);
  return names.sort();
}

async function quarantinedIn(batchId: string): Promise<unknown[]> {
  const entries: unknown[] = [];
  for (const name of (await blobs('quarantine/')).filter((n) => n.endsWith(`/batch-${batchId}.ndjson`))) {
    const text = (await lake.getBlobClient(name).downloadToBuffer()).toString();
    entries.push(...text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown));
  }
  return entries;
}

async function dataverseRows(batchTransactionIds: string[]): Promise<string[]> {
  const res = await fetch(`${runtime.dataverseUrl}/api/data/v9.2/pos_transactions?$select=pos_hubid`, { headers: { authorization: 'Bearer local-dev', accept: 'application/json' } });
  const rows = ((await res.json()) as { value: { pos_hubid: string }[] }).value.map((r) => r.pos_hubid);
  return batchTransactionIds.filter((id) => rows.includes(id));
}

async function curatedIds(batchId: string): Promise<string[]> {
  const index = await lake.getBlobClient(`curated/_batches/batch-${batchId}.json`).downloadToBuffer();
  const dirs = (JSON.parse(index.toString()) as { curated: Record<string, string[]> }).curated.transactions ?? [];
  const ids: string[] = [];
  for (const dir of dirs) {
    const manifest = JSON.parse((await lake.getBlobClient(`${dir}/_manifest.json`).downloadToBuffer()).toString()) as { files: { batches: Record<string, string[]> }[] };
    for (const f of manifest.files) ids.push(...(f.batches[batchId] ?? []));
  }
  return ids.sort();
}

/**
 * The project's own fixtures are dated around 2026-11-30, some up to 2026-12-03, and the quality rules
 * quarantine a transaction more than a day ahead of the clock (`time.future`). Sent as they are, their
 * outcome would depend on the day the suite runs; sent a year earlier, nothing in them is in the future
 * on any day from 2026-11-30 on. 2025 and 2026 are both common years, so a 365-day shift keeps every
 * month, day and time of day (business dates and local times stay consistent with each other).
 * Fixtures already dated years back (2017, 2024) pass unchanged.
 */
const YEAR_MS = 365 * 86_400_000;
function aYearEarlier(file: string): string {
  const text = fixture(file)
    .toString('utf8')
    // ISO dates (alone, in timestamps, in source keys) and compact yyyymmdd (Toast business dates, POSLog ids).
    .replace(/\b2026(?=-\d\d-\d\d|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b)/g, '2025')
    // dd-mm-yyyy (Adyen's txdate in AdditionalResponse).
    .replace(/\b(\d\d-\d\d-)2026\b/g, '$12025')
    // Epoch milliseconds (Clover), numbers or strings.
    .replace(/\b1[78]\d{11}\b/g, (ms) => {
      const n = Number(ms);
      return n >= Date.UTC(2026, 0, 1) && n < Date.UTC(2027, 0, 1) ? String(n - YEAR_MS) : ms;
    });
  // A date in a form not handled above would keep the test date-dependent: fail now, not in some month.
  const left = /.{0,30}2026.{0,30}/.exec(text);
  if (left) throw new Error(`${file}: a 2026 date was not moved: ${left[0]}`);
  return text;
}

/** The canonical batch with its return dated 2099: quarantined as `time.future` whatever day the suite runs. */
function canonicalWithFutureReturn(): string {
  const batch = JSON.parse(fixture('canonical/batch.json').toString()) as { transactions: Array<Record<string, unknown>> };
  // The sale (2026-11-30T14:05Z) is not in the future from 2026-11-30 on and keeps its date: its id is
  // derived from its source key, which holds the date, so moving it would also change the id.
  batch.transactions[1] = { ...batch.transactions[1], occurredAt: '2099-12-02T16:41:00.000Z', businessDate: '2099-12-02' };
  return JSON.stringify(batch);
}

interface Case {
  source: string;
  body: string;
  transactions: number;
  curated: number;
  /** The error codes of each transaction the lake quarantined, in batch order. */
  quarantined: string[][];
  /** What Dataverse loaded and refused (default: every curated one loaded, none refused). */
  dataverse?: { loaded: number; refused: number };
}

const CASES: Case[] = [
  { source: 'poslog', body: aYearEarlier('poslog/ncr-acs-SMALL.xml'), transactions: 1, curated: 1, quarantined: [] },
  { source: 'poslog', body: aYearEarlier('poslog/return-linked.xml'), transactions: 2, curated: 2, quarantined: [] },
  { source: 'shopify', body: aYearEarlier('shopify/order-web-discounts.json'), transactions: 1, curated: 1, quarantined: [] },
  { source: 'square', body: aYearEarlier('square/order-created-full.json'), transactions: 1, curated: 1, quarantined: [] },
  // Tax with 5 decimals: the lake's DECIMAL(18,6) and Dataverse's 6-decimal columns both hold it exactly,
  // so the sale is curated in the lake and loaded to Dataverse.
  { source: 'lightspeed-x', body: aYearEarlier('lightspeed-x/sale-closed.json'), transactions: 1, curated: 1, quarantined: [], dataverse: { loaded: 1, refused: 0 } },
  // The register keeps line taxes unrounded (0.864646875); the adapter rounds them to cents that add up to
  // the sale's tax, so both sinks store the sale.
  { source: 'lightspeed-r', body: aYearEarlier('lightspeed-r/sale-split-tender.json'), transactions: 1, curated: 1, quarantined: [], dataverse: { loaded: 1, refused: 0 } },
  { source: 'clover', body: aYearEarlier('clover/order-vat-refund.json'), transactions: 2, curated: 2, quarantined: [] },
  { source: 'toast', body: aYearEarlier('toast/order-refund.json'), transactions: 2, curated: 2, quarantined: [] },
  // An in-store terminal payment without a store: Adyen's response names none and the API call gives none.
  { source: 'adyen', body: aYearEarlier('adyen/payment-success.json'), transactions: 1, curated: 0, quarantined: [['store.missing']] },
  { source: 'canonical', body: canonicalWithFutureReturn(), transactions: 2, curated: 1, quarantined: [['time.future']] },
  { source: 'csv', body: aYearEarlier('csv/sales.csv'), transactions: 4, curated: 4, quarantined: [] },
];

test('every source: 202, then curated and quarantine hold exactly what was sent, the status says so, Dataverse has the valid ones', async () => {
  const accepted = await Promise.all(CASES.map(({ source, body }) => ingest(source, body)));
  for (const [i, a] of accepted.entries()) {
    expect([CASES[i]!.source, a.status]).toEqual([CASES[i]!.source, 202]);
    expect(a.location).toBe(a.body.statusUrl);
    expect(a.body.statusUrl).toBe(`${runtime.baseUrl}/api/v1/batches/${a.body.batchId}`);
  }
  const seen: unknown[] = [];
  for (const [i, { source }] of CASES.entries()) {
    const { batchId, statusUrl } = accepted[i]!.body;
    const status = await finished(statusUrl);
    expect(status).toEqual({
      batchId,
      source,
      status: 'completed',
      accepted: expect.any(Number),
      quarantined: expect.any(Number),
      transactions: expect.any(Number),
      findings: expect.any(Array),
      dataverse: { loaded: expect.any(Number), quarantined: expect.any(Number) },
      receivedAt: expect.any(String),
    });
    const ids = await curatedIds(batchId);
    const quarantined = (await quarantinedIn(batchId)) as { findings: { code: string; severity: string }[] }[];
    const refused = (await quarantinedIn(`${batchId}.dataverse`)) as { findings: { code: string }[] }[];
    for (const r of refused) expect(r.findings.map((f) => f.code)).toContain('dataverse.decimal_precision');
    // What the status says, what the lake holds, what Dataverse holds: all the same numbers. (Every
    // transaction Dataverse loaded here is also curated in the lake, so the lake's ids find them all.)
    seen.push([
      source,
      status.transactions,
      [status.accepted, ids.length],
      [status.quarantined, quarantined.map((q) => q.findings.filter((f) => f.severity === 'error').map((f) => f.code))],
      [status.dataverse.loaded, (await dataverseRows(ids)).length],
      [status.dataverse.quarantined, refused.length],
    ]);
    expect((await blobs(`raw/source=${source}/`)).length).toBeGreaterThan(0);
  }
  expect(seen).toEqual(
    CASES.map(({ source, transactions, curated, quarantined, dataverse = { loaded: curated, refused: 0 } }) => [
      source,
      transactions,
      [curated, curated],
      [quarantined.length, quarantined],
      [dataverse.loaded, dataverse.loaded],
      [dataverse.refused, dataverse.refused],
    ]),
  );
  // Each run wrote its outcome event (docs/operations.md), a warning when something went to quarantine.
  const outcomes = accepted.map(({ body }) => logs.filter((l) => l.includes(`pos-hub.batch-outcome batch=${body.batchId} `)));
  expect(outcomes).toEqual(
    CASES.map(({ source, transactions, curated, quarantined, dataverse = { loaded: curated, refused: 0 } }, i) => [
      `[recordBatch] ${quarantined.length || dataverse.refused ? 'warning' : 'information'}: pos-hub.batch-outcome batch=${accepted[i]!.body.batchId} source=${source} status=completed ` +
        `transactions=${transactions} accepted=${curated} quarantined=${quarantined.length} dataverseLoaded=${dataverse.loaded} dataverseFailed=${dataverse.refused}`,
    ]),
  );
});

test('a store hint (x-pos-hub-store-id) gives a terminal payment its store; a store the payload names wins; a replay keeps it', async () => {
  // Another terminal transaction than the every-source test's (same body would be the same batch).
  const terminal = aYearEarlier('adyen/payment-success.json').replaceAll('4r7i001764511509000.8815645295894301', '4r7i001764511509000.8815645295894302');
  const hinted = await ingest('adyen', terminal, 'application/json', { 'x-pos-hub-store-id': 'S042' });
  expect(hinted.status).toBe(202);
  expect(await finished(hinted.body.statusUrl)).toMatchObject({ status: 'completed', transactions: 1, accepted: 1, quarantined: 0 });
  expect(await curatedIds(hinted.body.batchId)).toHaveLength(1);
  expect((await blobs('curated/transactions/')).filter((n) => n.includes('/store_id=S042/') && n.includes(hinted.body.batchId))).toHaveLength(1);
  // The header is kept with the raw blob, so the batch reads the same way when it is replayed.
  const raws = await Promise.all((await blobs('raw/source=adyen/')).map(async (n) => (await lake.getBlobClient(n).getProperties()).metadata ?? {}));
  expect(raws.filter((m) => m.h_x_pos_hub_store_id === 'S042')).toHaveLength(1);

  // Square names its location: the hint does not replace it.
  const order = aYearEarlier('square/order-return.json');
  const named = await ingest('square', order, 'application/json', { 'x-pos-hub-store-id': 'S999' });
  expect(await finished(named.body.statusUrl)).toMatchObject({ status: 'completed', accepted: 1 });
  const partitions = (await blobs('curated/transactions/')).filter((n) => n.includes(named.body.batchId));
  expect(partitions.length).toBe(1);
  expect(partitions[0]).not.toContain('store_id=S999');
});

test('a JSON array and NDJSON are one batch of several payloads', async () => {
  const array = `[${fixture('shopify/order-web-discounts.json')},${fixture('shopify/refund.json')}]`;
  const a = await ingest('shopify', array);
  const ndjson = [fixture('square/order-created-full.json'), fixture('square/order-return.json')].map((b) => JSON.stringify(JSON.parse(b.toString()))).join('\n') + '\n';
  const n = await ingest('square', ndjson, 'application/x-ndjson');
  expect([a.status, n.status]).toEqual([202, 202]);
  expect(await finished(a.body.statusUrl)).toMatchObject({ status: 'completed', transactions: 2, accepted: 2, quarantined: 0 });
  expect(await finished(n.body.statusUrl)).toMatchObject({ status: 'completed', transactions: 2, accepted: 2, quarantined: 0 });
});

test('a resend answers the same batch id and creates nothing: same blobs, no second orchestration', async () => {
  const body = fixture('shopify/order-pos-big-id.json');
  const first = await ingest('shopify', body);
  await finished(first.body.statusUrl);
  const before = await Promise.all([blobs(), lake.getBlobClient(`curated/_batches/batch-${first.body.batchId}.json`).getProperties()]);
  const historyUrl = `${runtime.baseUrl}/runtime/webhooks/durabletask/instances/${first.body.batchId}?showHistory=true`;
  const history = ((await (await fetch(historyUrl)).json()) as { history: unknown[]; createdTime: string });

  const again = await ingest('shopify', body);
  expect(again).toEqual({ status: 202, location: first.body.statusUrl, body: first.body });
  await sleep(500);
  const after = await Promise.all([blobs(), lake.getBlobClient(`curated/_batches/batch-${first.body.batchId}.json`).getProperties()]);
  expect(after[0]).toEqual(before[0]);
  expect(after[1].etag).toBe(before[1].etag);
  const historyAfter = (await (await fetch(historyUrl)).json()) as { history: unknown[]; createdTime: string };
  expect(historyAfter.createdTime).toBe(history.createdTime);
  expect(historyAfter.history.length).toBe(history.history.length);
  expect(await finished(first.body.statusUrl)).toMatchObject({ status: 'completed', accepted: 1 });
});

test('a card number planted in a payload never appears in raw/, curated/ or quarantine/', async () => {
  const pan = '4111111111111111';
  const grouped = '5500 0000 0000 0004';
  const order = JSON.parse(fixture('shopify/order-web-discounts.json').toString()) as Record<string, unknown>;
  const planted = JSON.stringify({ ...order, note: `paid with ${grouped}`, card: pan, token: Number(pan) });
  const csv = fixture('csv/sales.csv').toString().replace(/\n/, `\n`).replace(/S042/, `S042 ${pan}`);
  const xml = fixture('poslog/ncr-acs-SMALL.xml').toString().replace(/<\/SequenceNumber>/, ` ${pan}</SequenceNumber>`);
  const results = await Promise.all([ingest('shopify', planted), ingest('csv', csv), ingest('poslog', xml)]);
  for (const r of results) {
    expect(r.status).toBe(202);
    await finished(r.body.statusUrl);
  }
  const names = (await blobs()).filter((n) => /^(raw|curated|quarantine)\//.test(n));
  expect(names.filter((n) => n.startsWith('raw/source=shopify/')).length).toBeGreaterThan(0);
  for (const name of names) {
    const bytes = await lake.getBlobClient(name).downloadToBuffer();
    // Parquet stores strings as plain UTF-8 bytes (and may compress them: check both the bytes and their digits).
    const text = bytes.toString('latin1');
    expect([name, text.includes(pan), text.includes(grouped), text.includes('5500000000000004')]).toEqual([name, false, false, false]);
  }
});

test('a compressed body (gzip, deflate, br) reaches curated like its plain version, is stored decompressed, and is the same batch', async () => {
  // Bodies of their own (a comment, CRLF line ends, compact JSON): the same texts as the every-source
  // test's would be resends of its batches.
  const cases = [
    { source: 'poslog', encode: gzipSync, encoding: 'gzip', body: `${aYearEarlier('poslog/return-linked.xml')}\n<!-- end of day export -->\n`, transactions: 2 },
    { source: 'csv', encode: gzipSync, encoding: 'gzip', body: aYearEarlier('csv/sales.csv').replace(/\r?\n/g, '\r\n'), transactions: 4 },
    { source: 'shopify', encode: gzipSync, encoding: 'gzip', body: JSON.stringify(JSON.parse(aYearEarlier('shopify/order-web-discounts.json'))), transactions: 1 },
    { source: 'square', encode: deflateSync, encoding: 'deflate', body: JSON.stringify(JSON.parse(aYearEarlier('square/order-created-full.json'))), transactions: 1 },
    { source: 'clover', encode: brotliCompressSync, encoding: 'br', body: JSON.stringify(JSON.parse(aYearEarlier('clover/order-vat-refund.json'))), transactions: 2 },
  ];
  for (const { source, encode, encoding, body, transactions } of cases) {
    const compressed = encode(Buffer.from(body));
    expect(compressed.length).toBeLessThan(body.length / 2);
    const sent = await ingest(source, compressed, TYPES[source], { 'content-encoding': encoding });
    expect([source, sent.status]).toEqual([source, 202]);
    expect(await finished(sent.body.statusUrl)).toMatchObject({ source, status: 'completed', transactions, accepted: transactions, quarantined: 0 });
    expect(await curatedIds(sent.body.batchId)).toHaveLength(transactions);
    // The raw zone holds the decompressed text (less a byte order mark, as for a plain body: the CSV
    // fixture has one), under the hash of that text.
    const text = body.replace(/^\uFEFF/, '');
    const sha256 = createHash('sha256').update(text).digest('hex');
    const raws = (await blobs(`raw/source=${source}/`)).filter((n) => n.includes(sha256));
    expect([source, raws.length]).toEqual([source, 1]);
    expect((await lake.getBlobClient(raws[0]!).downloadToBuffer()).toString('utf8')).toBe(text);
    // The plain version is the same batch: a resend.
    expect(await ingest(source, body)).toEqual({ status: 202, location: sent.body.statusUrl, body: sent.body });
  }
});
