// shared/replay/replayCounter.ts: numbers a batch's replays 1, 2, 3, ... (Azure Tables, partition = batch
// id, one create-only row per replay), so every replay gets its own orchestration instance id
// `replay-<batchId>-<n>` and its history stays next to the original's.
import { RestError, type TableClient } from '@azure/data-tables';
import { tableOnce } from '../stores/tableOnce';

export const REPLAYS_TABLE = 'PosHubReplays';

export interface ReplayCounter {
  /** The replay ids of a batch so far, oldest first. */
  list(batchId: string): Promise<string[]>;
  /** Claims the next number for a batch and returns its replay id. */
  next(batchId: string, at: Date): Promise<string>;
}

export const replayIdOf = (batchId: string, n: number) => `replay-${batchId}-${n}`;

const isStatus = (err: unknown, status: number) => err instanceof RestError && err.statusCode === status;

export function createReplayCounter(table: TableClient): ReplayCounter {
  const ensureTable = tableOnce(table);
  const numbers = async (batchId: string) => {
    await ensureTable();
    const out: number[] = [];
    const filter = `PartitionKey eq '${batchId.replace(/'/g, "''")}'`;
    for await (const e of table.listEntities<{ rowKey: string }>({ queryOptions: { filter, select: ['RowKey'] } })) out.push(Number(e.rowKey));
    return out.sort((a, b) => a - b);
  };
  return {
    async list(batchId) {
      return (await numbers(batchId)).map((n) => replayIdOf(batchId, n));
    },
    async next(batchId, at) {
      let n = ((await numbers(batchId)).at(-1) ?? 0) + 1;
      for (;;) {
        try {
          // Zero-padded so that rows sort by number too.
          await table.createEntity({ partitionKey: batchId, rowKey: String(n).padStart(6, '0'), requestedAt: at.toISOString() });
          return replayIdOf(batchId, n);
        } catch (err) {
          if (!isStatus(err, 409)) throw err;
          n++; // a concurrent replay took this number
        }
      }
    },
  };
}
