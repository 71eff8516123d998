// shared/platform/operationEvents.ts: the log lines operations alert on (docs/operations.md). Each is one
// line, `<event> key=value ...`, so an Azure Monitor query finds it by its prefix and reads the figures
// with `extract`; infra/modules/alerts.bicep queries exactly these names. Values are ids, codes and
// counts only: never a payload, an identifier of a person or a secret.

export const OPERATION_EVENTS = {
  /** One per batch run, written by the `recordBatch` activity with the run's counts. */
  batchOutcome: 'pos-hub.batch-outcome',
  /** One per Event Hubs event that could not be accepted and went to `deadletter/`. */
  deadLetter: 'pos-hub.dead-letter',
  /** One per run of the `fetchWorkItems` timer that did anything, with its counts. */
  fetchOutcome: 'pos-hub.fetch-outcome',
  /** One per finished erasure run, with its counts (shared/privacy/erasureRecord.ts). */
  erasureOutcome: 'pos-hub.erasure-outcome',
  /** One per call of the dead-letter re-drive (shared/streams/redriveDeadLetters.ts), with its counts. */
  redriveOutcome: 'pos-hub.redrive-outcome',
  /** One per admin request carried out (replay, erase, re-drive), naming the caller: the audit trail. */
  adminAction: 'pos-hub.admin-action',
  /** One per admin request refused to a caller that may ingest (403): a credential used beyond its grant. */
  adminRefused: 'pos-hub.admin-refused',
} as const;

export interface OperationLogLine {
  /** `warn` when someone should look (a failed run, quarantined or refused transactions, a dead letter). */
  level: 'info' | 'warn';
  message: string;
}

export interface BatchOutcomeFigures {
  batchId: string;
  source?: string | null;
  status: 'completed' | 'failed';
  counts: { transactions: number; accepted: number; quarantined: number; dataverseLoaded: number; dataverseFailed: number } | null;
}

/** Sources and codes can come from a producer's properties (untrusted text): only a plain token goes into the line. */
function token(value: string | null | undefined): string {
  return value && /^[A-Za-z0-9._-]{1,64}$/.test(value) ? value : 'unknown';
}

export function batchOutcomeEvent(o: BatchOutcomeFigures): OperationLogLine {
  const c = o.counts ?? { transactions: 0, accepted: 0, quarantined: 0, dataverseLoaded: 0, dataverseFailed: 0 };
  const message =
    `${OPERATION_EVENTS.batchOutcome} batch=${o.batchId} source=${token(o.source)} status=${o.status} transactions=${c.transactions} accepted=${c.accepted} ` +
    `quarantined=${c.quarantined} dataverseLoaded=${c.dataverseLoaded} dataverseFailed=${c.dataverseFailed}`;
  const attention = o.status === 'failed' || c.quarantined > 0 || c.dataverseFailed > 0;
  return { level: attention ? 'warn' : 'info', message };
}

export function deadLetterEvent(d: { source: string | null | undefined; code: string; blobName: string }): OperationLogLine {
  return { level: 'warn', message: `${OPERATION_EVENTS.deadLetter} source=${token(d.source)} code=${token(d.code)} blob=${d.blobName}` };
}

/** The counts of a fetcher run (shared/fetchers/workOffItems.ts, WorkOffReport), in the event's order. */
const FETCH_COUNTS = ['fetched', 'gone', 'skipped', 'failed', 'retrying', 'rateLimited', 'waiting', 'deferred'] as const;

/** A run that gave up on rows (`failed`) or left rows for want of a working token (`waiting`) needs a person. */
export function fetchOutcomeEvent(f: Record<(typeof FETCH_COUNTS)[number], number>): OperationLogLine {
  const message = [OPERATION_EVENTS.fetchOutcome, ...FETCH_COUNTS.map((k) => `${k}=${f[k]}`)].join(' ');
  return { level: f.failed > 0 || f.waiting > 0 ? 'warn' : 'info', message };
}

/** Counts only: the dead letters' bodies and properties hold personal data. A real run that left some failing is a warning. */
export function redriveOutcomeEvent(r: { accepted: number; failing: number; remaining: number; dryRun: boolean }): OperationLogLine {
  const message = `${OPERATION_EVENTS.redriveOutcome} accepted=${r.accepted} failing=${r.failing} remaining=${r.remaining} dryRun=${r.dryRun}`;
  return { level: !r.dryRun && r.failing > 0 ? 'warn' : 'info', message };
}

/** Who made an admin request: `key-<fingerprint>` or `token-<object id>` (authorizeCaller.ts), never a secret. */
export function callerToken(a: { caller: 'key' | 'token'; subject: string | null }): string {
  if (a.caller === 'key') return token(a.subject);
  return `token-${token(a.subject)}`;
}

/**
 * An admin request carried out: the action, the caller and what it acted on (ids, dates, counts; never
 * a person's identifier: an erasure is named by its id, which is a hash). Information: the audit trail.
 */
export function adminActionEvent(action: 'replay' | 'erase' | 'redrive', caller: string, fields: Record<string, string | number | boolean | undefined>): OperationLogLine {
  const parts = Object.entries(fields)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (/^[A-Za-z0-9._:/-]{1,200}$/.test(v) ? v : 'unknown') : String(v)}`);
  return { level: 'info', message: [OPERATION_EVENTS.adminAction, `action=${action}`, `caller=${caller}`, ...parts].join(' ') };
}

/** An ingest credential used on an admin endpoint: a warning, since a POS's key should never try. */
export function adminRefusedEvent(caller: string, route: string): OperationLogLine {
  return { level: 'warn', message: `${OPERATION_EVENTS.adminRefused} caller=${caller} route=${token(route)}` };
}
