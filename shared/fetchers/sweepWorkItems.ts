// shared/fetchers/sweepWorkItems.ts: retention for the `workItems` table. Settled rows (fetched, gone,
// skipped, failed) are the record of what became of each notification, but kept forever they make the
// table, and the fetcher's pending query (a filter on `status`, not a key, so the service reads the whole
// table), grow with every webhook. Once an hour the fetcher's run deletes the rows settled longer ago than
// the retention period; pending rows are never candidates, and a row is deleted only under the ETag it
// was read with, so one set back to pending meanwhile stays.
//
// Why deleting does not let a redelivery do new work: a row is deleted at the earliest
// MIN_WORK_ITEM_RETENTION_DAYS (4 days) after it settled, so after it was received; a redelivery keeps
// the original sent time, which is at most 5 minutes after that receipt, and is refused as stale 72 hours
// after it (shared/webhooks/deliveryAge.ts). The delivery ledger (kept at least as long) answers it
// before that anyway; the window only matters when a process died between writing the rows and writing
// the ledger entry. A delivery without a sent time (a Square event without `created_at`, a Clover body
// without `ts`) is not refused by age, so once its ledger entry is swept too (sweepDeliveryLedger.ts) a
// redelivery records the row again; harmless, since its fetch is ingested under the same
// Idempotency-Key (fetchIdempotencyKey.ts), so it lands on the same batch.
import type { Settings } from '../platform/settings';
import type { WorkItemQueue } from '../webhooks/workItemStore';
import { SWEEP_LIMITS, sweepExpired, type SweepLimits, type SweepReport } from './sweepExpired';

export { SWEEP_LIMITS, type SweepLimits, type SweepReport } from './sweepExpired';

export interface SweepDeps {
  queue: WorkItemQueue;
  retention: Pick<Settings['fetcher'], 'retentionDays' | 'failedRetentionDays'>;
  now?: () => Date;
  limits?: Partial<SweepLimits>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function sweepWorkItems(deps: SweepDeps): Promise<SweepReport> {
  const limits: SweepLimits = { ...SWEEP_LIMITS, ...deps.limits };
  const now = (deps.now ?? (() => new Date()))();
  const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const { queue, retention } = deps;
  return sweepExpired(
    {
      lastSweptAt: () => queue.lastSweptAt(),
      listExpired: (max) =>
        queue.listExpired(
          { settled: cutoff(retention.retentionDays), failed: cutoff(retention.failedRetentionDays) },
          max,
        ),
      remove: (row) => queue.remove(row),
      markSwept: (at) => queue.markSwept(at),
    },
    now,
    limits,
  );
}
