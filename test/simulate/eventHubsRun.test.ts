// A simulated run with an Event Hubs share against the local runtime run as a process: in-store payloads
// go partly as events through the real producer client to the runtime's local Event Hubs server (the
// connection string from runtime.json), the rest as HTTP posts and signed webhooks. Every expected
// transaction, stream-sent or not, must end in curated/ or quarantine/ exactly once, in the zone
// predicted; every malformed event must leave exactly the dead letter predicted; no planted card
// number may be stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TableClient } from '@azure/data-tables';
import { resolveTarget } from '../../bench/simulate/resolveTarget';
import { runSimulation, type SimulationRun } from '../../bench/simulate/runSimulation';
import { ensureBuilt, HubProcess } from './hubProcess';
import {
  blobsContaining,
  lakeContainer,
  readLakeTransactions,
  type LakeTransactions,
} from './readLakeTransactions';

const WEBHOOKS = {
  SHOPIFY_WEBHOOK_SECRETS: 'eventhubs-test-shopify-secret',
  SQUARE_WEBHOOK_SIGNATURE_KEYS: 'eventhubs-test-square-key',
  SQUARE_WEBHOOK_URL: 'https://hub.example.test/api/v1/webhooks/square',
};
// A few dozen payloads; seed chosen so the run holds stream-sent payloads of several sources and
// malformed events (asserted below, so a change of generators cannot make the test hollow).
// With resends: a resent event that lands in the same trigger batch (and store) as its first send is one
// line of that group's body (shared/streams/groupStreamEvents.ts), and one in a later trigger batch is
// another batch that loads the same transaction ids: either way each transaction is stored once.
const SEED = 7;
const PAYLOADS = 36;
const RATE = 6;

let dataDir: string;
let hub: HubProcess;

beforeAll(() => {
  ensureBuilt();
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-sim-eh-'));
  hub = new HubProcess(dataDir, {
    ...WEBHOOKS,
    POS_HUB_DEFAULT_CURRENCY: 'USD',
    POS_HUB_DEFAULT_TIMEZONE: 'America/New_York',
  });
}, 115_000);

afterAll(async () => {
  await hub?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

interface DeadLetter {
  error: { code: string };
  properties: Record<string, unknown>;
  body: string;
}

async function readDeadLetters(storage: string): Promise<DeadLetter[]> {
  const container = lakeContainer(storage);
  const letters: DeadLetter[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: 'deadletter/eventhubs/' }))
    letters.push(
      JSON.parse(
        (await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8'),
      ) as DeadLetter,
    );
  return letters;
}

/** Ledger entries not yet completed or failed (every batch, HTTP or stream, has one). */
async function unfinishedBatches(storage: string): Promise<string[]> {
  const table = TableClient.fromConnectionString(storage, 'PosHubBatches', { allowInsecureConnection: true });
  const open: string[] = [];
  for await (const e of table.listEntities<{ status?: string }>())
    if (e.status !== 'completed' && e.status !== 'failed') open.push(`${e.partitionKey} ${e.status}`);
  return open;
}

/**
 * Until every expected transaction is stored, every expected dead letter written and every batch done,
 * and still so a moment later (a late resent event would start another batch).
 */
async function drain(run: SimulationRun, storage: string, timeoutMs: number) {
  const s = run.summary;
  const expected = [...s.transactions.curated, ...s.transactions.quarantine].map((t) => t.id);
  const deadline = Date.now() + timeoutMs;
  let settledOnce = false;
  for (;;) {
    const lake = await readLakeTransactions(lakeContainer(storage));
    const letters = await readDeadLetters(storage);
    const open = await unfinishedBatches(storage);
    const stored = new Set([...lake.curated, ...lake.quarantine]);
    const missing = expected.filter((id) => !stored.has(id));
    const settled = missing.length === 0 && letters.length >= s.deadLetters.length && open.length === 0;
    if (settled && settledOnce) return { lake, letters };
    settledOnce = settled;
    if (Date.now() > deadline) {
      const log = hub.output.split('\n').filter((l) => /partition|dead|fail/i.test(l));
      throw new Error(
        `not drained: ${missing.length} transaction(s) missing, ${letters.length}/${s.deadLetters.length} dead letters, open batches ${JSON.stringify(open)}\n${log.slice(-20).join('\n')}`,
      );
    }
    await sleep(settled ? 2000 : 1000);
  }
}

function countOf(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

test('stream-sent and HTTP-sent transactions each end in curated or quarantine exactly once, as predicted; malformed events are dead-lettered as predicted', async () => {
  const info = await hub.start();
  const target = resolveTarget({ runtime: hub.runtimeJson }, WEBHOOKS);
  expect(target.eventHubs?.hubName).toBe('pos-transactions');
  const run = await runSimulation(
    {
      stores: 2,
      minutes: 10,
      rate: RATE,
      seed: SEED,
      maxPayloads: PAYLOADS,
      eventHubsShare: 0.6,
      shares: { malformed: 0.12, duplicate: 0.15 },
    },
    target,
    { concurrency: 8, retryForMs: 30_000 },
  );
  const s = run.summary;
  const events = run.plan.requests.filter((r) => r.via === 'eventhubs');
  process.stdout.write(
    `eventhubs run: ${s.requests.planned} requests, ${s.events.planned} events in ${s.events.batches} batches, ` +
      `${s.transactions.curated.length} + ${s.transactions.quarantine.length} transactions expected, ${s.deadLetters.length} dead letters\n`,
  );
  // The run is what it claims to be: events of several sources, malformed ones, and HTTP too.
  expect(
    new Set(events.filter((r) => r.purpose === 'traffic').map((r) => r.source)).size,
  ).toBeGreaterThanOrEqual(3);
  expect(s.deadLetters.length).toBeGreaterThanOrEqual(1);
  expect(events.filter((r) => r.purpose === 'duplicate').length).toBeGreaterThanOrEqual(1);
  expect(s.requests.planned).toBeGreaterThan(0);
  expect(s.unexpected).toEqual([]);
  expect(s.duplicateMismatches).toEqual([]);
  expect(s.events).toMatchObject({ planned: events.length, enqueued: events.length, gaveUp: 0 });
  expect(s.events.batches).toBeGreaterThan(0);
  expect(s.events.batches).toBeLessThanOrEqual(events.length);
  const streamed = [...s.transactions.curated, ...s.transactions.quarantine].filter(
    (t) => t.via === 'eventhubs',
  );
  expect(streamed.length).toBeGreaterThanOrEqual(5);

  const { lake, letters } = await drain(run, info.storageConnectionString, 90_000);

  // Exactly once, in the zone predicted, stream-sent or not.
  const expected = [...s.transactions.curated, ...s.transactions.quarantine].map((t) => t.id);
  expect(new Set(expected).size).toBe(expected.length);
  const counts = countOf([...lake.curated, ...lake.quarantine]);
  const expectedSet = new Set(expected);
  expect({
    missing: expected.filter((id) => !counts.has(id)),
    duplicated: [...counts.entries()].filter(([, n]) => n > 1).map(([id]) => id),
    strangers: [...counts.keys()].filter((id) => !expectedSet.has(id)),
  }).toEqual({ missing: [], duplicated: [], strangers: [] });
  const zoneOf = (l: LakeTransactions, id: string) => (l.curated.includes(id) ? 'curated' : 'quarantine');
  expect(streamed.map((t) => [t.id, zoneOf(lake, t.id)])).toEqual(
    streamed.map((t) => [t.id, s.transactions.curated.some((c) => c.id === t.id) ? 'curated' : 'quarantine']),
  );
  expect(new Set(lake.curated)).toEqual(new Set(s.transactions.curated.map((t) => t.id)));
  expect(new Set(lake.quarantine)).toEqual(new Set(s.transactions.quarantine.map((t) => t.id)));

  // One dead letter per malformed event, with the predicted code, for the event's body.
  const byN = new Map(run.plan.requests.map((r) => [r.n, r]));
  const want = s.deadLetters
    .map((d) => [byN.get(d.n)!.properties!.source ?? null, d.code, byN.get(d.n)!.body])
    .sort();
  const got = letters.map((l) => [l.properties.source ?? null, l.error.code, l.body]).sort();
  expect(got).toEqual(want);

  const container = lakeContainer(info.storageConnectionString);
  const pans = run.plan.requests.flatMap((r) => r.plantedCards.map((c) => c.pan));
  expect(await blobsContaining(container, pans, ['raw/', 'quarantine/', 'deadletter/'])).toEqual([]);
  expect(pans.filter((p) => lake.curatedText.includes(p))).toEqual([]);
  // The connection string is never in the report.
  expect(JSON.stringify(s)).not.toContain(target.eventHubs!.connectionString);
}, 170_000);
