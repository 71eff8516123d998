// The simulator's Event Hubs share, planned and summarized without a hub: only in-store payloads become
// events, the share changes their transport and nothing else, a share of 0 plans exactly what the runs
// before it planned (the kill test's traffic), malformed events carry the dead letter the hub's trigger
// will write, and the report expects stream-sent transactions by id, with no batch id.
import { groupStreamEvents } from '../../shared/streams/groupStreamEvents';
import { planTraffic, type PlanOptions } from '../../bench/simulate/planTraffic';
import type { SendResult } from '../../bench/simulate/sendTraffic';
import { summarizeRun } from '../../bench/simulate/summarizeRun';
import { SOURCE_MIX } from '../../bench/simulate/trafficMix';

const OPTIONS: PlanOptions = {
  stores: 3,
  minutes: 1,
  rate: 5,
  seed: 20261130,
  webhooks: { shopify: true, square: true },
  now: Date.parse('2026-11-30T12:00:00Z'),
};
const IN_STORE = new Set(SOURCE_MIX.filter((m) => !m.webhook).map((m) => m.source));
const withoutShare = planTraffic(OPTIONS);
const half = planTraffic({ ...OPTIONS, eventHubsShare: 0.5, shares: { malformed: 0.1 } });
const halfHttpMalformed = planTraffic({ ...OPTIONS, shares: { malformed: 0.1 } });

test('a share of 0 plans exactly what a plan without the option plans', () => {
  const zero = planTraffic({ ...OPTIONS, eventHubsShare: 0 });
  expect(zero.requests).toEqual(withoutShare.requests);
  expect(zero.requests.some((r) => r.via === 'eventhubs')).toBe(false);
});

test('only in-store payloads go by Event Hubs, about the share of them, with the properties the trigger reads', () => {
  const events = half.requests.filter((r) => r.via === 'eventhubs');
  const inStore = half.requests.filter((r) => IN_STORE.has(r.source));
  expect(events.every((r) => IN_STORE.has(r.source))).toBe(true);
  expect(events.length / inStore.length).toBeGreaterThan(0.4);
  expect(events.length / inStore.length).toBeLessThan(0.6);
  expect(half.requests.filter((r) => r.source === 'shopify').every((r) => r.via === 'shopify')).toBe(true);
  for (const r of events.filter((e) => e.purpose !== 'malformed')) {
    expect(r.properties).toEqual({
      source: r.source,
      storeId: expect.stringMatching(/^S00[1-3]$/),
      contentType: r.contentType,
    });
    expect(r.headers).toEqual({});
    expect(r.expectStatus).toEqual([]);
  }
  // Every source that can go by stream did, in this plan.
  expect(new Set(events.map((r) => r.source))).toEqual(IN_STORE);
});

test('the share changes the transport only: the same bodies in the same order', () => {
  const bodies = (p: typeof half) => p.requests.map((r) => (r.purpose === 'malformed' ? r.purpose : r.body));
  expect(bodies(half)).toEqual(bodies(halfHttpMalformed));
  // Resends of events are events again, byte for byte and with the same properties.
  for (const r of half.requests.filter((x) => x.purpose === 'duplicate')) {
    const first = half.requests[r.duplicateOf!]!;
    expect([r.via, r.body, r.properties]).toEqual([first.via, first.body, first.properties]);
  }
});

test("malformed events carry the dead letter code the hub's trigger gives them", () => {
  const bad = half.requests.filter((r) => r.via === 'eventhubs' && r.purpose === 'malformed');
  expect(bad.length).toBeGreaterThanOrEqual(5);
  const events = bad.map((r, k) => ({
    body: Buffer.from(r.body),
    properties: r.properties!,
    sequenceNumber: k,
    offset: String(k),
    enqueuedTimeUtc: '2026-11-30T12:00:00.000Z',
  }));
  // All at once, as one trigger batch: each is still judged on its own.
  const { groups, rejected } = groupStreamEvents(
    { eventHub: 'pos-transactions', consumerGroup: '$Default', partitionId: '0', events },
    { maxEventBytes: 4 << 20, maxBatchBytes: 4 << 20 },
  );
  expect(groups).toEqual([]);
  expect(rejected.map((x) => x.error.code)).toEqual(bad.map((r) => r.deadLetterCode));
  const codes = new Set(bad.map((r) => r.deadLetterCode));
  expect(codes.has('missing-source')).toBe(true);
  expect(codes.has('malformed-body')).toBe(true);
  for (const r of bad) expect(r.transactions).toEqual([]);
  // And the well-formed events are all taken.
  const good = half.requests.filter((r) => r.via === 'eventhubs' && r.purpose !== 'malformed');
  const taken = groupStreamEvents(
    {
      eventHub: 'pos-transactions',
      consumerGroup: '$Default',
      partitionId: '0',
      events: good.map((r, k) => ({
        body: Buffer.from(r.body),
        properties: r.properties!,
        sequenceNumber: k,
        offset: String(k),
        enqueuedTimeUtc: '2026-11-30T12:00:00.000Z',
      })),
    },
    { maxEventBytes: 4 << 20, maxBatchBytes: 4 << 20 },
  );
  expect(taken.rejected).toEqual([]);
});

test('the report expects stream-sent transactions by id, lists expected dead letters, and flags events not sent', () => {
  const lost = half.requests.find(
    (r) => r.via === 'eventhubs' && r.purpose === 'traffic' && r.transactions.length > 0,
  )!;
  const results: SendResult[] = half.requests.map((r) => ({
    n: r.n,
    status: r.via === 'eventhubs' ? null : r.expectStatus[0]!,
    ...(r.via === 'eventhubs' ? { enqueued: r.n !== lost.n } : {}),
    batchId: r.via === 'eventhubs' || r.purpose === 'malformed' ? null : `b-${r.duplicateOf ?? r.n}`,
    problemType: r.n === lost.n ? 'not sent within the retry budget: Error' : null,
    attempts: 1,
    connectionFailures: 0,
    retriedStatuses: [],
    ackMs: 5,
    elapsedMs: 5,
  }));
  const summary = summarizeRun(half, results, 'http://hub', 1, { hubName: 'pos-transactions', batches: 7 });
  const events = half.requests.filter((r) => r.via === 'eventhubs');
  expect(summary.events).toMatchObject({
    planned: events.length,
    enqueued: events.length - 1,
    gaveUp: 1,
    batches: 7,
  });
  expect(summary.requests.planned).toBe(half.requests.length - events.length);
  expect(summary.unexpected).toEqual([
    expect.objectContaining({
      n: lost.n,
      via: 'eventhubs',
      got: null,
      problemType: 'not sent within the retry budget: Error',
    }),
  ]);
  const expected = [...summary.transactions.curated, ...summary.transactions.quarantine];
  const streamed = expected.filter((t) => t.via === 'eventhubs');
  const want = events
    .filter((r) => r.n !== lost.n && r.purpose !== 'duplicate')
    .flatMap((r) => r.transactions.map((t) => t.id));
  expect(streamed.map((t) => t.id).sort()).toEqual(want.sort());
  expect(streamed.every((t) => t.batchId === null)).toBe(true);
  for (const t of lost.transactions) expect(expected.map((e) => e.id)).not.toContain(t.id);
  expect(summary.deadLetters).toEqual(
    events
      .filter((r) => r.deadLetterCode)
      .map((r) => ({ n: r.n, source: r.source, malformed: r.malformed, code: r.deadLetterCode })),
  );
  for (const source of IN_STORE) {
    expect(summary.perSource[source]!.eventhubs).toBe(events.filter((r) => r.source === source).length);
    expect(summary.perSource[source]!.deadLettersExpected).toBe(
      events.filter((r) => r.source === source && r.deadLetterCode).length,
    );
  }
  expect(summary.target).toEqual({ baseUrl: 'http://hub', eventHub: 'pos-transactions' });
});
