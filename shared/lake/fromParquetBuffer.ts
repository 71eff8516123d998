// shared/lake/fromParquetBuffer.ts: a curated Parquet file back to rows, exactly. hyparquet turns DECIMAL
// into JavaScript numbers (binary floats), so the decimal columns are read as their unscaled INT64 and
// scaled here as text instead.
import type { FileMetaData, SchemaElement } from 'hyparquet' with { 'resolution-mode': 'import' };
import type { CuratedRow, CuratedValue } from './curatedTables';
import { parquetModules } from './parquetModules';
import { fromUnscaled } from './unscaledDecimal';

const DAY_MS = 86_400_000;

type Decode = (value: unknown) => CuratedValue;

function decoderOf(element: SchemaElement): Decode {
  if (element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL') {
    const scale = element.scale ?? (element.logical_type?.type === 'DECIMAL' ? element.logical_type.scale : 0);
    return (v) => fromUnscaled(BigInt(v as bigint | number), scale);
  }
  if (element.converted_type === 'DATE') return (v) => new Date(Number(v) * DAY_MS).toISOString().slice(0, 10);
  if (element.converted_type === 'TIMESTAMP_MILLIS') return (v) => new Date(Number(v)).toISOString();
  if (element.type === 'INT64') return (v) => String(v);
  return (v) => v as CuratedValue;
}

/** Rows of a flat Parquet file: decimals as decimal strings, DATE as YYYY-MM-DD, TIMESTAMP as ISO UTC. */
export async function fromParquetBuffer(bytes: Uint8Array): Promise<CuratedRow[]> {
  const { reader } = await parquetModules();
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata: FileMetaData = reader.parquetMetadata(file);
  const leaves = metadata.schema.slice(1);
  if (leaves.some((e) => e.num_children)) throw new Error('nested Parquet columns are not part of the curated tables');
  const decoders = new Map(leaves.map((e) => [e.name, decoderOf(e)]));
  // Strip the logical types so that hyparquet hands over raw integers (unscaled decimals, days, millis).
  const raw: FileMetaData = {
    ...metadata,
    schema: metadata.schema.map((e, i) =>
      i === 0 || e.type === 'BYTE_ARRAY' ? e : { ...e, converted_type: undefined, logical_type: undefined },
    ),
  };
  const rows = await reader.parquetReadObjects({ file, metadata: raw });
  return rows.map((row) => {
    const out: CuratedRow = {};
    for (const [name, decode] of decoders) {
      const v: unknown = row[name];
      out[name] = v === null || v === undefined ? null : decode(v);
    }
    return out;
  });
}
