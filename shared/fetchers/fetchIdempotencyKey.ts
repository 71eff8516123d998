// shared/fetchers/fetchIdempotencyKey.ts: the Idempotency-Key a fetched object is ingested under. It
// follows the work item (vendor, merchant, object and event), not the content, so a run that fetched
// and ingested but died before marking the row lands on the same batch when the next run fetches again.
import { tableKey } from '../webhooks/tableKey';
import type { WorkItemEntity } from '../webhooks/workItemStore';

/** `<vendor>:fetch:[<accountId>:]<objectId>:<eventId>`; ids that are not plain become their SHA-256. */
export function fetchIdempotencyKey(
  row: Pick<WorkItemEntity, 'vendor' | 'accountId' | 'objectId' | 'eventId'>,
): string {
  // tableKey keeps plain ids as they are and bounds the rest (200 characters at most), which keeps the
  // key within acceptBatch's 255 characters and its alphabet.
  return `${row.vendor}:fetch:${tableKey([row.accountId, row.objectId, row.eventId].filter((p) => p !== '').join(':'))}`;
}
