// shared/fetchers/sweepExpired.ts: the retention sweep shared by the tables the fetcher's run keeps
// bounded (work items, webhook deliveries): at most once per `everyMs`, read up to `maxDeleted` expired
// rows, delete them a few at a time under the ETag each was read with, stop starting deletes after
// `budgetMs`, and write the table's sweep marker only when nothing expired was left, so a sweep that
// stopped at its limits goes on in the next run instead of waiting an hour.

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

export interface SweepReport {
  /** False when the last sweep finished less than `everyMs` ago: nothing was read. */
  swept: boolean;
  deleted: number;
  /** Rows that changed after they were read (or were deleted by another run): left alone. */
  kept: number;
  /** True when the sweep stopped at its limits; the next run goes on. */
  more: boolean;
}

/** What a sweep needs of a table; the expiry rule (cutoffs, which rows may go) lives in `listExpired`. */
export interface SweptTable<Row> {
  /** When the last sweep finished (ISO), or null when none has. */
  lastSweptAt(): Promise<string | null>;
  /** Expired rows, at most `max`; never the sweep marker. */
  listExpired(max: number): Promise<Row[]>;
  /** Deletes the row if it is unchanged since it was read (its ETag); false when it was changed or is gone. */
  remove(row: Row): Promise<boolean>;
  markSwept(at: string): Promise<void>;
}

export async function sweepExpired<Row>(
  table: SweptTable<Row>,
  now: Date,
  limits: SweepLimits,
): Promise<SweepReport> {
  const report: SweepReport = { swept: false, deleted: 0, kept: 0, more: false };

  const last = await table.lastSweptAt();
  if (last !== null && now.getTime() - Date.parse(last) < limits.everyMs) return report;
  report.swept = true;

  const expired = await table.listExpired(limits.maxDeleted);
  const startedAt = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < expired.length && Date.now() - startedAt < limits.budgetMs) {
      const row = expired[next++]!;
      if (await table.remove(row)) report.deleted++;
      else report.kept++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limits.concurrency) }, worker));

  report.more = expired.length >= limits.maxDeleted || next < expired.length;
  // Marked only when the sweep went through everything expired: otherwise the next run continues.
  if (!report.more) await table.markSwept(now.toISOString());
  return report;
}
