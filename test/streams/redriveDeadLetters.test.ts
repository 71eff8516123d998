// Re-driving Event Hubs dead letters through the real app: events dead-lettered by the trigger itself
// (a body over the hub's limit, a malformed body) and one left by a failed acceptance (`accept-failed`,
// written as the trigger writes it). Once the limit is raised, the re-drive lands the fixable ones in
// curated/ and deletes their dead letters; the malformed one stays, marked. Dry runs and bad requests
// change nothing, a second re-drive creates no second copy, and no body text reaches answers or logs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventHubProducerClient } from '@azure/event-hubs';
import type { ContainerClient } from '@azure/storage-blob';
import type { Runtime } from '../../local/runtime';
import { redrive } from '../../cli/redrive';
import { transactionId } from '../../shared/model';
import { writeDeadLetter } from '../../shared/streams/writeDeadLetter';
import { blobNames, curatedTransactions, lakeOf, settledBatch, startHub } from '../webhooks/hubRuntime';

jest.setTimeout(180_000);

let runtime: Runtime | undefined;
let dataDir: string;
const logs: string[] = [];
const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p), 'utf8');
const SETTINGS = { POS_HUB_DEFAULT_TIMEZONE: 'America/New_York' };
// Body text that must never leave the dead letters: the fixture's customer email and a marker.
const EMAIL = 'jane.rivera@example.com';
const MARKER = 'zz-redrive-body-marker-77';

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-redrive-'));
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function shopifyOrder(id: number): string {
  const order = JSON.parse(fixture('shopify/order-web-discounts.json')) as { id: number };
  order.id = id;
  return JSON.stringify(order, null, 2);
}

function squarePayment(id: string): string {
  const event = JSON.parse(fixture('square/payment-created.json')) as { event_id: string; data: { id: string; object: { payment: { id: string } } } };
  event.event_id = `ev-${id}`;
  event.data.id = id;
  event.data.object.payment.id = id;
  return JSON.stringify(event);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${logs.slice(-30).join('\n')}`);
    await sleep(500);
  }
}

/** Every dead letter with what a re-drive may change: its ETag and metadata. */
async function deadLetterState(lake: ContainerClient): Promise<Record<string, { etag: string; metadata: Record<string, string> }>> {
  const out: Record<string, { etag: string; metadata: Record<string, string> }> = {};
  for await (const b of lake.listBlobsFlat({ prefix: 'deadletter/', includeMetadata: true })) out[b.name] = { etag: b.properties.etag!, metadata: b.metadata ?? {} };
  return out;
}

/** What a re-drive may add: raw bodies, ledger-visible batches (their raw blobs), curated rows. */
async function lakeState(lake: ContainerClient) {
  return { deadLetters: await deadLetterState(lake), raw: await blobNames(lake, 'raw/'), curated: Object.fromEntries(await curatedTransactions(lake)) };
}

async function post(body: unknown, headers: Record<string, string> = { 'x-functions-key': runtime!.functionKey }) {
  const res = await fetch(`${runtime!.baseUrl}/api/v1/admin/dead-letters/redrive`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> };
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await redrive([...args, '--url', runtime!.baseUrl, '--key', runtime!.functionKey], (s) => (out += s), (s) => (err += s), {});
  return { code, out, err };
}

const redriveEvents = () => logs.filter((l) => l.includes('pos-hub.redrive-outcome'));

test('dead letters are re-driven once their cause is fixed: dry run and bad requests change nothing, fixable ones land once, a malformed one stays marked', async () => {
  // 1. A hub with a small body limit dead-letters the big Shopify order; the malformed one always fails.
  runtime = await startHub(dataDir, { ...SETTINGS, POS_HUB_MAX_BODY_BYTES: '4000' }, logs);
  const big = shopifyOrder(7_100_001);
  expect(Buffer.byteLength(big)).toBeGreaterThan(4000);
  const producer = new EventHubProducerClient(runtime.eventHubsConnectionString!, 'pos-transactions');
  try {
    const batch = await producer.createBatch({ partitionId: '0' });
    expect(batch.tryAdd({ body: Buffer.from(big), properties: { source: 'shopify', contentType: 'application/json' } })).toBe(true);
    expect(batch.tryAdd({ body: Buffer.from(`{"id": 8, "note": "${MARKER}", "email": "${EMAIL}"`), properties: { source: 'shopify' } })).toBe(true);
    expect(batch.tryAdd({ body: Buffer.from(squarePayment('PAYMENTOK01')), properties: { source: 'square' } })).toBe(true);
    await producer.sendBatch(batch);
  } finally {
    await producer.close();
  }
  let lake = lakeOf(runtime);
  const okId = transactionId('square', 'PAYMENTOK01');
  await waitFor('the good event in curated', async () => ((await curatedTransactions(lake)).has(okId) ? true : undefined));
  const streamed = await waitFor('two dead letters', async () => {
    const names = await blobNames(lake, 'deadletter/eventhubs/');
    return names.length === 2 ? names : undefined;
  });
  const codeOf = async (name: string) => ((JSON.parse((await lake.getBlobClient(name).downloadToBuffer()).toString()) as { error: { code: string } }).error.code);
  const [tooLarge, malformed] = streamed;
  expect([await codeOf(tooLarge!), await codeOf(malformed!)]).toEqual(['body-too-large', 'malformed-body']);

  // 2. The limit is raised (a configuration fix): the same lake, a hub with the default limit.
  await runtime.stop();
  runtime = undefined;
  runtime = await startHub(dataDir, SETTINGS, logs);
  lake = lakeOf(runtime);

  // A transient failure: storage refused the acceptance, so the trigger dead-lettered a good event.
  const enqueued = new Date().toISOString();
  const failed = await writeDeadLetter(
    lake,
    { eventHub: 'pos-transactions', consumerGroup: '$Default', partitionId: '1', events: [] },
    {
      event: { body: Buffer.from(squarePayment('PAYMENTRETRY1')), properties: { source: 'square' }, sequenceNumber: 4242, offset: '4242', enqueuedTimeUtc: enqueued },
      error: { code: 'accept-failed', message: 'The specified container is being deleted' },
    },
  );
  const day = enqueued.slice(0, 10);
  expect(failed).toBe(`deadletter/eventhubs/${day}/1-4242.json`);
  const all = [tooLarge!, malformed!, failed].sort();
  const before = await lakeState(lake);
  expect(Object.keys(before.deadLetters)).toEqual(all);

  // 3. Bad requests: refused with the field named, and nothing changes.
  const refusals = [
    [await post({}, {}), 401, null],
    [await post({ blob: 'raw/source=square/x.json' }), 400, '`blob`'],
    [await post({ blob: `deadletter/eventhubs/${day}/../../raw/x.json` }), 400, '`blob`'],
    [await post({ date: '2026-13-01' }), 400, '`date`'],
    [await post({ date: '30.11.2026' }), 400, '`date`'],
    [await post({ dryRun: 'yes' }), 400, '`dryRun`'],
    [await post({ date: day, blob: failed }), 400, '`date` or `blob`'],
    [await post('x'.repeat(70 * 1024)), 413, null],
  ] as const;
  for (const [res, status, field] of refusals) {
    expect([res.status, res.json.type === undefined]).toEqual([status, false]);
    if (field) expect(res.json.detail).toContain(field);
  }
  expect(await lakeState(lake)).toEqual(before);

  // 4. A dry run says what would happen and writes nothing.
  const dry = await post({ dryRun: true });
  expect(dry.status).toBe(200);
  const dryAnswer = dry.json as { dryRun: boolean; accepted: { blob: string; batchId: string }[]; failing: { blob: string; code: string }[]; remaining: number };
  expect(dryAnswer.dryRun).toBe(true);
  expect(dryAnswer.accepted.map((a) => a.blob).sort()).toEqual([failed, tooLarge].sort());
  expect(dryAnswer.failing).toEqual([{ blob: malformed, code: 'malformed-body' }]);
  expect(dryAnswer.remaining).toBe(0);
  expect(await lakeState(lake)).toEqual(before);
  expect(redriveEvents()).toEqual(['[redriveDeadLetters] information: pos-hub.redrive-outcome accepted=2 failing=1 remaining=0 dryRun=true']);

  // 5. The re-drive, one page by hand (max 1), the rest by the CLI, which follows `next`.
  const first = await post({ max: 1 });
  const firstAnswer = first.json as { accepted: { blob: string; batchId: string }[]; failing: unknown[]; remaining: number; next: string };
  expect([first.status, firstAnswer.remaining, firstAnswer.next]).toEqual([200, 2, all[0]]);
  const run = await cli([]);
  expect([run.code, run.err]).toEqual([1, '']);
  const accepted = [...firstAnswer.accepted, ...dryAnswer.accepted.filter((a) => a.blob !== all[0])];
  const batchOf = Object.fromEntries(dryAnswer.accepted.map((a) => [a.blob, a.batchId]));
  // The batch ids the dry run named are those the re-drive gives.
  for (const a of firstAnswer.accepted) expect(a.batchId).toBe(batchOf[a.blob]);
  for (const a of accepted.filter((x) => x.blob !== all[0])) expect(run.out).toContain(`accepted ${a.blob} batch=${a.batchId}\n`);
  expect(run.out).toContain(`failing ${malformed} code=malformed-body\n`);

  for (const blob of [tooLarge!, failed]) {
    const status = await settledBatch(runtime, batchOf[blob]!, logs, 60_000);
    expect([blob, status.status, status.transactions, status.accepted, status.quarantined]).toEqual([blob, 'completed', 1, 1, 0]);
  }
  const shopifyId = transactionId('shopify', '7100001');
  const retryId = transactionId('square', 'PAYMENTRETRY1');
  const after = await lakeState(lake);
  expect(after.curated[shopifyId]).toEqual([batchOf[tooLarge!]]);
  expect(after.curated[retryId]).toEqual([batchOf[failed]]);
  // What was there before is untouched; the two new transactions are all that was added.
  expect(Object.keys(after.curated).sort()).toEqual([...Object.keys(before.curated), shopifyId, retryId].sort());
  for (const [id, batches] of Object.entries(before.curated)) expect(after.curated[id]).toEqual(batches);
  expect(after.raw.length).toBe(before.raw.length + 2);
  // Accepted dead letters are gone; the malformed one stays, marked with the re-drive and its code.
  expect(Object.keys(after.deadLetters)).toEqual([malformed]);
  const marks = after.deadLetters[malformed!]!.metadata;
  expect(marks).toEqual({ errorcode: 'malformed-body', lastredrivecode: 'malformed-body', lastredriveat: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  expect(Date.now() - Date.parse(marks.lastredriveat!)).toBeLessThan(120_000);

  // 6. Again: nothing new. The same event dead-lettered again (a redelivery) is the same batch.
  const again = await writeDeadLetter(
    lake,
    { eventHub: 'pos-transactions', consumerGroup: '$Default', partitionId: '1', events: [] },
    {
      event: { body: Buffer.from(squarePayment('PAYMENTRETRY1')), properties: { source: 'square' }, sequenceNumber: 4242, offset: '4242', enqueuedTimeUtc: enqueued },
      error: { code: 'accept-failed', message: 'timeout' },
    },
  );
  const second = await cli([]);
  expect(second.code).toBe(1);
  expect(second.out).toBe(`accepted ${again} batch=${batchOf[failed]}\nfailing ${malformed} code=malformed-body\naccepted 1, failing 1\n`);
  const third = await cli(['--blob', again]);
  expect([third.code, third.out]).toEqual([0, 'accepted 0, failing 0\n']);
  await sleep(3000); // time for any orchestration a duplicate would have started
  const settled = await lakeState(lake);
  expect(settled.curated).toEqual(after.curated);
  expect(settled.raw).toEqual(after.raw);
  expect(Object.keys(settled.deadLetters)).toEqual([malformed]);

  // One event line per call, counts only; no body text anywhere in the answers or the logs.
  expect(redriveEvents()).toEqual([
    '[redriveDeadLetters] information: pos-hub.redrive-outcome accepted=2 failing=1 remaining=0 dryRun=true',
    '[redriveDeadLetters] information: pos-hub.redrive-outcome accepted=1 failing=0 remaining=2 dryRun=false',
    '[redriveDeadLetters] warning: pos-hub.redrive-outcome accepted=1 failing=1 remaining=0 dryRun=false',
    '[redriveDeadLetters] warning: pos-hub.redrive-outcome accepted=1 failing=1 remaining=0 dryRun=false',
    '[redriveDeadLetters] information: pos-hub.redrive-outcome accepted=0 failing=0 remaining=0 dryRun=false',
  ]);
  const answers = [dry.text, first.text, run.out, run.err, second.out, third.out].join('\n');
  for (const secret of [MARKER, EMAIL, 'PAYMENTRETRY1', '7100001']) expect([secret, answers.includes(secret)]).toEqual([secret, false]);
  const logged = logs.join('\n');
  for (const secret of [MARKER, EMAIL]) expect([secret, logged.includes(secret)]).toEqual([secret, false]);
});
