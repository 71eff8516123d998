// shared/dataverse/upsertRows.ts: loads rows by alternate key, UpsertMultiple first and $batch to
// isolate the rows the service refuses, so every row ends loaded or reported, never dropped.
import type { DataverseClient } from './dataverseClient';
import { DataverseError, type ServiceError } from './dataverseError';
import { keyPredicate } from './dataverseKey';
import { LOAD_ORDER, type DataverseTable } from './tables';
import type { DataverseRow } from './toDataverseRow';

export interface LoadFailure {
  /** Logical name of the table. */
  table: string;
  keyValue: string;
  /** Canonical transaction ids the row came from. */
  origins: string[];
  /** The service's error (status 0 when it never answered). */
  error: ServiceError;
  /** True when the same rows may load later (throttling, outage); false when the row itself is refused. */
  retryable: boolean;
  /** The `$batch` Content-ID the service answered for this row, when it was isolated by a $batch. */
  contentId?: string;
}

export interface LoadResult {
  /** Rows the service confirmed. */
  upserted: number;
  /** Input rows that had the same key as an earlier one and were merged into it. */
  merged: number;
  failures: LoadFailure[];
}

export interface UpsertRowsOptions {
  /** Rows per UpsertMultiple request: 100 by default (Microsoft: moderate batches, more parallelism). */
  batchSize?: number;
  /** Requests prepared ahead of the client's concurrency gate (bounds memory, not the parallelism). */
  pipelineDepth?: number;
}

const retryableStatus = (status: number) => status === 0 || status === 429 || status >= 500;

/**
 * Rows with the same table and key become one: columns merged in input order (later values win),
 * origins united. UpsertMultiple refuses duplicate keys in one request, and two requests for one key
 * running in parallel would race. A row whose key is unique is passed on as it is, and a merged one is
 * a copy: the input is never changed. (Copying every row, as this once did, was half a second of a
 * 50,000-row load on a busy core, before its first request.)
 */
function mergeByKey(rows: DataverseRow[]): { rows: DataverseRow[]; merged: number } {
  const byTable = new Map<DataverseTable, Map<string, number>>();
  const out: DataverseRow[] = [];
  // Indexes into `out` of merged rows, with their origins so far: a store row serves thousands of
  // transactions, and a Set keeps uniting them linear.
  const origins = new Map<number, Set<string>>();
  let merged = 0;
  for (const row of rows) {
    let keys = byTable.get(row.table);
    if (!keys) byTable.set(row.table, (keys = new Map()));
    const at = keys.get(row.keyValue);
    if (at === undefined) {
      keys.set(row.keyValue, out.length);
      out.push(row);
      continue;
    }
    merged++;
    let united = origins.get(at);
    if (!united) {
      const first = out[at]!;
      united = new Set(first.origins);
      origins.set(at, united);
      out[at] = { ...first, columns: { ...first.columns } };
    }
    Object.assign(out[at]!.columns, row.columns);
    for (const o of row.origins) united.add(o);
  }
  for (const [at, united] of origins) out[at] = { ...out[at]!, origins: [...united] };
  return { rows: out, merged };
}

async function loadChunk(client: DataverseClient, table: DataverseTable, chunk: DataverseRow[], result: LoadResult): Promise<void> {
  const fail = (row: DataverseRow, error: ServiceError, retryable: boolean, contentId?: string) =>
    result.failures.push({
      table: table.logicalName,
      keyValue: row.keyValue,
      origins: row.origins,
      error,
      retryable,
      ...(contentId ? { contentId } : {}),
    });
  try {
    await client.upsertMultiple(
      table,
      chunk.map((r) => ({ keyValue: r.keyValue, columns: r.columns })),
    );
    result.upserted += chunk.length;
    return;
  } catch (err) {
    if (!(err instanceof DataverseError)) throw err;
    if (err.retryable) {
      for (const row of chunk) fail(row, err.toServiceError(), true);
      return;
    }
  }
  // The request was refused as a whole (one bad row rolls back all): find the culprits row by row.
  let items;
  try {
    items = await client.batch(
      chunk.map((r, i) => ({
        method: 'PATCH' as const,
        url: `${table.entitySet}${keyPredicate({ [table.keyColumn]: r.keyValue })}`,
        body: r.columns,
        contentId: String(i + 1),
      })),
      { continueOnError: true },
    );
  } catch (err) {
    if (!(err instanceof DataverseError)) throw err;
    for (const row of chunk) fail(row, err.toServiceError(), err.retryable);
    return;
  }
  items.forEach((item, i) => {
    const row = chunk[i]!;
    if (item.ok) result.upserted++;
    else {
      const error = item.error ?? { status: item.status, code: '', message: 'failed' };
      fail(row, error, retryableStatus(item.status), item.contentId);
    }
  });
}

/**
 * Upserts rows table by table in LOAD_ORDER (a row's lookups must find their targets), each table in
 * parallel chunks. A row whose transaction already lost a row in an earlier table (its store, its
 * transaction) is not sent: it is reported as failed with the reason, since the service would refuse
 * its lookup anyway.
 */
export async function upsertRows(client: DataverseClient, input: DataverseRow[], options: UpsertRowsOptions = {}): Promise<LoadResult> {
  const batchSize = Math.max(1, Math.min(1000, options.batchSize ?? 100));
  const depth = Math.max(1, options.pipelineDepth ?? 64);
  const { rows, merged } = mergeByKey(input);
  const result: LoadResult = { upserted: 0, merged, failures: [] };
  const failedOrigins = new Set<string>();
  const unknown = rows.filter((r) => !LOAD_ORDER.includes(r.table));
  if (unknown.length) throw new Error(`no load order for table ${unknown[0]!.table.logicalName}`);

  for (const table of LOAD_ORDER) {
    const ready: DataverseRow[] = [];
    for (const row of rows) {
      if (row.table !== table) continue;
      const blocked = row.origins.find((o) => failedOrigins.has(o));
      if (blocked === undefined) {
        ready.push(row);
        continue;
      }
      result.failures.push({
        table: table.logicalName,
        keyValue: row.keyValue,
        origins: row.origins,
        error: { status: 0, code: 'dataverse.dependency_failed', message: `not sent: another row of transaction ${blocked} failed to load` },
        retryable: true,
      });
    }
    const chunks: DataverseRow[][] = [];
    for (let i = 0; i < ready.length; i += batchSize) chunks.push(ready.slice(i, i + batchSize));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await loadChunk(client, table, chunks[next++]!, result);
    };
    await Promise.all(Array.from({ length: Math.min(depth, chunks.length) }, worker));
    for (const f of result.failures) if (f.table === table.logicalName) for (const o of f.origins) failedOrigins.add(o);
  }
  return result;
}
