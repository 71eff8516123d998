// The ingest path end to end, through the real app (functions/index) in the local runtime: Azurite,
// real durable-functions, the Dataverse stand-in. Payloads of every source go in over HTTP and come
// out in curated/ or quarantine/ with the counts the pipeline gives them, the status endpoint says so,
// Dataverse holds the valid transactions, a resend creates nothing new, and no card number is stored.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

async function ingest(source: string, body: Buffer | string, contentType = TYPES[source] ?? 'application/json') {
  const res = await fetch(`${runtime.baseUrl}/api/v1/ingest/${source}`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey, 'content-type': contentType },
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

// [source, fixture, transactions, curated, quarantined, Dataverse quarantined]
const CASES: Array<[string, string, number, number, number, number?]> = [
  ['poslog', 'poslog/ncr-acs-SMALL.xml', 1, 1, 0],
  ['poslog', 'poslog/return-linked.xml', 2, 0, 2],
  ['shopify', 'shopify/order-web-discounts.json', 1, 1, 0],
  ['square', 'square/order-created-full.json', 1, 1, 0],
  // Tax with 5 decimals: neither DECIMAL(18,4) in the lake nor Dataverse can hold it exactly.
  ['lightspeed-x', 'lightspeed-x/sale-closed.json', 1, 0, 1, 1],
  ['lightspeed-r', 'lightspeed-r/sale-split-tender.json', 1, 0, 1, 1],
  ['clover', 'clover/order-vat-refund.json', 2, 1, 1],
  ['toast', 'toast/order-refund.json', 2, 1, 1],
  ['adyen', 'adyen/payment-success.json', 1, 0, 1],
  ['canonical', 'canonical/batch.json', 2, 1, 1],
  ['csv', 'csv/sales.csv', 4, 2, 2],
];

test('every source: 202, then curated and quarantine hold exactly what was sent, the status says so, Dataverse has the valid ones', async () => {
  const accepted = await Promise.all(CASES.map(([source, file]) => ingest(source, fixture(file))));
  for (const [i, a] of accepted.entries()) {
    expect([CASES[i]![0], a.status]).toEqual([CASES[i]![0], 202]);
    expect(a.location).toBe(a.body.statusUrl);
    expect(a.body.statusUrl).toBe(`${runtime.baseUrl}/api/v1/batches/${a.body.batchId}`);
  }
  const seen: unknown[] = [];
  for (const [i, [source]] of CASES.entries()) {
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
    const refused = (await quarantinedIn(`${batchId}.dataverse`)) as { findings: { code: string }[] }[];
    for (const r of refused) expect(r.findings.map((f) => f.code)).toContain('dataverse.decimal_precision');
    // What the status says, what the lake holds, what Dataverse holds: all the same numbers.
    seen.push([
      source,
      status.transactions,
      [status.accepted, ids.length, (await dataverseRows(ids)).length, status.dataverse.loaded],
      [status.quarantined, (await quarantinedIn(batchId)).length],
      [status.dataverse.quarantined, refused.length],
    ]);
    expect((await blobs(`raw/source=${source}/`)).length).toBeGreaterThan(0);
  }
  expect(seen).toEqual(
    CASES.map(([source, , transactions, curated, quarantined, dataverseFailed = 0]) => [
      source,
      transactions,
      [curated, curated, curated, curated],
      [quarantined, quarantined],
      [dataverseFailed, dataverseFailed],
    ]),
  );
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
