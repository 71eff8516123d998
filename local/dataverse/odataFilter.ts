// local/dataverse/odataFilter.ts: the part of OData $filter the stand-in answers: comparisons with
// `eq` (and `ne`) joined by `and`, e.g. `pos_hubid eq 'abc' and pos_lineno eq 2`.

export type Literal = string | number | boolean | null;
export interface Comparison {
  column: string;
  op: 'eq' | 'ne';
  value: Literal;
}

export class FilterError extends Error {}

const TOKEN = /\s*(?:('(?:[^']|'')*')|([A-Za-z_][A-Za-z0-9_]*)|(-?\d+(?:\.\d+)?))/y;

export function parseFilter(text: string): Comparison[] {
  const tokens: Array<{ kind: 'string' | 'name' | 'number' | 'guid'; text: string }> = [];
  let pos = 0;
  // GUIDs start like numbers or names, so try the GUID pattern first at each position.
  const guid = /\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/y;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    guid.lastIndex = pos;
    const g = guid.exec(text);
    if (g) {
      tokens.push({ kind: 'guid', text: g[1]! });
      pos = guid.lastIndex;
      continue;
    }
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new FilterError(`cannot read $filter at position ${pos}: ${text.slice(pos, pos + 20)}`);
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'number', text: m[3] });
    pos = TOKEN.lastIndex;
  }
  const out: Comparison[] = [];
  for (let i = 0; i < tokens.length; ) {
    const col = tokens[i];
    const op = tokens[i + 1];
    const val = tokens[i + 2];
    if (!col || col.kind !== 'name' || !op || !/^(eq|ne)$/i.test(op.text) || !val) {
      throw new FilterError(`unsupported $filter: ${text} (the stand-in answers "column eq value" joined by "and")`);
    }
    let value: Literal;
    if (val.kind === 'string') value = val.text.slice(1, -1).replace(/''/g, "'");
    else if (val.kind === 'number') value = Number(val.text);
    else if (val.kind === 'guid') value = val.text.toLowerCase();
    else if (val.text === 'null') value = null;
    else if (val.text === 'true' || val.text === 'false') value = val.text === 'true';
    else throw new FilterError(`unsupported value in $filter: ${val.text}`);
    out.push({ column: col.text, op: op.text.toLowerCase() as 'eq' | 'ne', value });
    i += 3;
    if (i < tokens.length) {
      if (tokens[i]!.kind !== 'name' || tokens[i]!.text.toLowerCase() !== 'and') throw new FilterError(`unsupported $filter: only "and" joins comparisons`);
      i++;
      if (i >= tokens.length) throw new FilterError('$filter ends with "and"');
    }
  }
  return out;
}

export function matches(row: Record<string, unknown>, filter: Comparison[]): boolean {
  return filter.every((c) => {
    const v = row[c.column] ?? null;
    const equal = typeof v === 'string' && typeof c.value === 'string' && /^[0-9a-f-]{36}$/.test(c.value) ? v.toLowerCase() === c.value : v === c.value;
    return c.op === 'eq' ? equal : !equal;
  });
}
