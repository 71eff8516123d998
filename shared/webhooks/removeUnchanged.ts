// shared/webhooks/removeUnchanged.ts: the retention sweeps' delete. A row goes only under the ETag it was
// read with, so one changed meanwhile (set back to pending by an operator, say) stays for the next sweep.
import { RestError, type TableClient } from '@azure/data-tables';

/** Deletes the row if it is unchanged since it was read; false when it was changed or is gone already. */
export async function removeUnchanged(
  table: TableClient,
  row: { partitionKey: string; rowKey: string; etag: string },
): Promise<boolean> {
  try {
    await table.deleteEntity(row.partitionKey, row.rowKey, { etag: row.etag });
    return true;
  } catch (err) {
    // 412: changed since it was read; 404: deleted by another run or an operator.
    if (err instanceof RestError && (err.statusCode === 412 || err.statusCode === 404)) return false;
    throw err;
  }
}
