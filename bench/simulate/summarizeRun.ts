// bench/simulate/summarizeRun.ts: what the simulator prints: what it sent and what it expects the hub
// to hold, as JSON for tests and people to compare with the lake. Counts per source; the batches the
// hub accepted; the transactions those batches must produce, with the zone predicted for each; the
// members seen in several channels; planted card numbers by their mask only. No key or secret.
// Events sent to Event Hubs get no answer and no batch id: their transactions are expected by id (the id
// depends only on source and source key), and their malformed ones by the dead letter they must leave.
import type { ExpectedTransaction } from './expectTransactions';
import { maskedForReport } from './plantCardNumber';
import type { PlannedRequest, TrafficPlan } from './planTraffic';
import type { SendResult } from './sendTraffic';

export interface SourceSummary {
  payloads: number;
  /** Of the payloads, those sent as Event Hubs events. */
  eventhubs: number;
  /** Originals of returns the simulator made and sent before the return. */
  originalsSent: number;
  /** Requests that got an answer with a batch id. */
  accepted: number;
  transactionsExpected: number;
  duplicates: number;
  malformed: number;
  /** Malformed events the Event Hub took: each must leave one dead letter. */
  deadLettersExpected: number;
  plantedCards: number;
  returns: number;
  /** Returns (and reversals) whose original sale was sent in this run, earlier or in the same body. */
  returnsLinked: number;
  voids: number;
  splitTenders: number;
}

export type ExpectedEntry = {
  id: string;
  source: string;
  sourceKey: string;
  /** How the body went: `ingest`, `shopify`, `square` (webhooks) or `eventhubs`. */
  via: string;
  /** The hub's answer; null for events (the trigger answers nobody). */
  batchId: string | null;
};

export interface RunSummary {
  target: { baseUrl: string; eventHub: string | null };
  options: {
    stores: number;
    minutes: number;
    rate: number;
    seed: number;
    maxPayloads: number | null;
    webhooks: string[];
    eventHubsShare: number;
  };
  seconds: number;
  /** HTTP requests (posts to the ingest API and webhooks). */
  requests: {
    planned: number;
    answered: number;
    gaveUp: number;
    attempts: number;
    connectionFailures: number;
    retriedStatuses: number;
    byStatus: Record<string, number>;
  };
  ackMs: { p50: number | null; p99: number | null };
  /** Events sent to the Event Hub. */
  events: {
    planned: number;
    enqueued: number;
    gaveUp: number;
    attempts: number;
    failures: number;
    batches: number;
    sendMs: { p50: number | null; p99: number | null };
  };
  perSource: Record<string, SourceSummary>;
  acceptedBatchIds: string[];
  /** Requests answered differently from the contract (empty when the hub behaved). */
  unexpected: {
    n: number;
    source: string;
    via: string;
    purpose: string;
    malformed?: string;
    expected: number[];
    got: number | null;
    problemType: string | null;
  }[];
  /** Resends answered with another batch id than their first send. */
  duplicateMismatches: {
    n: number;
    duplicateOf: number;
    batchId: string | null;
    firstBatchId: string | null;
  }[];
  transactions: {
    curated: ExpectedEntry[];
    quarantine: (ExpectedEntry & { errors: string[] })[];
  };
  /** Malformed events the Event Hub took, each with the error code of the dead letter it must leave. */
  deadLetters: { n: number; source: string; malformed: string; code: string }[];
  loyalty: { member: string; sources: string[]; channels: string[]; payloads: number }[];
  plantedCards: { n: number; source: string; where: string; masked: string; accepted: boolean }[];
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const emptySource = (): SourceSummary => ({
  payloads: 0,
  eventhubs: 0,
  originalsSent: 0,
  accepted: 0,
  transactionsExpected: 0,
  duplicates: 0,
  malformed: 0,
  deadLettersExpected: 0,
  plantedCards: 0,
  returns: 0,
  returnsLinked: 0,
  voids: 0,
  splitTenders: 0,
});

/** A request (or event) whose answer is not the contracted one, as the report lists it. */
function unexpectedOf(
  r: PlannedRequest,
  expected: number[],
  got: number | null,
  problemType: string | null,
): RunSummary['unexpected'][number] {
  return {
    n: r.n,
    source: r.source,
    via: r.via,
    purpose: r.purpose,
    ...(r.malformed ? { malformed: r.malformed } : {}),
    expected,
    got,
    problemType,
  };
}

export function summarizeRun(
  plan: TrafficPlan,
  results: SendResult[],
  baseUrl: string,
  seconds: number,
  eventHubs: { hubName: string; batches: number } | null = null,
): RunSummary {
  const o = plan.options;
  const byStatus: Record<string, number> = {};
  const perSource: Record<string, SourceSummary> = {};
  const unexpected: RunSummary['unexpected'] = [];
  const duplicateMismatches: RunSummary['duplicateMismatches'] = [];
  const acceptedBatchIds = new Set<string>();
  const curated: RunSummary['transactions']['curated'] = [];
  const quarantine: RunSummary['transactions']['quarantine'] = [];
  const loyalty = new Map<string, { sources: Set<string>; channels: Set<string>; payloads: number }>();
  const plantedCards: RunSummary['plantedCards'] = [];
  const keysSoFar = new Set<string>();
  const acks: number[] = [];
  const eventAcks: number[] = [];
  const deadLetters: RunSummary['deadLetters'] = [];
  const events: RunSummary['events'] = {
    planned: 0,
    enqueued: 0,
    gaveUp: 0,
    attempts: 0,
    failures: 0,
    batches: eventHubs?.batches ?? 0,
    sendMs: { p50: null, p99: null },
  };

  for (const r of plan.requests as PlannedRequest[]) {
    const res = results[r.n];
    const s = (perSource[r.source] ??= emptySource());
    s.payloads++;
    if (r.purpose === 'duplicate') s.duplicates++;
    if (r.purpose === 'malformed') s.malformed++;
    if (r.purpose === 'original') s.originalsSent++;
    // Accepted: answered with a batch id, or (an event) taken by the Event Hub.
    let accepted: boolean;
    let batchId: string | null = null;
    if (r.via === 'eventhubs') {
      accepted = res?.enqueued === true;
      s.eventhubs++;
      events.planned++;
      events.attempts += res?.attempts ?? 0;
      events.failures += res?.connectionFailures ?? 0;
      if (res?.ackMs != null) eventAcks.push(res.ackMs);
      if (accepted) events.enqueued++;
      else {
        events.gaveUp++;
        unexpected.push(unexpectedOf(r, [], null, res?.problemType ?? null));
      }
      if (accepted && r.deadLetterCode) {
        s.deadLettersExpected++;
        deadLetters.push({ n: r.n, source: r.source, malformed: r.malformed!, code: r.deadLetterCode });
      }
    } else {
      const status = res?.status ?? null;
      byStatus[String(status ?? 'gave-up')] = (byStatus[String(status ?? 'gave-up')] ?? 0) + 1;
      if (res?.ackMs != null) acks.push(res.ackMs);
      // A webhook delivery resent because its answer was lost is, rightly, a duplicate of itself: 200 with its batch.
      const redelivered =
        r.via !== 'ingest' && (res?.attempts ?? 0) > 1 && status === 200 && res?.batchId != null;
      if (status === null || (!r.expectStatus.includes(status) && !redelivered)) {
        unexpected.push(unexpectedOf(r, r.expectStatus, status, res?.problemType ?? null));
      }
      batchId = status !== null && status < 300 ? (res?.batchId ?? null) : null;
      accepted = batchId !== null;
      if (batchId) acceptedBatchIds.add(batchId);
      if (r.purpose === 'duplicate') {
        const first = results[r.duplicateOf!]?.batchId ?? null;
        if (batchId !== first)
          duplicateMismatches.push({ n: r.n, duplicateOf: r.duplicateOf!, batchId, firstBatchId: first });
      }
    }
    if (accepted) s.accepted++;
    for (const p of r.plantedCards)
      plantedCards.push({
        n: r.n,
        source: r.source,
        where: p.where,
        masked: maskedForReport(p.pan),
        accepted,
      });
    if (r.plantedCards.length) s.plantedCards += r.plantedCards.length;
    const sameBody = new Set(r.transactions.map((t) => t.sourceKey));
    for (const t of r.transactions as ExpectedTransaction[]) {
      if (t.kind === 'return' || t.originalSourceKey) s.returns++;
      if (
        t.originalSourceKey &&
        (keysSoFar.has(`${t.source}\u0000${t.originalSourceKey}`) || sameBody.has(t.originalSourceKey))
      )
        s.returnsLinked++;
      if (t.kind === 'void') s.voids++;
      if (t.tenders > 1) s.splitTenders++;
      if (!accepted) continue;
      s.transactionsExpected++;
      const entry = { id: t.id, source: t.source, sourceKey: t.sourceKey, via: r.via, batchId };
      if (t.route === 'curated') curated.push(entry);
      else quarantine.push({ ...entry, errors: t.errors });
    }
    for (const t of r.transactions) keysSoFar.add(`${t.source}\u0000${t.sourceKey}`);
    if (accepted) {
      for (const m of r.members) {
        const e = loyalty.get(m) ?? { sources: new Set<string>(), channels: new Set<string>(), payloads: 0 };
        e.sources.add(r.source);
        for (const t of r.transactions) e.channels.add(t.channel);
        e.payloads++;
        loyalty.set(m, e);
      }
    }
  }
  acks.sort((a, b) => a - b);
  eventAcks.sort((a, b) => a - b);
  events.sendMs = { p50: percentile(eventAcks, 50), p99: percentile(eventAcks, 99) };
  // Results are by request number; requests never sent (a stopped run) have none.
  const http = results.filter((r, n) => r !== undefined && plan.requests[n]?.via !== 'eventhubs');
  return {
    target: { baseUrl, eventHub: eventHubs?.hubName ?? null },
    options: {
      stores: o.stores,
      minutes: o.minutes,
      rate: o.rate,
      seed: o.seed,
      maxPayloads: o.maxPayloads ?? null,
      webhooks: Object.entries(o.webhooks)
        .filter(([, on]) => on)
        .map(([v]) => v),
      eventHubsShare: o.eventHubsShare ?? 0,
    },
    seconds,
    requests: {
      planned: plan.requests.length - events.planned,
      answered: http.filter((r) => r.status != null).length,
      gaveUp: http.filter((r) => r.status == null).length,
      attempts: http.reduce((a, r) => a + r.attempts, 0),
      connectionFailures: http.reduce((a, r) => a + r.connectionFailures, 0),
      retriedStatuses: http.reduce((a, r) => a + r.retriedStatuses.length, 0),
      byStatus,
    },
    ackMs: { p50: percentile(acks, 50), p99: percentile(acks, 99) },
    events,
    perSource,
    acceptedBatchIds: [...acceptedBatchIds],
    unexpected,
    duplicateMismatches,
    transactions: { curated, quarantine },
    deadLetters,
    loyalty: [...loyalty.entries()]
      .filter(([, e]) => e.sources.size > 1)
      .map(([member, e]) => ({
        member,
        sources: [...e.sources].sort(),
        channels: [...e.channels].sort(),
        payloads: e.payloads,
      }))
      .sort((a, b) => a.member.localeCompare(b.member)),
    plantedCards,
  };
}
