// shared/orchestration/loadDataverseBatch.ts: activity `loadDataverse`: the batch's valid transactions
// upserted into Dataverse by alternate key (idempotent). Transactions the service refuses for good, or
// the mapping cannot express, go to the quarantine zone with the service's error, in a blob of their
// own per business date and source (`batch-<batchId>.dataverse.ndjson`), so the lake load running in
// parallel never writes the same blob. A transient failure throws, so the orchestration retries; on
// the final attempt what still failed is quarantined as `dataverse.unavailable`, to be re-driven.
import type { ContainerClient } from '@azure/storage-blob';
import type { CanonicalTransaction } from '../model';
import { loadTransactions, quarantineFailures, type DataverseClient } from '../dataverse';
import { quarantineBlobName } from '../lake/writeQuarantine';
import { writeQuarantine } from '../lake/writeQuarantine';
import { routeOf } from '../quality/validate';
import { readWork } from './workBlob';

export interface DataverseLoadOutput {
  /** False when no Dataverse environment is configured. */
  configured: boolean;
  loaded: number;
  quarantined: number;
}

export async function loadDataverseBatch(
  deps: { dataverse: DataverseClient | null; lake: ContainerClient; work: ContainerClient },
  /** final: the last attempt; what still cannot reach the service goes to quarantine as retryable. */
  input: { batchId: string; ref: string; final?: boolean },
): Promise<DataverseLoadOutput> {
  if (!deps.dataverse) return { configured: false, loaded: 0, quarantined: 0 };
  const batch = await readWork(deps.work, input.ref);
  const valid = batch.transactions.filter((t) => routeOf(t) === 'curated');
  if (valid.length === 0) return { configured: true, loaded: 0, quarantined: 0 };
  const result = await loadTransactions(deps.dataverse, valid);
  const records = quarantineFailures(result, valid);
  const retryable = records.filter((r) => r.retryable);
  if (retryable.length > 0 && !input.final) {
    // Throttling or an outage outlasted the client's own retries: let the durable retry try again later.
    throw new Error(`batch ${input.batchId}: ${retryable.length} transaction(s) could not reach Dataverse now (${retryable[0]!.findings[0]?.message ?? 'unavailable'})`);
  }
  const groups = new Map<string, CanonicalTransaction[]>();
  const quarantineId = `${input.batchId}.dataverse`;
  for (const r of records) {
    const name = quarantineBlobName(r.transaction.businessDate, r.transaction.source, quarantineId);
    const list = groups.get(name) ?? [];
    list.push({ ...r.transaction, findings: [...r.transaction.findings, ...r.findings] });
    groups.set(name, list);
  }
  for (const [name, entries] of groups) await writeQuarantine(deps.lake, name, quarantineId, entries);
  return { configured: true, loaded: result.loaded.length, quarantined: records.length };
}
