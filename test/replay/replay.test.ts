// Replay through the real app: a POSLog batch whose local times have no offset is quarantined while no
// time zone is configured; the runtime restarts with POS_HUB_DEFAULT_TIMEZONE; `pos-hub replay --date`
// (reading runtime.json) re-runs the batch, its quarantined transaction moves to curated, and the
// transaction that had loaded already is still there exactly once (lake and Dataverse), also after a
// second replay.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { replay } from '../../cli/replay';
import type { Runtime } from '../../local/runtime';
import { blobNames, curatedTransactions, lakeOf, quarantinedTransactions, settledBatch, settledInstance, startHub } from '../webhooks/hubRuntime';

jest.setTimeout(80_000);

let runtime: Runtime | undefined;
let dataDir: string;
const logs: string[] = [];

// Two register transactions of one POSLog: 161 as the NCR register wrote it (local times, no offset:
// quarantined without a store time zone), 162 the same sale stamped with its offset (valid as it is).
const ncr = readFileSync(path.join(__dirname, '../fixtures/poslog/ncr-acs-SMALL.xml'), 'utf8');
const retail = /<Transaction><RetailStoreID>9<\/RetailStoreID><WorkstationID>34<\/WorkstationID><SequenceNumber>161<\/SequenceNumber>[\s\S]*?<\/Transaction>/.exec(ncr)![0];
const withOffset = retail.replace('<SequenceNumber>161</SequenceNumber>', '<SequenceNumber>162</SequenceNumber>').replaceAll('2017-10-01T02:02:54', '2017-10-01T02:02:54-04:00');
const POSLOG = ncr.replace('</POSLog>', `${withOffset}</POSLog>`);

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-replay-'));
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The hub ids of these transactions in Dataverse (the local stand-in), to see that it holds each once. */
async function dataverseIds(ids: string[]): Promise<string[]> {
  const res = await fetch(`${runtime!.dataverseUrl}/api/data/v9.2/pos_transactions?$select=pos_hubid`, { headers: { authorization: 'Bearer local-dev', accept: 'application/json' } });
  const rows = ((await res.json()) as { value: { pos_hubid: string }[] }).value.map((r) => r.pos_hubid);
  return rows.filter((id) => ids.includes(id)).sort();
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await replay(args, (s) => (out += s), (s) => (err += s), {});
  return { code, out, err };
}

test('quarantined for want of a time zone, replayed after it is configured: curated holds each transaction once', async () => {
  runtime = await startHub(dataDir, {}, logs);
  const key = runtime.functionKey;
  const ingested = await post(`${runtime.baseUrl}/api/v1/ingest/poslog`, POSLOG, { 'x-functions-key': key, 'content-type': 'application/xml' });
  expect(ingested.status).toBe(202);
  const batchId = ingested.body.batchId as string;
  expect(await settledBatch(runtime, batchId, logs)).toMatchObject({ status: 'completed', transactions: 2, accepted: 1, quarantined: 1 });

  const lake = () => lakeOf(runtime!);
  const curatedBefore = await curatedTransactions(lake());
  const quarantinedBefore = await quarantinedTransactions(lake());
  expect([...curatedBefore.values()]).toEqual([[batchId]]);
  expect([...quarantinedBefore.values()]).toEqual([['time.zone_unknown']]);
  const [loadedId] = [...curatedBefore.keys()];
  const [quarantinedId] = [...quarantinedBefore.keys()];
  expect(await blobNames(lake(), 'quarantine/')).toEqual([`quarantine/business_date=2017-09-30/source=poslog/batch-${batchId}.ndjson`]);
  expect(await dataverseIds([loadedId!, quarantinedId!])).toEqual([loadedId]);

  // The cause is fixed: a default time zone. The same data folder, so the same lake, ledger and history.
  await runtime.stop();
  runtime = undefined;
  runtime = await startHub(dataDir, { POS_HUB_DEFAULT_TIMEZONE: 'America/New_York' }, logs);
  writeFileSync(path.join(dataDir, 'runtime.json'), JSON.stringify({ baseUrl: runtime.baseUrl, functionKey: runtime.functionKey }));

  const byDate = await cli(['--date', '2017-09-30', '--data-dir', dataDir]);
  expect({ code: byDate.code, err: byDate.err }).toEqual({ code: 0, err: '' });
  expect(JSON.parse(byDate.out)).toEqual({
    replays: [{ batchId, replayId: `replay-${batchId}-1`, statusUrl: `${runtime.baseUrl}/api/v1/batches/${batchId}` }],
    skipped: [],
  });
  expect(await settledInstance(runtime, `replay-${batchId}-1`, logs)).toBe('Completed');
  expect(await settledBatch(runtime, batchId, logs)).toMatchObject({ status: 'completed', transactions: 2, accepted: 2, quarantined: 0 });
  const curated = await curatedTransactions(lake());
  expect(Object.fromEntries(curated)).toEqual({ [loadedId!]: [batchId], [quarantinedId!]: [batchId] });
  expect((await quarantinedTransactions(lake())).size).toBe(0);
  expect(await blobNames(lake(), 'quarantine/')).toEqual([]);
  expect(await dataverseIds([loadedId!, quarantinedId!])).toEqual([loadedId!, quarantinedId!].sort());

  // A second replay (of the batch, over HTTP) changes nothing: still each transaction exactly once.
  const again = await post(`${runtime.baseUrl}/api/v1/admin/replay`, JSON.stringify({ batchId }), { 'x-functions-key': key, 'content-type': 'application/json' });
  expect(again).toEqual({ status: 202, body: { replays: [{ batchId, replayId: `replay-${batchId}-2`, statusUrl: `${runtime.baseUrl}/api/v1/batches/${batchId}` }], skipped: [] } });
  expect(await settledInstance(runtime, `replay-${batchId}-2`, logs)).toBe('Completed');
  expect(Object.fromEntries(await curatedTransactions(lake()))).toEqual({ [loadedId!]: [batchId], [quarantinedId!]: [batchId] });
  expect(await dataverseIds([loadedId!, quarantinedId!])).toEqual([loadedId!, quarantinedId!].sort());

  // Nothing is left to replay on that date now.
  const nothing = await cli(['--date', '2017-09-30', '--data-dir', dataDir]);
  expect(nothing).toEqual({ code: 1, out: '', err: 'pos-hub: replay refused (404): Nothing to replay: no quarantined transactions on 2017-09-30\n' });
});

test('refused replay requests: 401 without a key, 400 for a bad body, 404 for an unknown batch, 413 for an oversized body; the CLI exits 2 on usage', async () => {
  const url = `${runtime!.baseUrl}/api/v1/admin/replay`;
  const key = runtime!.functionKey;
  const answers = [
    await post(url, '{"batchId":"x"}', { 'content-type': 'application/json' }),
    await post(url, '{"batchId":"x"}', { 'x-functions-key': 'wrong-key' }),
    await post(url, 'not json', { 'x-functions-key': key }),
    await post(url, '{"businessDate":"2017-13-45"}', { 'x-functions-key': key }),
    await post(url, '{"batchId":"poslog-c-00000000000000000000000000000000"}', { 'x-functions-key': key }),
    await post(url, JSON.stringify({ batchId: 'poslog-c-00000000000000000000000000000000', padding: 'x'.repeat(70_000) }), { 'x-functions-key': key }),
  ];
  expect(answers.map((a) => [a.status, a.body.type])).toEqual([
    [401, 'urn:pos-hub:problem:unauthorized'],
    [401, 'urn:pos-hub:problem:unauthorized'],
    [400, 'urn:pos-hub:problem:invalid-replay-request'],
    [400, 'urn:pos-hub:problem:invalid-replay-request'],
    [404, 'urn:pos-hub:problem:unknown-batch'],
    [413, 'urn:pos-hub:problem:body-too-large'],
  ]);
  expect(await cli(['--batch', 'a', '--date', '2017-09-30'])).toEqual({ code: 2, out: '', err: 'pos-hub: give exactly one of --batch and --date\n' });
  const noHub = mkdtempSync(path.join(tmpdir(), 'pos-hub-nohub-'));
  try {
    const r = await cli(['--batch', 'a', '--data-dir', noHub]);
    expect([r.code, r.err]).toEqual([2, `pos-hub: no hub to call: give --url and --key (or POS_HUB_BASE_URL and POS_HUB_KEY), or start the local runtime (${path.join(noHub, 'runtime.json')} not found)\n`]);
  } finally {
    rmSync(noHub, { recursive: true, force: true });
  }
  const viaFlags = await cli(['--batch', 'poslog-c-00000000000000000000000000000000', '--url', runtime!.baseUrl, '--key', key]);
  expect(viaFlags).toEqual({ code: 1, out: '', err: 'pos-hub: replay refused (404): Unknown batch: no batch poslog-c-00000000000000000000000000000000\n' });
});
