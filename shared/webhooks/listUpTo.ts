// shared/webhooks/listUpTo.ts: the retention and fetch queries of the webhook tables: up to `max` rows a
// filter selects, read page by page and stopped once enough were kept. A table not made yet (nothing was
// ever recorded in it) holds nothing.
import { RestError, type TableClient } from '@azure/data-tables';

export type TableRow = Record<string, unknown> & { etag: string };

/** Up to `max` rows `filter` selects, in the service's order, as `keep` maps them (null: left out). */
export async function listUpTo<T>(
  table: TableClient,
  filter: string,
  max: number,
  keep: (row: TableRow) => T | null,
): Promise<T[]> {
  const rows: T[] = [];
  try {
    const pages = table
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: Math.min(1000, max) });
    for await (const page of pages) {
      for (const e of page) {
        const kept = keep(e as TableRow);
        if (kept !== null) rows.push(kept);
      }
      if (rows.length >= max) break;
    }
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) return [];
    throw err;
  }
  return rows.slice(0, max);
}
