// shared/orchestration/validateBatch.ts: activity `validate`: the quality rules over the whole batch and
// the route of each transaction. The pure pipeline already ran the per-payload rules; what only the
// batch as a whole can show is checked here: the same transaction id twice in one batch (from two
// payloads of an array), which downstream would be one row overwriting the other.
import type { ContainerClient } from '@azure/storage-blob';
import { routeOf } from '../quality/validate';
import type { StageResult } from './transformBatch';
import { readWork, writeWork } from './workBlob';

export async function validateBatch(deps: { work: ContainerClient }, input: { batchId: string; ref: string }): Promise<StageResult> {
  const batch = await readWork(deps.work, input.ref);
  const first = new Map<string, number>();
  const transactions = batch.transactions.map((tx, i) => {
    const seen = first.get(tx.id);
    if (seen === undefined) {
      first.set(tx.id, i);
      return tx;
    }
    if (tx.findings.some((f) => f.code === 'duplicate.in_payload' || f.code === 'duplicate.in_batch')) return tx;
    return {
      ...tx,
      findings: [...tx.findings, { code: 'duplicate.in_batch', severity: 'error' as const, path: '/sourceKey', message: `${tx.sourceKey} appears again in the same batch (first at index ${seen})` }],
    };
  });
  const ref = await writeWork(deps.work, 'validated', { ...batch, transactions });
  return {
    ref,
    transactions: transactions.length,
    invalid: transactions.filter((t) => routeOf(t) === 'quarantine').length,
    findings: batch.findings.length,
  };
}
