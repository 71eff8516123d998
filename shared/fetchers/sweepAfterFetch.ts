// shared/fetchers/sweepAfterFetch.ts: the retention sweeps the fetcher's run makes after its work
// (functions/fetchWorkItems.ts): the work items first, then the webhook delivery ledger. Each table is
// swept independently: a failing delivery sweep is logged and tried again next run without failing the
// run, and a failing work-item sweep still fails the run (as it always did) but does not keep the
// delivery ledger from being swept.
import { RestError } from '@azure/data-tables';
import type { SweepReport } from './sweepExpired';

export interface SweepAfterFetchDeps {
  sweepWorkItems(): Promise<SweepReport>;
  sweepDeliveries(): Promise<SweepReport>;
  log(message: string): void;
  warn(message: string): void;
}

const summary = (swept: SweepReport, what: string) =>
  `fetchWorkItems: retention deleted ${swept.deleted} ${what}${swept.kept > 0 ? `, kept ${swept.kept} changed meanwhile` : ''}${swept.more ? '; more next run' : ''}`;

const hasNews = (swept: SweepReport) => swept.deleted + swept.kept > 0 || swept.more;

/** Status and code only: an error's message can carry request details, and logs never need them. */
function describe(err: unknown): string {
  if (err instanceof RestError) return `HTTP ${err.statusCode ?? '?'} ${err.code ?? ''}`.trim();
  return err instanceof Error ? err.name : 'error';
}

export async function sweepAfterFetch(deps: SweepAfterFetchDeps): Promise<void> {
  try {
    const swept = await deps.sweepWorkItems();
    if (hasNews(swept)) deps.log(summary(swept, 'settled work item(s)'));
  } finally {
    try {
      const swept = await deps.sweepDeliveries();
      if (hasNews(swept)) deps.log(summary(swept, 'webhook delivery record(s)'));
    } catch (err) {
      deps.warn(
        `fetchWorkItems: retention of webhook delivery records failed (${describe(err)}); tried again next run`,
      );
    }
  }
}
