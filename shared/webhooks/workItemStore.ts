// shared/webhooks/workItemStore.ts: the `workItems` table. Notification-only webhooks (Square
// order.updated, Clover) say only that an object changed; each becomes a pending row that a fetcher
// works off by calling the vendor's API. Rows are created once per event and object: a redelivery
// finds its rows and leaves them alone (a row already worked off is not set back to pending).
import { RestError, type TableClient } from '@azure/data-tables';
import type { WorkItem } from '../sources/types';
import { tableKey } from './tableKey';
import { tableOnce } from '../stores/tableOnce';

export const WORK_ITEMS_TABLE = 'workItems';

export interface WorkItemRow {
  partitionKey: string;
  rowKey: string;
  vendor: string;
  accountId: string;
  objectType: string;
  objectId: string;
  eventId: string;
  status: 'pending';
  receivedAt: string;
}

/** Partition = vendor; row = account, event and object, so each notified change is one row. */
export function toWorkItemRow(item: WorkItem, receivedAt: Date): WorkItemRow {
  const accountId = item.accountId ?? '';
  const eventId = item.eventId ?? '';
  return {
    partitionKey: item.vendor,
    rowKey: tableKey(`${accountId}:${eventId}:${item.objectType}:${item.objectId}`),
    vendor: item.vendor,
    accountId,
    objectType: item.objectType,
    objectId: item.objectId,
    eventId,
    status: 'pending',
    receivedAt: receivedAt.toISOString(),
  };
}

const isStatus = (err: unknown, status: number) => err instanceof RestError && err.statusCode === status;

export interface WorkItemStore {
  /** Creates the rows that do not exist yet; returns how many rows the items are (new or not). */
  recordPending(items: readonly WorkItem[], receivedAt: Date): Promise<number>;
}

export function createWorkItemStore(table: TableClient): WorkItemStore {
  const ensureTable = tableOnce(table);
  return {
    async recordPending(items, receivedAt) {
      await ensureTable();
      const rows = new Map(items.map((i) => toWorkItemRow(i, receivedAt)).map((r) => [`${r.partitionKey}/${r.rowKey}`, r]));
      for (const row of rows.values()) {
        try {
          await table.createEntity(row);
        } catch (err) {
          if (!isStatus(err, 409)) throw err;
        }
      }
      return rows.size;
    },
  };
}
