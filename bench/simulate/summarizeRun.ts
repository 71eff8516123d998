// bench/simulate/summarizeRun.ts: what the simulator prints: what it sent and what it expects the hub
// to hold, as JSON for tests and people to compare with the lake. Counts per source; the batches the
// hub accepted; the transactions those batches must produce, with the zone predicted for each; the
// members seen in several channels; planted card numbers by their mask only. No key or secret.
import type { ExpectedTransaction } from './expectTransactions';
import { maskedForReport } from './plantCardNumber';
import type { PlannedRequest, TrafficPlan } from './planTraffic';
import type { SendResult } from './sendTraffic';

export interface SourceSummary {
  payloads: number;
  /** Originals of returns the simulator made and sent before the return. */
  originalsSent: number;
  /** Requests that got an answer with a batch id. */
  accepted: number;
  transactionsExpected: number;
  duplicates: number;
  malformed: number;
  plantedCards: number;
  returns: number;
  /** Returns (and reversals) whose original sale was sent in this run, earlier or in the same body. */
  returnsLinked: number;
  voids: number;
  splitTenders: number;
}

export interface RunSummary {
  target: { baseUrl: string };
  options: {
    stores: number;
    minutes: number;
    rate: number;
    seed: number;
    maxPayloads: number | null;
    webhooks: string[];
  };
  seconds: number;
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
  perSource: Record<string, SourceSummary>;
  acceptedBatchIds: string[];
  /** Requests answered differently from the contract (empty when the hub behaved). */
  unexpected: {
    n: number;
    source: string;
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
    curated: { id: string; source: string; sourceKey: string; batchId: string }[];
    quarantine: { id: string; source: string; sourceKey: string; batchId: string; errors: string[] }[];
  };
  loyalty: { member: string; sources: string[]; channels: string[]; payloads: number }[];
  plantedCards: { n: number; source: string; where: string; masked: string; accepted: boolean }[];
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const emptySource = (): SourceSummary => ({
  payloads: 0,
  originalsSent: 0,
  accepted: 0,
  transactionsExpected: 0,
  duplicates: 0,
  malformed: 0,
  plantedCards: 0,
  returns: 0,
  returnsLinked: 0,
  voids: 0,
  splitTenders: 0,
});

export function summarizeRun(
  plan: TrafficPlan,
  results: SendResult[],
  baseUrl: string,
  seconds: number,
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

  for (const r of plan.requests as PlannedRequest[]) {
    const res = results[r.n];
    const s = (perSource[r.source] ??= emptySource());
    const status = res?.status ?? null;
    byStatus[String(status ?? 'gave-up')] = (byStatus[String(status ?? 'gave-up')] ?? 0) + 1;
    if (res?.ackMs != null) acks.push(res.ackMs);
    s.payloads++;
    if (r.purpose === 'duplicate') s.duplicates++;
    if (r.purpose === 'malformed') s.malformed++;
    if (r.purpose === 'original') s.originalsSent++;
    // A webhook delivery resent because its answer was lost is, rightly, a duplicate of itself: 200 with its batch.
    const redelivered =
      r.via !== 'ingest' && (res?.attempts ?? 0) > 1 && status === 200 && res?.batchId != null;
    if (status === null || (!r.expectStatus.includes(status) && !redelivered)) {
      unexpected.push({
        n: r.n,
        source: r.source,
        purpose: r.purpose,
        ...(r.malformed ? { malformed: r.malformed } : {}),
        expected: r.expectStatus,
        got: status,
        problemType: res?.problemType ?? null,
      });
    }
    const batchId = status !== null && status < 300 ? (res?.batchId ?? null) : null;
    if (batchId) {
      s.accepted++;
      acceptedBatchIds.add(batchId);
    }
    if (r.purpose === 'duplicate') {
      const first = results[r.duplicateOf!]?.batchId ?? null;
      if (batchId !== first)
        duplicateMismatches.push({ n: r.n, duplicateOf: r.duplicateOf!, batchId, firstBatchId: first });
    }
    for (const p of r.plantedCards)
      plantedCards.push({
        n: r.n,
        source: r.source,
        where: p.where,
        masked: maskedForReport(p.pan),
        accepted: batchId !== null,
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
      if (!batchId) continue;
      s.transactionsExpected++;
      if (t.route === 'curated')
        curated.push({ id: t.id, source: t.source, sourceKey: t.sourceKey, batchId });
      else quarantine.push({ id: t.id, source: t.source, sourceKey: t.sourceKey, batchId, errors: t.errors });
    }
    for (const t of r.transactions) keysSoFar.add(`${t.source}\u0000${t.sourceKey}`);
    if (batchId) {
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
  return {
    target: { baseUrl },
    options: {
      stores: o.stores,
      minutes: o.minutes,
      rate: o.rate,
      seed: o.seed,
      maxPayloads: o.maxPayloads ?? null,
      webhooks: Object.entries(o.webhooks)
        .filter(([, on]) => on)
        .map(([v]) => v),
    },
    seconds,
    requests: {
      planned: plan.requests.length,
      answered: results.filter((r) => r?.status != null).length,
      gaveUp: results.filter((r) => r?.status == null).length,
      attempts: results.reduce((a, r) => a + (r?.attempts ?? 0), 0),
      connectionFailures: results.reduce((a, r) => a + (r?.connectionFailures ?? 0), 0),
      retriedStatuses: results.reduce((a, r) => a + (r?.retriedStatuses.length ?? 0), 0),
      byStatus,
    },
    ackMs: { p50: percentile(acks, 50), p99: percentile(acks, 99) },
    perSource,
    acceptedBatchIds: [...acceptedBatchIds],
    unexpected,
    duplicateMismatches,
    transactions: { curated, quarantine },
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
