// shared/webhooks/sweepMarker.ts: when a table's retention sweep last finished, kept in the table itself
// as one row in the partition `retention`, which no vendor partition is called, so no query for the
// table's own rows (they are filtered by vendor partition or by a field the marker lacks) returns it.
import { RestError, type TableClient } from '@azure/data-tables';

export const SWEEP_MARKER = { partitionKey: 'retention', rowKey: 'lastSweep' } as const;

export interface SweepMarker {
  /** When the last retention sweep finished (ISO), or null when none has. */
  lastSweptAt(): Promise<string | null>;
  markSwept(at: string): Promise<void>;
}

const isStatus = (err: unknown, status: number) => err instanceof RestError && err.statusCode === status;

export function sweepMarker(table: TableClient): SweepMarker {
  return {
    async lastSweptAt() {
      try {
        const marker = await table.getEntity<{ sweptAt?: unknown }>(
          SWEEP_MARKER.partitionKey,
          SWEEP_MARKER.rowKey,
        );
        return typeof marker.sweptAt === 'string' && marker.sweptAt !== '' ? marker.sweptAt : null;
      } catch (err) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
    },
    async markSwept(at) {
      try {
        await table.upsertEntity({ ...SWEEP_MARKER, sweptAt: at }, 'Merge');
      } catch (err) {
        // No table yet: nothing was ever recorded in it, so there was nothing to sweep either.
        if (!isStatus(err, 404)) throw err;
      }
    },
  };
}
