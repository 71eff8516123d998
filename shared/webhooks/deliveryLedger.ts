// shared/webhooks/deliveryLedger.ts: one Azure Tables entity per vendor delivery (partition = vendor,
// row = the vendor's event id), created only once the delivery's work is durably done, so a redelivery
// is answered from here with the original outcome and does nothing else. Created after the work, not
// before: a crash in between makes the vendor retry, and the retry redoes idempotent work (the batch id
// comes from the event id) instead of being told "done" for work that never happened.
// Entries are deleted once older than the retention (`createDeliveryRetention` below, swept by
// shared/fetchers/sweepDeliveryLedger.ts, which says why a redelivery after that is still safe).
import { odata, RestError, type TableClient } from '@azure/data-tables';
import { sweepMarker, type SweepMarker } from './sweepMarker';
import { listUpTo } from './listUpTo';
import { removeUnchanged } from './removeUnchanged';
import { tableKey } from './tableKey';
import { tableOnce } from '../stores/tableOnce';

export const DELIVERY_LEDGER_TABLE = 'PosHubWebhookDeliveries';

export interface DeliveryRecord {
  vendor: string;
  eventId: string;
  /** accepted: a batch was started; fetch_needed: work items were recorded. */
  outcome: 'accepted' | 'fetch_needed';
  batchId: string | null;
  workItems: number;
  receivedAt: string;
}

interface Entity {
  partitionKey: string;
  rowKey: string;
  eventId: string;
  outcome: string;
  batchId: string;
  workItems: number;
  receivedAt: string;
}

export interface DeliveryLedger {
  find(vendor: string, eventId: string): Promise<DeliveryRecord | null>;
  /** Records a delivery; when a concurrent delivery recorded it first, returns that record instead. */
  record(entry: DeliveryRecord): Promise<DeliveryRecord>;
}

const isStatus = (err: unknown, status: number) => err instanceof RestError && err.statusCode === status;

const toRecord = (e: Entity): DeliveryRecord => ({
  vendor: e.partitionKey,
  eventId: e.eventId,
  outcome: e.outcome === 'fetch_needed' ? 'fetch_needed' : 'accepted',
  batchId: e.batchId || null,
  workItems: Number(e.workItems) || 0,
  receivedAt: e.receivedAt,
});

export function createDeliveryLedger(table: TableClient): DeliveryLedger {
  const ensureTable = tableOnce(table);
  const find = async (vendor: string, eventId: string) => {
    await ensureTable();
    try {
      return toRecord(await table.getEntity<Entity>(vendor, tableKey(eventId)));
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw err;
    }
  };
  return {
    find,
    async record(entry) {
      await ensureTable();
      const entity: Entity = {
        partitionKey: entry.vendor,
        rowKey: tableKey(entry.eventId),
        eventId: entry.eventId,
        outcome: entry.outcome,
        batchId: entry.batchId ?? '',
        workItems: entry.workItems,
        receivedAt: entry.receivedAt,
      };
      try {
        await table.createEntity(entity);
        return entry;
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
        return (await find(entry.vendor, entry.eventId)) ?? entry;
      }
    },
  };
}

/** An entry as the retention sweep reads it: its keys, when it was received, and its ETag. */
export interface ExpiredDelivery {
  partitionKey: string;
  rowKey: string;
  receivedAt: string;
  etag: string;
}

export interface DeliveryRetention extends SweepMarker {
  /**
   * Entries of these vendors received before `cutoff` (an ISO instant), in key order; at most `max`.
   * Only vendor partitions are read, so the sweep marker (partition `retention`) is never returned.
   */
  listExpired(vendors: readonly string[], cutoff: string, max: number): Promise<ExpiredDelivery[]>;
  /** Deletes the entry if it is unchanged since it was read (its ETag); false when it changed or is gone. */
  remove(row: ExpiredDelivery): Promise<boolean>;
}

export function createDeliveryRetention(table: TableClient): DeliveryRetention {
  return {
    ...sweepMarker(table),
    async listExpired(vendors, cutoff, max) {
      if (vendors.length === 0 || max <= 0) return [];
      const partitions = vendors.map((v) => odata`PartitionKey eq ${v}`).join(' or ');
      const filter = `(${partitions}) and ${odata`receivedAt lt ${cutoff}`}`;
      const named = new Set(vendors);
      // The table is made with the first delivery; before that there is nothing to do.
      return listUpTo(table, filter, max, (row): ExpiredDelivery | null => {
        const receivedAt = typeof row.receivedAt === 'string' ? row.receivedAt : '';
        // The query decides, and this checks again: an entry without a receivedAt ('' sorts before
        // any instant) or outside the named vendors never leaves here.
        if (receivedAt === '' || receivedAt >= cutoff || !named.has(String(row.partitionKey))) return null;
        return { partitionKey: String(row.partitionKey), rowKey: String(row.rowKey), receivedAt, etag: row.etag };
      });
    },
    remove: (row) => removeUnchanged(table, row),
  };
}
