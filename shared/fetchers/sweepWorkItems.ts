// shared/fetchers/sweepWorkItems.ts: retention for the `workItems` table. Settled rows (fetched, gone,
// skipped, failed) are the record of what became of each notification, but kept forever they make the
// table, and the fetcher's pending query (a filter on `status`, not a key, so the service reads the whole
// table), grow with every webhook. Once an hour the fetcher's run deletes the rows settled longer ago than
// the retention period; pending rows are never candidates, and a row is deleted only under the ETag it
// was read with, so one set back to pending meanwhile stays.
//
// Why deleting cannot let a redelivery make the row again: a row is deleted at the earliest
// MIN_WORK_ITEM_RETENTION_DAYS (4 days) after it settled, so after it was received; a redelivery keeps
// the original sent time, which is at most 5 minutes after that receipt, and is refused as stale 72 hours
// after it (shared/webhooks/deliveryAge.ts). The delivery ledger answers it before that anyway; the
// window only matters when a process died between writing the rows and writing the ledger entry.
import type { Settings } from '../platform/settings';
import type { WorkItemEntity, WorkItemQueue } from '../webhooks/workItemStore';

export interface SweepLimits {
  /** A finished sweep is not repeated before this long: the query it makes reads the whole table. */
  everyMs: number;
  /** Rows deleted at most per run; when there were more, the next run goes on (no hour's pause). */
  maxDeleted: number;
  /** Deletes sent at once. */
  concurrency: number;
  /** No new delete starts after this long, so the sweep never holds up the next run. */
  budgetMs: number;
}

export const SWEEP_LIMITS: SweepLimits = {
  everyMs: 60 * 60_000,
  maxDeleted: 2000,
  concurrency: 10,
  budgetMs: 10_000,
};

export interface SweepDeps {
  queue: WorkItemQueue;
  retention: Pick<Settings['fetcher'], 'retentionDays' | 'failedRetentionDays'>;
  now?: () => Date;
  limits?: Partial<SweepLimits>;
}

export interface SweepReport {
  /** False when the last sweep finished less than `everyMs` ago: nothing was read. */
  swept: boolean;
  deleted: number;
  /** Rows that changed after they were read (or were deleted by another run): left alone. */
  kept: number;
  /** True when the sweep stopped at its limits; the next run goes on. */
  more: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function sweepWorkItems(deps: SweepDeps): Promise<SweepReport> {
  const limits: SweepLimits = { ...SWEEP_LIMITS, ...deps.limits };
  const now = (deps.now ?? (() => new Date()))();
  const report: SweepReport = { swept: false, deleted: 0, kept: 0, more: false };

  const last = await deps.queue.lastSweptAt();
  if (last !== null && now.getTime() - Date.parse(last) < limits.everyMs) return report;
  report.swept = true;

  const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const expired = await deps.queue.listExpired(
    { settled: cutoff(deps.retention.retentionDays), failed: cutoff(deps.retention.failedRetentionDays) },
    limits.maxDeleted,
  );
  const startedAt = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < expired.length && Date.now() - startedAt < limits.budgetMs) {
      const row: WorkItemEntity = expired[next++]!;
      if (await deps.queue.remove(row)) report.deleted++;
      else report.kept++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limits.concurrency) }, worker));

  report.more = expired.length >= limits.maxDeleted || next < expired.length;
  // Marked only when the sweep went through everything expired: otherwise the next run continues.
  if (!report.more) await deps.queue.markSwept(now.toISOString());
  return report;
}
