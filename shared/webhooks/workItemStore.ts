// shared/webhooks/workItemStore.ts: the `workItems` table. Notification-only webhooks (Square
// order.updated, Clover) say only that an object changed; each becomes a pending row that a fetcher
// works off by calling the vendor's API. Rows are created once per event and object: a redelivery
// finds its rows and leaves them alone (a row already worked off is not set back to pending).
// The fetcher (shared/fetchers/workOffItems.ts) reads the pending rows through `createWorkItemQueue` and
// changes them only with the ETag it read, so two runs never both settle one row.
import { odata, RestError, type TableClient } from '@azure/data-tables';
import type { WorkItem } from '../sources/types';
import { listUpTo } from './listUpTo';
import { removeUnchanged } from './removeUnchanged';
import { tableKey } from './tableKey';
import { tableOnce } from '../stores/tableOnce';
import { sweepMarker } from './sweepMarker';

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

/**
 * Partition = vendor; row = account, event and object, so each notified change is one row. Square's key
 * leaves the account out: its event ids are unique across sellers, and rows recorded before the seller
 * was kept have keys without it, which a redelivery of their event must find again.
 */
export function toWorkItemRow(item: WorkItem, receivedAt: Date): WorkItemRow {
  const accountId = item.accountId ?? '';
  const eventId = item.eventId ?? '';
  const keyAccount = item.vendor === 'square' ? '' : accountId;
  return {
    partitionKey: item.vendor,
    rowKey: tableKey(`${keyAccount}:${eventId}:${item.objectType}:${item.objectId}`),
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
      const rows = new Map(
        items.map((i) => toWorkItemRow(i, receivedAt)).map((r) => [`${r.partitionKey}/${r.rowKey}`, r]),
      );
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

/** `pending` until worked off; then fetched (ingested), gone (404 at the vendor), skipped or failed. */
export type WorkItemStatus = 'pending' | 'fetched' | 'gone' | 'skipped' | 'failed';

const SETTLED = new Set<WorkItemStatus>(['fetched', 'gone', 'skipped', 'failed']);

/** A row as the fetcher reads it: the recorded item, what working it off wrote, and its ETag. */
export interface WorkItemEntity extends Omit<WorkItemRow, 'status'> {
  status: WorkItemStatus;
  /** Failed fetches so far (network errors, 5xx). */
  attempts: number;
  /** ISO instant before which the row is not tried (backoff, Retry-After); null: due now. */
  notBefore: string | null;
  /** ISO instant until which a run holds the row; null: nobody does. */
  leaseUntil: string | null;
  batchId: string | null;
  lastError: string | null;
  /** Why the row was skipped or is gone. */
  reason: string | null;
  settledAt: string | null;
  etag: string;
}

/** Fields the fetcher writes. `null` clears a field (stored as an empty string: Merge cannot delete). */
export type WorkItemChange = Partial<
  Pick<
    WorkItemEntity,
    'status' | 'attempts' | 'notBefore' | 'leaseUntil' | 'batchId' | 'lastError' | 'reason' | 'settledAt'
  >
>;

export interface WorkItemQueue {
  /** Pending rows, oldest first; at most `maxScanned` are read. None before the first row was ever made. */
  listPending(maxScanned: number): Promise<WorkItemEntity[]>;
  /**
   * Merges `change` into the row if it is unchanged since it was read (its ETag). Returns the row with
   * the change and its new ETag, or null when another run changed or removed it meanwhile.
   */
  update(row: WorkItemEntity, change: WorkItemChange): Promise<WorkItemEntity | null>;
  /**
   * Settled rows (never pending) settled before the cutoff of their status, in key order; at most `max`.
   * Cutoffs are ISO instants: `failed` rows have their own, the rest share `settled`.
   */
  listExpired(cutoffs: RetentionCutoffs, max: number): Promise<WorkItemEntity[]>;
  /** Deletes the row if it is unchanged since it was read (its ETag); false when it was changed or is gone. */
  remove(row: WorkItemEntity): Promise<boolean>;
  /** When the last retention sweep finished (ISO), or null when none has. */
  lastSweptAt(): Promise<string | null>;
  markSwept(at: string): Promise<void>;
}

export interface RetentionCutoffs {
  settled: string;
  failed: string;
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function toEntity(e: Record<string, unknown> & { etag: string }): WorkItemEntity {
  return {
    partitionKey: String(e.partitionKey),
    rowKey: String(e.rowKey),
    vendor: String(e.vendor ?? ''),
    accountId: String(e.accountId ?? ''),
    objectType: String(e.objectType ?? ''),
    objectId: String(e.objectId ?? ''),
    eventId: String(e.eventId ?? ''),
    status: String(e.status) as WorkItemStatus,
    receivedAt: String(e.receivedAt ?? ''),
    attempts: Number(e.attempts) || 0,
    notBefore: textOrNull(e.notBefore),
    leaseUntil: textOrNull(e.leaseUntil),
    batchId: textOrNull(e.batchId),
    lastError: textOrNull(e.lastError),
    reason: textOrNull(e.reason),
    settledAt: textOrNull(e.settledAt),
    etag: e.etag,
  };
}

// Table queries return rows in key order, and the keys say nothing about time: sorted here.
const byAge = (a: WorkItemEntity, b: WorkItemEntity) =>
  a.receivedAt.localeCompare(b.receivedAt) ||
  a.partitionKey.localeCompare(b.partitionKey) ||
  a.rowKey.localeCompare(b.rowKey);

export function createWorkItemQueue(table: TableClient): WorkItemQueue {
  /** Up to `max` rows the filter selects, in the service's order (none before the first work item made the table). */
  const listRows = (filter: string, max: number) => listUpTo(table, filter, max, toEntity);

  return {
    async listPending(maxScanned) {
      return (await listRows(odata`status eq ${'pending'}`, maxScanned)).sort(byAge);
    },
    async listExpired(cutoffs, max) {
      // Settled statuses named one by one (not `status ne 'pending'`): a row in any other state, the
      // sweep marker included, is never a candidate.
      const filter = odata`(status eq ${'failed'} and settledAt lt ${cutoffs.failed}) or ((status eq ${'fetched'} or status eq ${'gone'} or status eq ${'skipped'}) and settledAt lt ${cutoffs.settled})`;
      // The query decides, and this checks again: an empty settledAt ('' sorts before any instant) or
      // a status outside the settled ones never leaves here.
      return (await listRows(filter, max)).filter(
        (r) =>
          SETTLED.has(r.status) &&
          r.settledAt !== null &&
          r.settledAt < (r.status === 'failed' ? cutoffs.failed : cutoffs.settled),
      );
    },
    remove: (row) => removeUnchanged(table, row),
    // The sweep marker (shared/webhooks/sweepMarker.ts) has no `status`: neither the pending query nor
    // the expired query ever returns it.
    ...sweepMarker(table),
    async update(row, change) {
      const stored = Object.fromEntries(Object.entries(change).map(([k, v]) => [k, v ?? '']));
      try {
        const res = await table.updateEntity(
          { partitionKey: row.partitionKey, rowKey: row.rowKey, ...stored },
          'Merge',
          { etag: row.etag },
        );
        return { ...row, ...change, etag: res.etag ?? row.etag };
      } catch (err) {
        if (isStatus(err, 412) || isStatus(err, 404)) return null;
        throw err;
      }
    },
  };
}
