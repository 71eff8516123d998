// `pos-hub send` against the real app in the local runtime (functions/index.ts, Azurite, the durable
// orchestration): a CSV export and an NDJSON file of Shopify orders, scaled up from the fixtures and
// split into several bodies, sent with --wait; every transaction reaches curated exactly once and the
// printed totals are the hub's. A second run sends the same bodies: the same batch ids, no new batch,
// no new row. A body over the hub's POS_HUB_MAX_BODY_BYTES (12,000 here) is refused with its 413 and
// exit 1; a wrong key exits 1 with the 401 problem and stops sending. A proxy in front of the hub
// answers 503 and 429 first: the same bodies get through, after the Retry-After.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { send } from '../../cli/send';
import { splitExport } from '../../cli/splitExport';
import type { Runtime } from '../../local/runtime';
import { listPartitions, readPartition } from '../../shared/lake';
import { curatedTransactions, lakeOf, quarantinedTransactions, startHub, tableRows } from '../webhooks/hubRuntime';

jest.setTimeout(180_000);

const MAX_BODY = 12_000;
const FAST = { retry: { attempts: 4, baseDelayMs: 50, maxDelayMs: 200, maxRetryAfterMs: 3000, attemptTimeoutMs: 30_000 }, pollIntervalMs: 200 };

let runtime: Runtime;
let dataDir: string;
let work: string;
const logs: string[] = [];

// 15 copies of the fixture's four transactions, ids made unique per copy (the return's reference to its
// sale too) and its December dates moved into the past (a future date is quarantined).
function csvExport(): string {
  const sample = readFileSync(path.join(__dirname, '../fixtures/csv/sales.csv'), 'utf8').replace(/^\uFEFF/, '');
  const [head, ...rows] = sample.split('\r\n').filter((l) => l);
  const copies = Array.from({ length: 15 }, (_, k) => rows.map((r) => r.replace(/\bT(10\d\d)\b/g, `T$1-${k}`).replaceAll('2026-12-01', '2026-11-28').replaceAll('2026-12-02', '2026-11-29')));
  return '\uFEFF' + [head, ...copies.flat()].join('\r\n') + '\r\n';
}

// 4 copies of three Shopify orders, one line each, each copy with its own order id (kept as text: one
// is beyond 2^53).
function shopifyNdjson(): string {
  const orders = ['order-pos-big-id.json', 'order-web-discounts.json', 'order-pos-cash-rounding.json'].map((f) => readFileSync(path.join(__dirname, '../fixtures/shopify', f), 'utf8'));
  const ids = orders.map((o) => /"id": (\d+)/.exec(o)![1]!);
  const lines: string[] = [];
  for (let k = 0; k < 4; k++) orders.forEach((o, i) => lines.push(o.replaceAll(ids[i]!, `${ids[i]}${k}`).replace(/\n\s*/g, '')));
  return lines.join('\n') + '\n';
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await send(args, (s) => (out += s), (s) => (err += s), env, FAST);
  return { code, out, err };
}

const batchIdsOf = (out: string) => [...out.matchAll(/-> batch (\S+)$/gm)].map((m) => m[1]!);

/** Curated transaction ids whose rows came from batches of this source, with their batch ids. */
async function curatedOf(source: string): Promise<Map<string, string[]>> {
  const all = await curatedTransactions(lakeOf(runtime));
  return new Map([...all].filter(([, batches]) => batches.some((b) => b.startsWith(`${source}-`))));
}

let csvFile: string;
let shopifyFile: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-send-'));
  work = mkdtempSync(path.join(tmpdir(), 'pos-hub-send-files-'));
  csvFile = path.join(work, 'sales-2026.csv');
  shopifyFile = path.join(work, 'shopify-orders.ndjson');
  writeFileSync(csvFile, csvExport());
  writeFileSync(shopifyFile, shopifyNdjson());
  runtime = await startHub(dataDir, { POS_HUB_DEFAULT_TIMEZONE: 'America/New_York', POS_HUB_MAX_BODY_BYTES: String(MAX_BODY) }, logs);
  // What `npm start` writes (local/start.ts), for --data-dir.
  writeFileSync(path.join(dataDir, 'runtime.json'), JSON.stringify({ baseUrl: runtime.baseUrl, functionKey: runtime.functionKey }));
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test('a CSV export in several bodies, with --wait: every transaction curated once, the totals printed are the hub', async () => {
  const expected = splitExport(csvFile, readFileSync(csvFile), 'csv', 4096);
  expect(expected.bodies.length).toBeGreaterThanOrEqual(4);
  const r = await run(['--source', 'csv', '--max-bytes', '4096', '--wait', '--data-dir', dataDir, csvFile]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const lines = r.out.trim().split('\n');
  const ids = batchIdsOf(r.out);
  expect(lines.slice(0, expected.bodies.length)).toEqual(expected.bodies.map((b, i) => `${csvFile} part ${b.part}: ${b.records} records, ${b.body.length} bytes -> batch ${ids[i]}`));
  expect(ids.every((id) => /^csv-c-[0-9a-f]{32}$/.test(id))).toBe(true);
  expect(new Set(ids).size).toBe(expected.bodies.length);
  const bytes = expected.bodies.reduce((n, b) => n + b.body.length, 0);
  expect(lines.slice(expected.bodies.length)).toEqual([
    `sent ${expected.bodies.length} bodies (60 records, ${bytes} bytes) from 1 file: ${ids.length} accepted as ${ids.length} batches, 0 refused`,
    `settled ${ids.length} batches: 60 transactions, 60 accepted, 0 quarantined, 0 failed`,
  ]);
  const curated = await curatedOf('csv');
  expect(curated.size).toBe(60);
  expect([...curated.values()].every((b) => b.length === 1 && ids.includes(b[0]!))).toBe(true);
  // Each body's transactions in its own batch: the batches hold as many as the bodies had.
  const perBatch = new Map<string, number>();
  for (const [, [b]] of curated) perBatch.set(b!, (perBatch.get(b!) ?? 0) + 1);
  expect(ids.map((id) => perBatch.get(id))).toEqual(expected.bodies.map((b) => b.records));
});

test('Shopify orders as NDJSON, the ingest key from POS_HUB_INGEST_KEY: every order curated, ids beyond 2^53 exact', async () => {
  const r = await run(['--source', 'shopify', '--max-bytes', String(MAX_BODY), '--concurrency', '2', '--wait', shopifyFile], {
    POS_HUB_BASE_URL: runtime.baseUrl,
    POS_HUB_INGEST_KEY: runtime.functionKey,
  });
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const ids = batchIdsOf(r.out);
  expect(ids.length).toBeGreaterThanOrEqual(3);
  expect(r.out).toContain(`: ${ids.length} accepted as ${ids.length} batches, 0 refused\n`);
  expect(r.out).toMatch(new RegExp(`\\(12 records, \\d+ bytes\\) from 1 file`));
  expect(r.out.trim().split('\n').at(-1)).toBe(`settled ${ids.length} batches: 12 transactions, 12 accepted, 0 quarantined, 0 failed`);
  const curated = await curatedOf('shopify');
  expect(curated.size).toBe(12);
  expect([...curated.values()].every((b) => b.length === 1 && ids.includes(b[0]!))).toBe(true);
  expect([...(await quarantinedTransactions(lakeOf(runtime))).keys()]).toEqual([]);
  // The order ids as the file had them, digit for digit (the splitter never parses numbers).
  const keys: string[] = [];
  for (const partition of await listPartitions(lakeOf(runtime), 'transactions')) {
    for (const row of (await readPartition(lakeOf(runtime), 'transactions', partition)).rows) if (String(row.batch_id).startsWith('shopify-')) keys.push(String(row.source_key));
  }
  expect(keys.filter((k) => k.startsWith('9007199254740993')).sort()).toEqual(['90071992547409930', '90071992547409931', '90071992547409932', '90071992547409933']);
});

test('the same command again: the same batch ids, no new batch in the ledger, no row twice', async () => {
  const ledgerBefore = (await tableRows<{ partitionKey: string }>(runtime, 'PosHubBatches')).map((e) => e.partitionKey).sort();
  const curatedBefore = await curatedTransactions(lakeOf(runtime));
  // The file and a copy of it in one run: the pool spans files, lines stay in file order, and the
  // copy's bodies are the same batches.
  const copy = path.join(work, 'copy.csv');
  writeFileSync(copy, readFileSync(csvFile));
  const first = await run(['--source', 'csv', '--max-bytes', '4096', '--concurrency', '3', '--data-dir', dataDir, csvFile, copy]);
  const again = await run(['--source', 'csv', '--max-bytes', '4096', '--wait', '--data-dir', dataDir, csvFile]);
  expect([first.code, again.code]).toEqual([0, 0]);
  const ids = batchIdsOf(again.out);
  expect(batchIdsOf(first.out)).toEqual([...ids, ...ids]);
  const lines = first.out.trim().split('\n');
  expect(lines.map((l) => l.split(' part ')[0])).toEqual([...ids.map(() => csvFile), ...ids.map(() => copy), expect.stringMatching(/^sent /) as unknown as string]);
  expect(lines.at(-1)).toMatch(new RegExp(`from 2 files: ${2 * ids.length} accepted as ${ids.length} batches, 0 refused$`));
  expect(ids.every((id) => ledgerBefore.includes(id))).toBe(true);
  expect(again.out.trim().split('\n').at(-1)).toBe(`settled ${ids.length} batches: 60 transactions, 60 accepted, 0 quarantined, 0 failed`);
  expect((await tableRows<{ partitionKey: string }>(runtime, 'PosHubBatches')).map((e) => e.partitionKey).sort()).toEqual(ledgerBefore);
  expect(await curatedTransactions(lakeOf(runtime))).toEqual(curatedBefore);
});

test('bodies over the hub limit: 413 reported per body with its problem, nothing stored, exit 1', async () => {
  const ledgerBefore = (await tableRows(runtime, 'PosHubBatches')).length;
  const r = await run(['--source', 'csv', '--max-bytes', '40000', '--data-dir', dataDir, csvFile]);
  expect(r.code).toBe(1);
  const expected = splitExport(csvFile, readFileSync(csvFile), 'csv', 40000);
  expect(expected.bodies.map((b) => b.body.length > MAX_BODY)).toEqual([true]);
  const lines = r.out.trim().split('\n');
  expect(lines.slice(0, -1)).toEqual(
    expected.bodies.map((b) => `${csvFile} part ${b.part}: ${b.records} records, ${b.body.length} bytes -> refused 413 urn:pos-hub:problem:body-too-large: ${lines[b.part - 1]!.split('body-too-large: ')[1]}`),
  );
  for (const l of lines.slice(0, -1)) expect(l).toMatch(/body-too-large: .*12000/);
  expect(lines.at(-1)).toMatch(new RegExp(`: 0 accepted as 0 batches, ${expected.bodies.length} refused$`));
  expect(r.out).not.toContain('T1001');
  expect((await tableRows(runtime, 'PosHubBatches')).length).toBe(ledgerBefore);
});

test('a wrong key: the 401 problem, nothing more sent, exit 1; the key never printed', async () => {
  const r = await run(['--source', 'csv', '--max-bytes', '4096', '--concurrency', '1', '--url', runtime.baseUrl, '--key', 'not-the-key-9f3a', csvFile]);
  expect(r.code).toBe(1);
  const lines = r.out.trim().split('\n');
  expect(lines[0]).toMatch(/ part 1: \d+ records, \d+ bytes -> refused 401 urn:pos-hub:problem:unauthorized: \S/);
  expect(lines.slice(1, -1).every((l) => l.endsWith('-> not sent: the hub refused the key'))).toBe(true);
  expect(lines.length).toBeGreaterThan(3);
  expect(r.out + r.err).not.toContain('not-the-key-9f3a');
});

test('503 and 429 on the way: the same bodies are sent again (after Retry-After) and accepted as the same batches', async () => {
  // A proxy that answers the first POST 503 and the second 429 (Retry-After: 1), then forwards.
  let posts = 0;
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && ++posts <= 2) {
        res.writeHead(posts === 1 ? 503 : 429, posts === 1 ? {} : { 'retry-after': '1' }).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
      void fetch(new URL(req.url!, runtime.baseUrl), { method: req.method, headers, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) }).then(async (up) => {
        res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await up.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const before = batchIdsOf((await run(['--source', 'csv', '--max-bytes', '4096', '--dry-run', csvFile])).out);
    expect(before).toEqual([]); // a dry run sends nothing
    const started = Date.now();
    const r = await run(['--source', 'csv', '--max-bytes', '4096', '--concurrency', '1', '--url', url, '--key', runtime.functionKey, csvFile]);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const direct = await run(['--source', 'csv', '--max-bytes', '4096', '--data-dir', dataDir, csvFile]);
    expect(batchIdsOf(r.out)).toEqual(batchIdsOf(direct.out));
    expect(posts).toBe(2 + batchIdsOf(r.out).length);
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
  }
});

test('--dry-run prints the split without a hub; usage errors and no hub exit 2', async () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'pos-hub-send-nohub-'));
  try {
    const expected = splitExport(csvFile, readFileSync(csvFile), 'csv', 4096);
    const blank = path.join(empty, 'blank.csv');
    writeFileSync(blank, '\uFEFF\r\n');
    const dry = await run(['--source', 'csv', '--max-bytes', '4096', '--dry-run', '--data-dir', empty, csvFile, blank]);
    const bytes = expected.bodies.reduce((n, b) => n + b.body.length, 0);
    expect(dry).toEqual({
      code: 0,
      err: '',
      out:
        expected.bodies.map((b) => `${csvFile} part ${b.part}: ${b.records} records, ${b.body.length} bytes\n`).join('') +
        `${blank}: nothing to send\n` +
        `dry run: would send ${expected.bodies.length} bodies (60 records, ${bytes} bytes) from 2 files\n`,
    });
    expect(await run(['--source', 'csv', '--data-dir', empty, csvFile])).toEqual({
      code: 2,
      out: '',
      err: `pos-hub: no hub to call: give --url and --key (or POS_HUB_BASE_URL and POS_HUB_INGEST_KEY), or start the local runtime (${path.join(empty, 'runtime.json')} not found)\n`,
    });
    expect(await run(['--source', 'nope', csvFile])).toMatchObject({ code: 2, out: '' });
    expect(await run(['--source', 'csv', '--max-bytes', '0', csvFile])).toEqual({ code: 2, out: '', err: 'pos-hub: --max-bytes must be a whole number of at least 1, got "0"\n' });
    expect(await run(['--source', 'csv', '--store-id', 'bad id!', csvFile])).toMatchObject({ code: 2, out: '' });
    expect(await run(['--source', 'csv', path.join(empty, 'missing.csv')])).toEqual({ code: 2, out: '', err: `pos-hub: cannot read ${path.join(empty, 'missing.csv')}: no such file\n` });
    expect(await run(['--source', 'csv'])).toEqual({ code: 2, out: '', err: 'pos-hub: at least one FILE is required\n' });
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
