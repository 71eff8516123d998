// shared/orchestration/purgeFinishedHistory.ts: the daily purge of finished orchestrations' histories
// (ingest batches, replays, erasures). Without it the task hub's tables and large-message blobs grow
// with every batch for ever. Only finished instances go, and only those created before the retention
// period; the batch ledger keeps each batch's outcome, so GET /api/v1/batches/{id} still answers.

/**
 * The part of durable-functions' DurableClient used here, typed by shape (shared/ does not import it);
 * S is the library's status enum.
 */
export interface PurgeClientLike<S> {
  purgeInstanceHistoryBy(filter: { createdTimeFrom: Date; createdTimeTo?: Date; runtimeStatus?: S[] }): Promise<{ instancesDeleted: number }>;
}

const DAY_MS = 86_400_000;

/**
 * Purges the instances in `finished` states (Completed, Failed, Terminated: running, pending and
 * suspended ones keep their history whatever their age) created more than `retentionDays` ago.
 */
export async function purgeFinishedHistory<S>(
  client: PurgeClientLike<S>,
  finished: S[],
  retentionDays: number,
  now: Date,
): Promise<{ instancesDeleted: number; createdBefore: Date }> {
  const createdBefore = new Date(now.getTime() - retentionDays * DAY_MS);
  // From the epoch, not from the last run: a purge missed while the app was stopped is caught up.
  const { instancesDeleted } = await client.purgeInstanceHistoryBy({ createdTimeFrom: new Date(0), createdTimeTo: createdBefore, runtimeStatus: finished });
  return { instancesDeleted, createdBefore };
}
