// shared/dataverse/loadTransactions.ts: canonical transactions into Dataverse, with every transaction
// accounted for: loaded, refused by the mapping (findings), or refused / not reached by the service.
import type { CanonicalTransaction, Finding } from '../model';
import type { DataverseClient } from './dataverseClient';
import { toDataverseRow, type DataverseRow } from './toDataverseRow';
import { upsertRows, type LoadFailure, type UpsertRowsOptions } from './upsertRows';

export interface TransactionsLoadResult {
  /** Ids of transactions whose every row the service confirmed. */
  loaded: string[];
  /** Transactions the mapping refused (never sent), with why. */
  unmapped: Array<{ transactionId: string; findings: Finding[] }>;
  /** Rows the service refused or that could not be delivered. */
  failures: LoadFailure[];
  rowsUpserted: number;
}

export async function loadTransactions(
  client: DataverseClient,
  transactions: CanonicalTransaction[],
  options: UpsertRowsOptions = {},
): Promise<TransactionsLoadResult> {
  const rows: DataverseRow[] = [];
  const unmapped: TransactionsLoadResult['unmapped'] = [];
  for (const tx of transactions) {
    const mapped = toDataverseRow(tx);
    if (mapped.ok) rows.push(...mapped.rows);
    else unmapped.push({ transactionId: tx.id, findings: mapped.findings });
  }
  const result = await upsertRows(client, rows, options);
  const failed = new Set(result.failures.flatMap((f) => f.origins));
  const skipped = new Set(unmapped.map((u) => u.transactionId));
  const loaded = [...new Set(transactions.map((t) => t.id))].filter((id) => !failed.has(id) && !skipped.has(id));
  return { loaded, unmapped, failures: result.failures, rowsUpserted: result.upserted };
}
