// local/dataverse/tableSchema.ts: what the stand-in knows of each table, read from the same
// dataverse/tables.json a Dataverse admin applies (alternate keys, column types, lookups).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../appRoot';

export type ColumnType = 'String' | 'Memo' | 'Decimal' | 'Integer' | 'DateTime' | 'Boolean';

export interface ColumnSchema {
  logicalName: string;
  type: ColumnType;
  required: boolean;
  maxLength?: number;
  precision?: number;
  minValue?: number;
  maxValue?: number;
  dateOnly?: boolean;
}

export interface LookupSchema {
  /** Navigation property (case-sensitive), as in `<nav>@odata.bind`. */
  navigation: string;
  /** Lookup column; its value is read back as `_<column>_value`. */
  column: string;
  target: string;
  required: boolean;
  /**
   * What deleting the target row does to rows pointing at it (the relationship's
   * `CascadeConfiguration.Delete`): `RemoveLink`, the default for custom lookups, clears the lookup;
   * `Cascade` deletes them too. (`Restrict` is refused when the tables are read: the stand-in does not
   * implement it, and the project's tables do not use it.)
   */
  onDelete: DeleteBehavior;
}

export type DeleteBehavior = 'RemoveLink' | 'Cascade';
const DELETE_BEHAVIORS: readonly string[] = ['RemoveLink', 'Cascade'];

export interface TableSchema {
  logicalName: string;
  entitySet: string;
  primaryId: string;
  keys: string[][];
  columns: Map<string, ColumnSchema>;
  lookups: Map<string, LookupSchema>;
}

export const DEFAULT_TABLES_FILE = path.join(projectRoot, 'dataverse', 'tables.json');

interface AttributeJson {
  '@odata.type'?: string;
  LogicalName?: string;
  SchemaName: string;
  RequiredLevel?: { Value?: string };
  MaxLength?: number;
  Precision?: number;
  MinValue?: number;
  MaxValue?: number;
  Format?: string;
}

interface TablesJson {
  entities: Array<{
    LogicalName?: string;
    SchemaName: string;
    EntitySetName: string;
    Attributes: AttributeJson[];
    Keys: Array<{ KeyAttributes: string[] }>;
  }>;
  relationships?: Array<{
    ReferencedEntity: string;
    ReferencingEntity: string;
    ReferencingEntityNavigationPropertyName: string;
    Lookup: AttributeJson;
    CascadeConfiguration?: { Delete?: string };
  }>;
}

const TYPES: Record<string, ColumnType> = {
  'Microsoft.Dynamics.CRM.StringAttributeMetadata': 'String',
  'Microsoft.Dynamics.CRM.MemoAttributeMetadata': 'Memo',
  'Microsoft.Dynamics.CRM.DecimalAttributeMetadata': 'Decimal',
  'Microsoft.Dynamics.CRM.MoneyAttributeMetadata': 'Decimal',
  'Microsoft.Dynamics.CRM.IntegerAttributeMetadata': 'Integer',
  'Microsoft.Dynamics.CRM.DateTimeAttributeMetadata': 'DateTime',
  'Microsoft.Dynamics.CRM.BooleanAttributeMetadata': 'Boolean',
};

const isRequired = (a: AttributeJson) => a.RequiredLevel?.Value === 'ApplicationRequired' || a.RequiredLevel?.Value === 'SystemRequired';

/** Tables by entity set name. */
export function loadTableSchemas(file: string = DEFAULT_TABLES_FILE): Map<string, TableSchema> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as TablesJson;
  const byLogical = new Map<string, TableSchema>();
  for (const e of doc.entities) {
    const logicalName = e.LogicalName ?? e.SchemaName.toLowerCase();
    const columns = new Map<string, ColumnSchema>();
    for (const a of e.Attributes) {
      const type = TYPES[a['@odata.type'] ?? ''];
      if (!type) throw new Error(`${file}: ${logicalName}.${a.SchemaName} has an attribute type the stand-in does not know`);
      const name = a.LogicalName ?? a.SchemaName.toLowerCase();
      columns.set(name, {
        logicalName: name,
        type,
        required: isRequired(a),
        maxLength: a.MaxLength,
        precision: a.Precision,
        minValue: a.MinValue,
        maxValue: a.MaxValue,
        dateOnly: a.Format === 'DateOnly',
      });
    }
    byLogical.set(logicalName, {
      logicalName,
      entitySet: e.EntitySetName,
      primaryId: `${logicalName}id`,
      keys: e.Keys.map((k) => k.KeyAttributes.map((c) => c.toLowerCase())),
      columns,
      lookups: new Map(),
    });
  }
  for (const r of doc.relationships ?? []) {
    const from = byLogical.get(r.ReferencingEntity);
    if (!from || !byLogical.has(r.ReferencedEntity)) throw new Error(`${file}: relationship between unknown tables ${r.ReferencingEntity} -> ${r.ReferencedEntity}`);
    const onDelete = r.CascadeConfiguration?.Delete ?? 'RemoveLink';
    if (!DELETE_BEHAVIORS.includes(onDelete)) throw new Error(`${file}: relationship ${r.ReferencingEntity} -> ${r.ReferencedEntity} has a delete behavior the stand-in does not know (${onDelete})`);
    from.lookups.set(r.ReferencingEntityNavigationPropertyName, {
      navigation: r.ReferencingEntityNavigationPropertyName,
      column: r.Lookup.LogicalName ?? r.Lookup.SchemaName.toLowerCase(),
      target: r.ReferencedEntity,
      required: isRequired(r.Lookup),
      onDelete: onDelete as DeleteBehavior,
    });
  }
  return new Map([...byLogical.values()].map((t) => [t.entitySet, t]));
}
