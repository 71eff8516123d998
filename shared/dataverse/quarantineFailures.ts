// shared/dataverse/quarantineFailures.ts: what did not reach Dataverse, as transactions with findings
// the quarantine zone can hold and a replay can re-drive.
import type { CanonicalTransaction, Finding } from '../model';
import type { TransactionsLoadResult } from './loadTransactions';

export interface QuarantineRecord {
  transaction: CanonicalTransaction;
  findings: Finding[];
  /** True when every problem is transient (throttling, outage): re-driving as-is may succeed. */
  retryable: boolean;
}

/**
 * One record per transaction that did not load, carrying the mapping's findings and the service's
 * errors (`dataverse.rejected` for a row the service refused, `dataverse.unavailable` for one it could
 * not take now). Finding paths name the table and key, and messages carry the service's code and
 * message, never row contents.
 */
export function quarantineFailures(result: TransactionsLoadResult, transactions: CanonicalTransaction[]): QuarantineRecord[] {
  const byId = new Map<string, { findings: Finding[]; retryable: boolean }>();
  const entry = (id: string) => {
    let e = byId.get(id);
    if (!e) byId.set(id, (e = { findings: [], retryable: true }));
    return e;
  };
  for (const u of result.unmapped) {
    const e = entry(u.transactionId);
    e.findings.push(...u.findings);
    e.retryable = false;
  }
  for (const f of result.failures) {
    const code = f.retryable ? 'dataverse.unavailable' : 'dataverse.rejected';
    const status = f.error.status ? `${f.error.status} ` : '';
    const message = `${status}${f.error.code ? `${f.error.code}: ` : ''}${f.error.message}`;
    for (const id of f.origins) {
      const e = entry(id);
      e.findings.push({ code, severity: 'error', path: `/dataverse/${f.table}/${f.keyValue}`, message });
      if (!f.retryable) e.retryable = false;
    }
  }
  const records: QuarantineRecord[] = [];
  const seen = new Set<string>();
  for (const tx of transactions) {
    const e = byId.get(tx.id);
    if (!e || seen.has(tx.id)) continue;
    seen.add(tx.id);
    records.push({ transaction: tx, findings: e.findings, retryable: e.retryable });
  }
  return records;
}
