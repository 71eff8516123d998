// shared/lake/hivePartition.ts: Hive-style partition folders (`key=value`) for the curated tables.
// Values are escaped the way Hive and Spark escape them, so any engine that reads Hive partitions
// (Spark, Synapse, Fabric, DuckDB) gets the original value back, and a store id such as "A/B" cannot
// add a folder level.

/** The folder name Hive and Spark use for a null partition value; they read it back as null. */
export const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

// Hive's FileUtils.escapePathName set: control characters and "#%'*/:=?\{[]^ plus DEL.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /[\u0000-\u001f"#%'*/:=?\\{[\]^\u007f]/g;

/** Null and the empty string both become HIVE_NULL, as in Hive; the column inside the file keeps which. */
export function escapePartitionValue(value: string | null): string {
  if (value === null || value === '') return HIVE_NULL;
  return value.replace(NEEDS_ESCAPE, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export function unescapePartitionValue(text: string): string | null {
  if (text === HIVE_NULL) return null;
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export interface CuratedPartition {
  businessDate: string;
  storeId: string | null;
}

/** `curated/<table>/business_date=YYYY-MM-DD/store_id=<escaped>` (no trailing slash). */
export function partitionDir(table: string, partition: CuratedPartition): string {
  return `curated/${table}/business_date=${partition.businessDate}/store_id=${escapePartitionValue(partition.storeId)}`;
}

/** The partition of a folder written by `partitionDir`, or null for any other path. */
export function parsePartitionDir(dir: string): { table: string; partition: CuratedPartition } | null {
  const m = /^curated\/([^/]+)\/business_date=(\d{4}-\d{2}-\d{2})\/store_id=([^/]+)$/.exec(dir);
  if (!m) return null;
  return { table: m[1]!, partition: { businessDate: m[2]!, storeId: unescapePartitionValue(m[3]!) } };
}
