// local/httpRoute.ts: ASP.NET Core route templates as the Functions host matches them: literal
// segments (case-insensitive), `{name}`, optional `{name?}`, defaults `{name=value}`, constraints
// `{id:int}`, `{code:length(3):alpha}`, catch-all `{*rest}`, and complex segments like `{file}.{ext}`.
export type RouteParams = Record<string, string>;

export interface CompiledRoute {
  template: string;
  /** Lower sorts first: literal < complex < constrained < plain < catch-all, segment by segment (ASP.NET precedence). */
  precedence: number[];
  match(segments: string[]): RouteParams | undefined;
}

interface Param {
  name: string;
  optional: boolean;
  defaultValue?: string;
  catchAll: boolean;
  constraints: ((value: string) => boolean)[];
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; param: Param }
  | { kind: 'complex'; regex: RegExp; params: Param[] };

const INTEGER = /^-?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Guid.TryParse formats N, D, B and P.
const HEX_GUID = '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}';
const GUID = new RegExp(`^([0-9a-f]{32}|${HEX_GUID}|\\{${HEX_GUID}\\}|\\(${HEX_GUID}\\))$`, 'i');

function inRange(value: string, min: bigint, max: bigint): boolean {
  return INTEGER.test(value) && BigInt(value) >= min && BigInt(value) <= max;
}

function args(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(',').map((a) => a.trim());
}

/** The ASP.NET Core inline constraints (invariant culture, as the host uses them). */
function constraintFor(spec: string): (value: string) => boolean {
  const m = /^([a-z]+)(?:\((.*)\))?$/is.exec(spec);
  if (!m) throw new Error(`bad route constraint "${spec}"`);
  const name = m[1]!.toLowerCase();
  const a = args(m[2]);
  const n = a.map(Number);
  const b = a.map((x) => (INTEGER.test(x) ? BigInt(x) : 0n));
  const LONG_MIN = -(2n ** 63n);
  const LONG_MAX = 2n ** 63n - 1n;
  switch (name) {
    case 'int':
      return (v) => inRange(v, -(2n ** 31n), 2n ** 31n - 1n);
    case 'long':
      return (v) => inRange(v, LONG_MIN, LONG_MAX);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'double':
    case 'float':
    case 'decimal':
      return (v) => NUMBER.test(v);
    case 'guid':
      return (v) => GUID.test(v);
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'minlength':
      return (v) => v.length >= n[0]!;
    case 'maxlength':
      return (v) => v.length <= n[0]!;
    case 'length':
      return n.length === 1 ? (v) => v.length === n[0] : (v) => v.length >= n[0]! && v.length <= n[1]!;
    // min, max and range compare 64-bit integers, as ASP.NET Core does.
    case 'min':
      return (v) => inRange(v, b[0]!, LONG_MAX);
    case 'max':
      return (v) => inRange(v, LONG_MIN, b[0]!);
    case 'range':
      return (v) => inRange(v, b[0]!, b[1]!);
    case 'regex': {
      const re = new RegExp(m[2] ?? '', 'i');
      return (v) => re.test(v);
    }
    case 'required':
      return (v) => v.length > 0;
    default:
      throw new Error(`unknown route constraint "${name}"`);
  }
}

/** Splits `name:c1:c2(x:y)` on the colons outside parentheses. */
function splitConstraints(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseParam(body: string): Param {
  let text = body;
  const catchAll = text.startsWith('*');
  text = text.replace(/^\*{1,2}/, '');
  let defaultValue: string | undefined;
  const eq = text.indexOf('=');
  if (eq >= 0 && !text.slice(0, eq).includes('(')) {
    defaultValue = text.slice(eq + 1);
    text = text.slice(0, eq);
  }
  const optional = text.endsWith('?');
  if (optional) text = text.slice(0, -1);
  const [name, ...constraints] = splitConstraints(text);
  if (!name || !/^[A-Za-z_][\w]*$/.test(name)) throw new Error(`bad route parameter "{${body}}"`);
  return {
    name,
    optional: optional || catchAll,
    defaultValue,
    catchAll,
    constraints: constraints.map(constraintFor),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits a segment into literal text and `{...}` parameters; `{{` and `}}` escape braces (in regex constraints). */
function splitSegment(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '{') {
      const next = text.indexOf('{', i);
      parts.push(text.slice(i, next < 0 ? undefined : next));
      i = next < 0 ? text.length : next;
      continue;
    }
    let j = i + 1;
    let body = '';
    while (j < text.length && !(text[j] === '}' && text[j + 1] !== '}')) {
      const pair = text.slice(j, j + 2);
      if (pair === '{{' || pair === '}}') {
        body += pair[0];
        j += 2;
      } else body += text[j++];
    }
    if (j >= text.length) throw new Error(`unclosed "{" in route segment "${text}"`);
    parts.push(`{${body}}`);
    i = j + 1;
  }
  return parts;
}

function parseSegment(text: string): Segment {
  const parts = splitSegment(text);
  if (parts.length === 1 && parts[0]!.startsWith('{'))
    return { kind: 'param', param: parseParam(parts[0]!.slice(1, -1)) };
  if (!text.includes('{')) return { kind: 'literal', text: text.toLowerCase() };
  const params: Param[] = [];
  const source = parts
    .map((p) => {
      if (!p.startsWith('{')) return escapeRegex(p);
      params.push(parseParam(p.slice(1, -1)));
      // ASP.NET matches complex segments right to left, each literal at its last occurrence: greedy
      // groups from the left give the same split.
      return '(.+)';
    })
    .join('');
  return { kind: 'complex', regex: new RegExp(`^${source}$`, 'i'), params };
}

function accepts(param: Param, value: string): boolean {
  return param.constraints.every((c) => c(value));
}

export function compileRoute(template: string): CompiledRoute {
  const trimmed = template.replace(/^\/+|\/+$/g, '');
  const segments = trimmed === '' ? [] : trimmed.split('/').map(parseSegment);
  const precedence = segments.map((s) =>
    s.kind === 'literal'
      ? 1
      : s.kind === 'complex'
        ? 2
        : s.param.catchAll
          ? 5
          : s.param.constraints.length > 0
            ? 3
            : 4,
  );

  function match(path: string[]): RouteParams | undefined {
    const params: RouteParams = {};
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const value = path[i];
      if (seg.kind === 'param' && seg.param.catchAll) {
        const rest = path.slice(i).join('/');
        if (rest === '' && seg.param.defaultValue === undefined) return params;
        const v = rest === '' ? seg.param.defaultValue! : rest;
        if (!accepts(seg.param, v)) return undefined;
        params[seg.param.name] = v;
        return params;
      }
      if (value === undefined || value === '') {
        // A missing trailing segment is fine only for an optional or defaulted parameter.
        if (seg.kind !== 'param' || !(seg.param.optional || seg.param.defaultValue !== undefined))
          return undefined;
        if (seg.param.defaultValue !== undefined) params[seg.param.name] = seg.param.defaultValue;
        continue;
      }
      if (seg.kind === 'literal') {
        if (value.toLowerCase() !== seg.text) return undefined;
      } else if (seg.kind === 'param') {
        if (!accepts(seg.param, value)) return undefined;
        params[seg.param.name] = value;
      } else {
        const m = seg.regex.exec(value);
        if (!m) return undefined;
        for (const [j, p] of seg.params.entries()) {
          const v = m[j + 1]!;
          if (!accepts(p, v)) return undefined;
          params[p.name] = v;
        }
      }
    }
    return path.length <= segments.length ? params : undefined;
  }

  return { template: trimmed, precedence, match };
}

/** Orders routes so the most specific template is tried first, as ASP.NET Core does. */
export function byPrecedence(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < Math.max(a.precedence.length, b.precedence.length); i++) {
    const x = a.precedence[i] ?? 0;
    const y = b.precedence[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/** Splits a URL path into decoded segments; undefined when an escape is malformed. */
export function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname
      .replace(/^\/+|\/+$/g, '')
      .split('/')
      .filter((s, i, all) => !(all.length === 1 && s === ''))
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
