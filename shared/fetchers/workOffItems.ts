// shared/fetchers/workOffItems.ts: one run of the work-item fetcher. Notification-only webhooks left
// pending rows in `workItems` (shared/webhooks/workItemStore.ts); each run reads them oldest first,
// fetches each notified order from the vendor's API and ingests it through acceptBatch, like any
// webhook body (card data masked before anything is stored), then settles the row.
//
// Rows are claimed with a lease written under the row's ETag before the vendor is asked, and settled
// under the ETag of the claim, so two runs never both work one row; should one still ingest an order
// twice (a lease that ran out), the Idempotency-Key makes it the same batch.
import type { AcceptBatchRequest, AcceptBatchResult } from '../ingest/acceptBatch';
import { batchIdOf } from '../ingest/batchIdOf';
import type { Settings } from '../platform/settings';
import type { WorkItemChange, WorkItemEntity, WorkItemQueue } from '../webhooks/workItemStore';
import { fetchIdempotencyKey } from './fetchIdempotencyKey';
import { fetchPlanFor, type FetchPlan } from './fetchPlanFor';

export interface WorkOffLimits {
  /** Rows one run settles or fetches at most; more stay for the next run. */
  pageSize: number;
  /** Pending rows read at most to find the oldest. */
  maxScanned: number;
  /** Per vendor request, body included. */
  timeoutMs: number;
  /** Failed fetches (network, 5xx) after which a row is `failed`. */
  maxAttempts: number;
  /** How long a claim holds a row: longer than a run can take, so only a crashed run's claims expire. */
  leaseMs: number;
  /** No new fetch starts after this long, so a run ends before the next occurrence is due. */
  budgetMs: number;
  /** Backoff after the first failed fetch, doubled per further attempt up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const WORK_OFF_LIMITS: WorkOffLimits = {
  pageSize: 50,
  maxScanned: 5000,
  timeoutMs: 10_000,
  maxAttempts: 8,
  leaseMs: 5 * 60_000,
  budgetMs: 45_000,
  // 1, 2, 4, 8, 16, 32, 60 minutes: a vendor outage of about two hours before a row fails.
  backoffBaseMs: 60_000,
  backoffMaxMs: 60 * 60_000,
};

export interface WorkOffDeps {
  queue: WorkItemQueue;
  fetcher: Settings['fetcher'];
  /** acceptBatch with its dependencies bound. */
  accept(req: AcceptBatchRequest): Promise<AcceptBatchResult>;
  log(message: string): void;
  warn(message: string): void;
  now?: () => Date;
  limits?: Partial<WorkOffLimits>;
}

export interface WorkOffReport {
  fetched: number;
  gone: number;
  skipped: number;
  failed: number;
  /** Rows whose fetch failed this run and that are tried again after a backoff. */
  retrying: number;
  /** Rows the vendor asked to wait for (429, Retry-After). */
  rateLimited: number;
  /** Rows left pending because no token is configured for them or the vendor refused it. */
  waiting: number;
  /** Due rows left for the next run (page or time budget used up, vendor rate-limited this run). */
  deferred: number;
  /** Batches the fetched objects went into. */
  batchIds: string[];
  /** Configuration problems, one line each; they name settings and merchants, never a token. */
  problems: string[];
}

type Fetch = Extract<FetchPlan, { kind: 'fetch' }>;
interface Group {
  plan: Fetch;
  rows: WorkItemEntity[];
}

const PROBLEM_KEY_REUSED = 'urn:pos-hub:problem:idempotency-key-reused';

function waitingLines(waiting: Map<string, { count: number; merchants: Set<string> }>): string[] {
  return [...waiting]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([vendor, w]) => {
      const merchants = [...w.merchants].sort().join(', ');
      if (vendor !== 'square')
        return `${w.count} clover work item(s) wait: CLOVER_API_TOKENS has no token for merchant(s) ${merchants}`;
      return w.merchants.size === 0
        ? `${w.count} square work item(s) wait: SQUARE_ACCESS_TOKEN is not set`
        : `${w.count} square work item(s) wait: SQUARE_ACCESS_TOKEN is not set and SQUARE_ACCESS_TOKENS has no token for merchant(s) ${merchants}`;
    });
}

export async function workOffItems(deps: WorkOffDeps): Promise<WorkOffReport> {
  const limits: WorkOffLimits = { ...WORK_OFF_LIMITS, ...deps.limits };
  const now = deps.now ?? (() => new Date());
  const startedAt = Date.now();
  const report: WorkOffReport = {
    fetched: 0,
    gone: 0,
    skipped: 0,
    failed: 0,
    retrying: 0,
    rateLimited: 0,
    waiting: 0,
    deferred: 0,
    batchIds: [],
    problems: [],
  };

  const runAt = now().toISOString();
  const pending = await deps.queue.listPending(limits.maxScanned);
  const due = pending.filter(
    (r) => (r.notBefore === null || r.notBefore <= runAt) && (r.leaseUntil === null || r.leaseUntil <= runAt),
  );

  // Rows waiting for a token do not count against the page: they would otherwise hold back the rows
  // of every other vendor and merchant behind them.
  const waiting = new Map<string, { count: number; merchants: Set<string> }>();
  const skips: { row: WorkItemEntity; reason: string }[] = [];
  // One fetch per notified object: Square sends order.created and several order.updated for one sale,
  // and every one of them is answered by the object's current state.
  const groups = new Map<string, Group>();
  let taken = 0;
  for (const row of due) {
    const plan = fetchPlanFor(row, deps.fetcher);
    if (plan.kind === 'wait') {
      const w = waiting.get(plan.vendor) ?? { count: 0, merchants: new Set<string>() };
      w.count++;
      if (plan.merchantId !== undefined) w.merchants.add(plan.merchantId);
      waiting.set(plan.vendor, w);
      continue;
    }
    const key =
      plan.kind === 'fetch' ? [row.vendor, row.accountId, row.objectType, row.objectId].join('\n') : null;
    const group = key === null ? undefined : groups.get(key);
    if (group) {
      group.rows.push(row);
      continue;
    }
    if (taken >= limits.pageSize) {
      report.deferred++;
      continue;
    }
    taken++;
    if (plan.kind === 'skip') skips.push({ row, reason: plan.reason });
    else groups.set(key!, { plan, rows: [row] });
  }
  for (const line of waitingLines(waiting)) {
    report.problems.push(line);
    deps.warn(`fetchWorkItems: ${line}`);
  }
  report.waiting += [...waiting.values()].reduce((n, w) => n + w.count, 0);

  const settle = async (row: WorkItemEntity, change: WorkItemChange): Promise<boolean> => {
    const done = await deps.queue.update(row, change);
    if (!done)
      deps.warn(
        `fetchWorkItems: ${row.vendor} work item ${row.rowKey} was changed by another run; left to it`,
      );
    return done !== null;
  };

  for (const { row, reason } of skips) {
    if (await settle(row, { status: 'skipped', reason, leaseUntil: null, settledAt: runAt }))
      report.skipped++;
  }

  // Scopes (one token each) that answered 401/403 or 429 in this run: nothing more is asked with them.
  const blocked = new Map<string, 'unauthorized' | 'rate_limited'>();
  for (const group of groups.values()) {
    const stop = blocked.get(group.plan.scope);
    if (stop === 'unauthorized') {
      report.waiting += group.rows.length;
      continue;
    }
    if (stop === 'rate_limited' || Date.now() - startedAt >= limits.budgetMs) {
      report.deferred += group.rows.length;
      continue;
    }
    const leaseUntil = new Date(now().getTime() + limits.leaseMs).toISOString();
    const claimed: WorkItemEntity[] = [];
    for (const row of group.rows) {
      const mine = await deps.queue.update(row, { leaseUntil });
      if (mine) claimed.push(mine);
    }
    if (claimed.length > 0) await workGroup(group.plan, claimed);
  }
  return report;

  async function workGroup(plan: Fetch, rows: WorkItemEntity[]): Promise<void> {
    // The newest notification names the batch: the fetch answers it and every older one.
    const newest = rows[rows.length - 1]!;
    const what = `${newest.vendor} ${newest.objectType} ${newest.objectId}`;
    const answer = await plan.fetch(limits.timeoutMs);
    const at = now();
    const atIso = at.toISOString();
    const settleAll = async (change: WorkItemChange): Promise<number> => {
      let n = 0;
      for (const row of rows) if (await settle(row, change)) n++;
      return n;
    };
    const settled = { leaseUntil: null, notBefore: null, settledAt: atIso };

    const retryOrFail = async (error: string) => {
      for (const row of rows) {
        const attempts = row.attempts + 1;
        if (attempts >= limits.maxAttempts) {
          if (await settle(row, { ...settled, status: 'failed', attempts, lastError: error }))
            report.failed++;
        } else {
          const wait = Math.min(limits.backoffMaxMs, limits.backoffBaseMs * 2 ** (attempts - 1));
          const notBefore = new Date(at.getTime() + wait).toISOString();
          if (await settle(row, { attempts, notBefore, leaseUntil: null, lastError: error }))
            report.retrying++;
        }
      }
      deps.warn(
        `fetchWorkItems: ${what}: ${error} (attempt ${rows[0]!.attempts + 1} of ${limits.maxAttempts})`,
      );
    };

    switch (answer.kind) {
      case 'ok': {
        const bad = plan.checkBody(answer.body);
        if (bad) return retryOrFail(`unexpected answer: ${bad}`);
        const key = fetchIdempotencyKey(newest);
        let accepted: AcceptBatchResult;
        try {
          accepted = await deps.accept({
            source: plan.source,
            body: answer.body,
            contentType: 'application/json',
            headers: { 'content-type': 'application/json' },
            idempotencyKey: key,
            receivedAt: at,
          });
        } catch (err) {
          // Storage is failing: the claims run out and the next run tries again.
          throw new Error(`fetchWorkItems: ingesting ${what} failed`, { cause: err });
        }
        if (accepted.ok) {
          report.fetched += await settleAll({
            ...settled,
            status: 'fetched',
            batchId: accepted.batchId,
            lastError: null,
          });
          report.batchIds.push(accepted.batchId);
          return;
        }
        if (accepted.problem.type === PROBLEM_KEY_REUSED) {
          // An earlier run ingested this notification and died before marking it; the order has changed
          // since. That batch answers this notification; the change has a notification of its own.
          const batchId = batchIdOf(plan.source, '', key);
          report.fetched += await settleAll({ ...settled, status: 'fetched', batchId, lastError: null });
          report.batchIds.push(batchId);
          deps.log(`fetchWorkItems: ${what} was ingested before as batch ${batchId}`);
          return;
        }
        const error = `ingest refused the answer: ${accepted.problem.type.replace('urn:pos-hub:problem:', '')}: ${accepted.problem.detail}`;
        report.failed += await settleAll({ ...settled, status: 'failed', lastError: error });
        deps.warn(`fetchWorkItems: ${what}: ${error}`);
        return;
      }
      case 'gone':
        report.gone += await settleAll({
          ...settled,
          status: 'gone',
          reason: `${newest.vendor} answered HTTP ${answer.status}: the order does not exist or the token cannot see it`,
        });
        return;
      case 'unauthorized': {
        blocked.set(plan.scope, 'unauthorized');
        report.waiting += await settleAll({ leaseUntil: null });
        const line = `${newest.vendor} answered HTTP ${answer.status} to ${plan.credential}: the token is wrong, revoked or lacks the orders read permission; its work items stay pending`;
        report.problems.push(line);
        deps.warn(`fetchWorkItems: ${line}`);
        return;
      }
      case 'rate_limited': {
        blocked.set(plan.scope, 'rate_limited');
        const notBefore = new Date(at.getTime() + answer.retryAfterMs).toISOString();
        report.rateLimited += await settleAll({ leaseUntil: null, notBefore });
        deps.warn(
          `fetchWorkItems: ${newest.vendor} answered 429 for ${plan.credential}: waiting until ${notBefore}`,
        );
        return;
      }
      case 'transient':
        return retryOrFail(answer.error);
      case 'refused': {
        const error = `${newest.vendor} answered ${answer.error}`;
        report.failed += await settleAll({ ...settled, status: 'failed', lastError: error });
        deps.warn(`fetchWorkItems: ${what}: ${error}`);
        return;
      }
    }
  }
}
