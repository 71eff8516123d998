// shared/lake/toParquetBuffer.ts: curated rows to a Parquet file with an explicit schema. Types are never
// guessed from the data: a guess would turn an all-null column into the wrong type and amounts into
// doubles.
import type { SchemaElement } from 'hyparquet' with { 'resolution-mode': 'import' };
import { DECIMAL_PRECISION, DECIMAL_SCALE, type CuratedColumn, type CuratedRow, type CuratedTable } from './curatedTables';
import { parquetModules } from './parquetModules';
import { DecimalRangeError, toUnscaled } from './unscaledDecimal';

const DAY_MS = 86_400_000;

/** The Parquet schema element of a column: physical type plus both logical and legacy converted type. */
export function schemaElementOf(column: CuratedColumn): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (column.kind) {
    case 'string':
      return { name: column.name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'decimal':
      return {
        name: column.name,
        repetition_type,
        type: 'INT64',
        converted_type: 'DECIMAL',
        precision: DECIMAL_PRECISION,
        scale: DECIMAL_SCALE,
        logical_type: { type: 'DECIMAL', precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE },
      };
    case 'date':
      return { name: column.name, repetition_type, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'timestamp':
      // isAdjustedToUTC: the instant is UTC; engines show it as TIMESTAMP WITH TIME ZONE, not a wall clock.
      return {
        name: column.name,
        repetition_type,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      };
    case 'int32':
      // Plain INT32 is a signed 32-bit integer by the spec. No INTEGER(32, signed) annotation: hyparquet-writer
      // 0.17.0 writes its bitWidth with the wrong Thrift type and DuckDB then rejects the whole footer.
      return { name: column.name, repetition_type, type: 'INT32' };
  }
}

/** The physical value of one cell; throws DecimalRangeError (or RangeError) for a value it cannot store exactly. */
export function toPhysical(column: CuratedColumn, value: CuratedValueIn): string | number | bigint | null {
  if (value === null || value === undefined) {
    if (!column.nullable) throw new RangeError(`${column.name} is required`);
    return null;
  }
  switch (column.kind) {
    case 'string':
      if (typeof value !== 'string') throw new RangeError(`${column.name} must be a string`);
      return value;
    case 'decimal':
      if (typeof value !== 'string') throw new DecimalRangeError(`${column.name} must be a decimal string`);
      return toUnscaled(value, DECIMAL_PRECISION, DECIMAL_SCALE);
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      if (!m) throw new RangeError(`${column.name} must be YYYY-MM-DD`);
      return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
    }
    case 'timestamp': {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN;
      if (!Number.isFinite(ms)) throw new RangeError(`${column.name} must be an ISO 8601 instant`);
      return BigInt(ms);
    }
    case 'int32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
        throw new RangeError(`${column.name} must be a 32-bit integer`);
      }
      return value;
  }
}
type CuratedValueIn = CuratedRow[string] | undefined;

/** Problems that would stop `rows` from being written, one message per bad cell (empty when all fit). */
export function unstorableCells(table: CuratedTable, rows: CuratedRow[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    for (const column of table.columns) {
      try {
        toPhysical(column, row[column.name]);
      } catch (err) {
        problems.push(`${table.name}.${column.name}: ${(err as Error).message}`);
      }
    }
  }
  return problems;
}

/** One Parquet file (SNAPPY, one row group per 100k rows) holding `rows` in the order given. */
export async function toParquetBuffer(table: CuratedTable, rows: CuratedRow[]): Promise<Uint8Array> {
  const { writer } = await parquetModules();
  const columnData = table.columns.map((column) => ({
    name: column.name,
    data: rows.map((row) => toPhysical(column, row[column.name])),
  }));
  const schema: SchemaElement[] = [{ name: 'root', num_children: table.columns.length }, ...table.columns.map(schemaElementOf)];
  const buffer = writer.parquetWriteBuffer({ columnData, schema, rowGroupSize: 100_000, createdBy: 'pos-hub lake' });
  return new Uint8Array(buffer);
}
