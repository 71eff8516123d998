// local/dataverse/standInData.ts: the stand-in's rows, their alternate-key indexes, the column checks
// Dataverse makes on write, undo for atomic requests, and persistence to one JSON file.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Big from 'big.js';
import type { ColumnSchema, TableSchema } from './tableSchema';

/** An error the service answers with: status, code and message as Dataverse sends them. */
export class ServiceFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const VALIDATION = '0x80044331';
const NOT_FOUND = '0x80040217';
const DUPLICATE = '0x80060892';
const UNKNOWN_PROPERTY = '0x80060888';

interface StoredRow {
  id: string;
  values: Record<string, unknown>;
}

interface TableData {
  schema: TableSchema;
  rows: Map<string, StoredRow>;
  /** One index per alternate key: key text -> row id. */
  indexes: Map<string, string>[];
}

export type WriteMode = 'upsert' | 'update' | 'create';
type Undo = () => void;

const keyText = (values: unknown[]) => JSON.stringify(values);

/**
 * A column value the service refuses. A module function rather than a closure made per converted
 * value: run from TypeScript (tsx names every such closure), that closure was a fifth of the
 * stand-in's time under load, time the real service does not take from the client's cores.
 */
function badValue(t: TableData, col: ColumnSchema, why: string): ServiceFault {
  return new ServiceFault(400, VALIDATION, `Column '${col.logicalName}' of table '${t.schema.logicalName}': ${why}.`);
}

export function createStandInData(schemas: Map<string, TableSchema>, dataFile: string | null) {
  const tables = new Map<string, TableData>();
  for (const schema of schemas.values()) tables.set(schema.logicalName, { schema, rows: new Map(), indexes: schema.keys.map(() => new Map()) });
  let undoLog: Undo[] | null = null;
  let dirty = false;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const index = (t: TableData, row: StoredRow) =>
    t.schema.keys.forEach((cols, i) => {
      const vals = cols.map((c) => row.values[c]);
      if (vals.every((v) => v !== undefined && v !== null)) t.indexes[i]!.set(keyText(vals), row.id);
    });
  const unindex = (t: TableData, row: StoredRow) =>
    t.schema.keys.forEach((cols, i) => {
      const text = keyText(cols.map((c) => row.values[c]));
      if (t.indexes[i]!.get(text) === row.id) t.indexes[i]!.delete(text);
    });

  if (dataFile && existsSync(dataFile)) {
    const doc = JSON.parse(readFileSync(dataFile, 'utf8')) as { tables?: Record<string, StoredRow[]> };
    for (const [logical, rows] of Object.entries(doc.tables ?? {})) {
      const t = tables.get(logical);
      if (!t) continue;
      for (const row of rows) {
        t.rows.set(row.id, row);
        index(t, row);
      }
    }
  }

  function snapshot(): string {
    const out: Record<string, StoredRow[]> = {};
    for (const [logical, t] of tables) out[logical] = [...t.rows.values()];
    return JSON.stringify({ version: 1, tables: out });
  }

  /** Written to a temporary file and renamed, so a crash leaves the old file or the new one. */
  function scheduleSave() {
    dirty = true;
    if (!dataFile || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!dirty) return;
      dirty = false;
      const text = snapshot();
      const tmp = `${dataFile}.${process.pid}.tmp`;
      writing = writing.then(async () => {
        mkdirSync(path.dirname(dataFile), { recursive: true });
        await writeFile(tmp, text);
        await rename(tmp, dataFile);
      });
    }, 1000);
  }

  async function flush() {
    if (timer) clearTimeout(timer);
    timer = null;
    await writing;
    if (!dataFile) return;
    mkdirSync(path.dirname(dataFile), { recursive: true });
    const tmp = `${dataFile}.${process.pid}.tmp`;
    writeFileSync(tmp, snapshot());
    renameSync(tmp, dataFile);
    dirty = false;
  }

  function table(logicalName: string): TableData {
    const t = tables.get(logicalName);
    if (!t) throw new ServiceFault(404, '0x80060888', `Resource not found for the segment '${logicalName}'.`);
    return t;
  }

  function findByKey(t: TableData, key: Record<string, unknown>): StoredRow | undefined {
    const cols = Object.keys(key).sort();
    const wanted = cols.join(',');
    const i = t.schema.keys.findIndex((k) => (k.length === 1 ? k[0] === wanted : [...k].sort().join(',') === wanted));
    if (i < 0) {
      throw new ServiceFault(400, '0x80060891', `No alternate key of ${t.schema.logicalName} consists of ${cols.join(', ')}.`);
    }
    const id = t.indexes[i]!.get(keyText(t.schema.keys[i]!.map((c) => key[c])));
    return id === undefined ? undefined : t.rows.get(id);
  }

  function convert(t: TableData, col: ColumnSchema, value: unknown): unknown {
    if (value === null) {
      if (col.required) throw badValue(t, col, 'a required column cannot be empty');
      return null;
    }
    switch (col.type) {
      case 'String':
      case 'Memo':
        if (typeof value !== 'string') throw badValue(t, col, `cannot convert ${JSON.stringify(value)} to Edm.String`);
        if (col.maxLength !== undefined && value.length > col.maxLength) throw badValue(t, col, `length ${value.length} is over the maximum of ${col.maxLength}`);
        return value;
      case 'Integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw badValue(t, col, `cannot convert ${JSON.stringify(value)} to Edm.Int32`);
        if ((col.minValue !== undefined && value < col.minValue) || (col.maxValue !== undefined && value > col.maxValue)) throw badValue(t, col, `${value} is out of range`);
        return value;
      case 'Decimal': {
        if (typeof value !== 'number' || !Number.isFinite(value)) throw badValue(t, col, `cannot convert ${JSON.stringify(value)} to Edm.Decimal`);
        if ((col.minValue !== undefined && value < col.minValue) || (col.maxValue !== undefined && value > col.maxValue)) throw badValue(t, col, `${value} is out of range`);
        // Dataverse keeps `Precision` decimal places and rounds the rest away.
        const text = String(value);
        const dot = text.indexOf('.');
        if (!text.includes('e') && (dot < 0 || text.length - dot - 1 <= (col.precision ?? 2))) return value;
        return Number(new Big(value).round(col.precision ?? 2, Big.roundHalfUp).toString());
      }
      case 'Boolean':
        if (typeof value !== 'boolean') throw badValue(t, col, `cannot convert ${JSON.stringify(value)} to Edm.Boolean`);
        return value;
      case 'DateTime': {
        if (typeof value !== 'string') throw badValue(t, col, `cannot convert ${JSON.stringify(value)} to Edm.DateTimeOffset`);
        if (col.dateOnly) {
          const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(value);
          if (!m || Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`))) throw badValue(t, col, `cannot convert '${value}' to Edm.Date`);
          return m[1];
        }
        const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
        if (Number.isNaN(at)) throw badValue(t, col, `cannot convert '${value}' to Edm.DateTimeOffset`);
        // Stored in UTC to the second, as Dataverse does.
        return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      }
    }
  }

  /** `/pos_transactions(pos_hubid='x')` or an absolute URL or `(guid)`: the row id it names. */
  function resolveReference(targetLogical: string, reference: string, parseReference: (ref: string) => { entitySet: string; key: Record<string, unknown> | string } | null): string {
    const target = table(targetLogical);
    const ref = parseReference(reference);
    if (!ref || ref.entitySet !== target.schema.entitySet) {
      throw new ServiceFault(400, VALIDATION, `'${reference}' is not a reference to ${target.schema.entitySet}.`);
    }
    const row = typeof ref.key === 'string' ? target.rows.get(ref.key) : findByKey(target, ref.key);
    if (!row) throw new ServiceFault(404, NOT_FOUND, `${targetLogical} With Ids = ${typeof ref.key === 'string' ? ref.key : JSON.stringify(ref.key)} Does Not Exist`);
    return row.id;
  }

  /**
   * Deletes a row the way the service does for each relationship pointing at its table: `RemoveLink`
   * clears the lookup of the rows that point at it (they stay), `Cascade` deletes them (and theirs).
   */
  function removeRow(t: TableData, row: StoredRow): void {
    for (const other of tables.values()) {
      for (const lookup of other.schema.lookups.values()) {
        if (lookup.target !== t.schema.logicalName) continue;
        const column = `_${lookup.column}_value`;
        for (const referencing of [...other.rows.values()]) {
          if (referencing.values[column] !== row.id) continue;
          if (lookup.onDelete === 'Cascade') {
            if (other.rows.has(referencing.id)) removeRow(other, referencing);
            continue;
          }
          const before = referencing.values;
          referencing.values = { ...before, [column]: null };
          undoLog?.push(() => {
            referencing.values = before;
          });
        }
      }
    }
    unindex(t, row);
    t.rows.delete(row.id);
    undoLog?.push(() => {
      t.rows.set(row.id, row);
      index(t, row);
    });
    scheduleSave();
  }

  return {
    tables,
    /** DELETE `<set>(<id or key>)`: 404 0x80040217 when there is no such row. */
    remove(logicalName: string, key: Record<string, unknown> | string): void {
      const t = table(logicalName);
      const row = typeof key === 'string' ? t.rows.get(key.toLowerCase()) : findByKey(t, key);
      if (!row) throw new ServiceFault(404, NOT_FOUND, `${logicalName} With Ids = ${typeof key === 'string' ? key : JSON.stringify(key)} Does Not Exist`);
      removeRow(t, row);
    },
    /**
     * Upsert by alternate key, as PATCH `<set>(<key>)` does. Key columns may be repeated in the body only
     * with the same value.
     */
    upsert(
      logicalName: string,
      key: Record<string, unknown>,
      body: Record<string, unknown>,
      mode: WriteMode,
      parseReference: (ref: string) => { entitySet: string; key: Record<string, unknown> | string } | null,
    ): { created: boolean; row: Record<string, unknown> } {
      const t = table(logicalName);
      const values: Record<string, unknown> = {};
      for (const [prop, value] of Object.entries(body)) {
        if (prop === '@odata.type' || prop === '@odata.id') continue;
        if (prop.endsWith('@odata.bind')) {
          const nav = prop.slice(0, -'@odata.bind'.length);
          const lookup = t.schema.lookups.get(nav);
          if (!lookup) {
            throw new ServiceFault(400, UNKNOWN_PROPERTY, `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload.`);
          }
          // null removes the link, as the service documents for single-valued navigation properties.
          if (value === null) {
            if (lookup.required) throw new ServiceFault(400, VALIDATION, `A value for the required lookup '${lookup.navigation}' of table '${logicalName}' is missing.`);
            values[`_${lookup.column}_value`] = null;
            continue;
          }
          if (typeof value !== 'string') throw new ServiceFault(400, VALIDATION, `The value of '${prop}' must be a reference string.`);
          values[`_${lookup.column}_value`] = resolveReference(lookup.target, value, parseReference);
          continue;
        }
        const col = t.schema.columns.get(prop);
        if (!col) throw new ServiceFault(400, UNKNOWN_PROPERTY, `Invalid property '${prop}' was found in entity 'Microsoft.Dynamics.CRM.${logicalName}'.`);
        values[prop] = convert(t, col, value);
      }
      for (const [c, v] of Object.entries(key)) {
        if (values[c] !== undefined && values[c] !== v) {
          throw new ServiceFault(400, VALIDATION, `The value of key column '${c}' in the payload differs from the key in the URL.`);
        }
        values[c] = v;
      }
      const existing = findByKey(t, key);
      if (existing) {
        if (mode === 'create') throw new ServiceFault(412, DUPLICATE, 'A record with matching key values already exists.');
        const before = { ...existing.values };
        undoLog?.push(() => {
          unindex(t, existing);
          existing.values = before;
          index(t, existing);
        });
        unindex(t, existing);
        existing.values = { ...existing.values, ...values };
        index(t, existing);
        scheduleSave();
        return { created: false, row: present(t, existing) };
      }
      if (mode === 'update') {
        throw new ServiceFault(404, NOT_FOUND, `${logicalName} With Ids = ${JSON.stringify(key)} Does Not Exist`);
      }
      for (const col of t.schema.columns.values()) {
        if (col.required && (values[col.logicalName] === undefined || values[col.logicalName] === null)) {
          throw new ServiceFault(400, VALIDATION, `A value for the required column '${col.logicalName}' of table '${logicalName}' is missing.`);
        }
      }
      for (const lookup of t.schema.lookups.values()) {
        if (lookup.required && values[`_${lookup.column}_value`] === undefined) {
          throw new ServiceFault(400, VALIDATION, `A value for the required lookup '${lookup.navigation}' of table '${logicalName}' is missing.`);
        }
      }
      const row: StoredRow = { id: randomUUID(), values };
      t.rows.set(row.id, row);
      index(t, row);
      undoLog?.push(() => {
        unindex(t, row);
        t.rows.delete(row.id);
      });
      scheduleSave();
      return { created: true, row: present(t, row) };
    },

    /** Runs `fn` all or nothing: any throw undoes its writes (UpsertMultiple, change sets). */
    atomically<T>(fn: () => T): T {
      const outer = undoLog;
      const log: Undo[] = [];
      undoLog = log;
      try {
        const out = fn();
        outer?.push(...log);
        return out;
      } catch (err) {
        for (let i = log.length - 1; i >= 0; i--) log[i]!();
        throw err;
      } finally {
        undoLog = outer;
      }
    },

    findByKey(logicalName: string, key: Record<string, unknown>): Record<string, unknown> | null {
      const t = table(logicalName);
      const row = findByKey(t, key);
      return row ? present(t, row) : null;
    },
    findById(logicalName: string, id: string): Record<string, unknown> | null {
      const t = table(logicalName);
      const row = t.rows.get(id.toLowerCase());
      return row ? present(t, row) : null;
    },
    rows(logicalName: string): Record<string, unknown>[] {
      const t = table(logicalName);
      return [...t.rows.values()].map((r) => present(t, r));
    },
    flush,
  };
}

/** A row as the Web API returns it: primary id, then columns; lookups as `_<column>_value`. */
function present(t: TableData, row: StoredRow): Record<string, unknown> {
  return { [t.schema.primaryId]: row.id, ...row.values };
}

export type StandInData = ReturnType<typeof createStandInData>;
