// local/dataverse/odataFilter.ts: the part of OData $filter the stand-in answers: comparisons with
// `eq` (and `ne`) joined by `and` and `or`, with parentheses, e.g.
// `pos_hubid eq 'abc' and (pos_lineno eq 2 or pos_lineno eq 3)`. As in OData, `and` binds tighter than `or`.

export type Literal = string | number | boolean | null;
export interface Comparison {
  column: string;
  op: 'eq' | 'ne';
  value: Literal;
}
export type Filter = Comparison | { and: Filter[] } | { or: Filter[] };

/** The filter of a query without `$filter`: every row. */
export const MATCH_ALL: Filter = { and: [] };

export class FilterError extends Error {}

type Token = { kind: 'string' | 'name' | 'number' | 'guid' | 'open' | 'close'; text: string };

const TOKEN = /\s*(?:('(?:[^']|'')*')|([A-Za-z_][A-Za-z0-9_]*)|(-?\d+(?:\.\d+)?)|([()]))/y;
// GUIDs start like numbers or names, so the GUID pattern is tried first at each position.
const GUID = /\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    GUID.lastIndex = pos;
    const g = GUID.exec(text);
    if (g) {
      tokens.push({ kind: 'guid', text: g[1]! });
      pos = GUID.lastIndex;
      continue;
    }
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new FilterError(`cannot read $filter at position ${pos}: ${text.slice(pos, pos + 20)}`);
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'number', text: m[3] });
    else tokens.push({ kind: m[4] === '(' ? 'open' : 'close', text: m[4]! });
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

export function parseFilter(text: string): Filter {
  const tokens = tokenize(text);
  let i = 0;
  const unsupported = () => new FilterError(`unsupported $filter: ${text} (the stand-in answers "column eq value" joined by "and" / "or", with parentheses)`);
  const isWord = (t: Token | undefined, word: string) => t?.kind === 'name' && t.text.toLowerCase() === word;

  const comparison = (): Filter => {
    if (tokens[i]?.kind === 'open') {
      i++;
      const inner = disjunction();
      if (tokens[i]?.kind !== 'close') throw new FilterError(`$filter has an unclosed parenthesis: ${text}`);
      i++;
      return inner;
    }
    const col = tokens[i];
    const op = tokens[i + 1];
    const val = tokens[i + 2];
    if (!col || col.kind !== 'name' || !op || op.kind !== 'name' || !/^(eq|ne)$/i.test(op.text) || !val) throw unsupported();
    let value: Literal;
    if (val.kind === 'string') value = val.text.slice(1, -1).replace(/''/g, "'");
    else if (val.kind === 'number') value = Number(val.text);
    else if (val.kind === 'guid') value = val.text.toLowerCase();
    else if (val.text === 'null') value = null;
    else if (val.text === 'true' || val.text === 'false') value = val.text === 'true';
    else throw new FilterError(`unsupported value in $filter: ${val.text}`);
    i += 3;
    return { column: col.text, op: op.text.toLowerCase() as 'eq' | 'ne', value };
  };
  /** `part` joined by `word` (and binds tighter than or, because or's parts are and-joins). */
  const joinedBy = (word: 'and' | 'or', part: () => Filter): Filter => {
    const parts = [part()];
    while (isWord(tokens[i], word)) {
      i++;
      if (i >= tokens.length) throw new FilterError(`$filter ends with "${word}"`);
      parts.push(part());
    }
    if (parts.length === 1) return parts[0]!;
    return word === 'and' ? { and: parts } : { or: parts };
  };
  const conjunction = () => joinedBy('and', comparison);
  const disjunction = (): Filter => joinedBy('or', conjunction);

  if (tokens.length === 0) return MATCH_ALL;
  const filter = disjunction();
  if (i < tokens.length) throw unsupported();
  return filter;
}

/** Every column a filter compares, for the service's "Could not find a property" check. */
export function filterColumns(filter: Filter): string[] {
  if ('and' in filter) return filter.and.flatMap(filterColumns);
  if ('or' in filter) return filter.or.flatMap(filterColumns);
  return [filter.column];
}

export function matches(row: Record<string, unknown>, filter: Filter): boolean {
  if ('and' in filter) return filter.and.every((f) => matches(row, f));
  if ('or' in filter) return filter.or.some((f) => matches(row, f));
  const v = row[filter.column] ?? null;
  const equal = typeof v === 'string' && typeof filter.value === 'string' && /^[0-9a-f-]{36}$/.test(filter.value) ? v.toLowerCase() === filter.value : v === filter.value;
  return filter.op === 'eq' ? equal : !equal;
}
