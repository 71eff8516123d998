// shared/sources/fast/compileFastParser.ts: a plain-function parser built from a zod schema's own
// definition, for the hot path of the JSON adapters.
//
// Zod allocates a `{ value, issues }` payload per node and per check and runs generic machinery around
// each; for vendor objects of a hundred fields that is most of an adapter's cost. The parser built here
// walks the same definition with none of that, and answers one of three things for a value:
// - the parsed data, exactly what `safeParse` would give (same keys in the same order, unknown keys
//   stripped, the same transforms applied): only where zod certainly succeeds;
// - REJECTED: zod certainly fails (a wrong type, a check that fails), which lets a union move on to
//   its next option as zod does;
// - UNKNOWN: anything this file does not model. The caller then asks zod itself, so findings (paths,
//   messages) always come from zod.
// Checks are zod's own check functions run on the value, so their semantics cannot drift; only types,
// optionality and key handling are restated here, from zod 4's object/union/array parsers.
import type { z } from 'zod';
import { CodeContext, emitParseCode } from './emitParseCode';
import { checkNodesOf, REJECTED, UNKNOWN, type FastParser, type Node } from './zodNode';

export { REJECTED, UNKNOWN, type FastParser, type FastResult } from './zodNode';

type Check = (value: unknown) => unknown;

const unknownAlways: FastParser = () => UNKNOWN;

/** One check as a function from value to value (an overwrite check like `.trim()` changes it). */
function compileCheck(ch: Node): Check {
  const def = ch._zod.def as Record<string, unknown>;
  const kind = def.check;
  const lengthCheck = kind === 'min_length' || kind === 'max_length' || kind === 'length_equals';
  const generic = genericCheck(ch, def, lengthCheck);
  if (typeof def.when === 'function' && !lengthCheck) return generic;
  if (kind === 'min_length' && typeof def.minimum === 'number') {
    // Enough UTF-16 units for the floor counted in code points (zod's rule) needs no count.
    const min = def.minimum;
    return (v) => ((v as { length: number }).length >= 2 * min ? v : generic(v));
  }
  if (kind === 'string_format' && def.format === 'regex' && def.pattern instanceof RegExp) {
    const pattern = def.pattern;
    return (v) => {
      pattern.lastIndex = 0;
      return pattern.test(v as string) ? v : REJECTED;
    };
  }
  if (kind === 'number_format' && def.format === 'safeint') {
    return (v) => (Number.isSafeInteger(v) ? v : REJECTED);
  }
  if (kind === 'greater_than' && typeof def.value === 'number') {
    const min = def.value;
    return def.inclusive
      ? (v) => ((v as number) >= min ? v : REJECTED)
      : (v) => ((v as number) > min ? v : REJECTED);
  }
  if (kind === 'less_than' && typeof def.value === 'number') {
    const max = def.value;
    return def.inclusive
      ? (v) => ((v as number) <= max ? v : REJECTED)
      : (v) => ((v as number) < max ? v : REJECTED);
  }
  return generic;
}

/**
 * A check run as zod runs it. One zod might skip (`when`) can only be trusted to pass, except a length
 * check on a string or array, which zod always runs.
 */
function genericCheck(ch: Node, def: Record<string, unknown>, lengthCheck: boolean): Check {
  const run = ch._zod.check;
  if (typeof run !== 'function') return () => UNKNOWN;
  const when = typeof def.when === 'function';
  return (v) => {
    const conditional = when && !(lengthCheck && (typeof v === 'string' || Array.isArray(v)));
    const payload = { value: v, issues: [] as unknown[] };
    let out: unknown;
    try {
      out = run(payload);
    } catch {
      return UNKNOWN;
    }
    if (out instanceof Promise) return UNKNOWN;
    if (payload.issues.length) return conditional ? UNKNOWN : REJECTED;
    return payload.value;
  };
}

/** A node's checks in zod's order: the node itself first when it is a check (`z.email()`, `.int()`). */
function checksOf(node: Node): Check[] {
  return checkNodesOf(node).map(compileCheck);
}

function withChecks(parse: FastParser, checks: Check[]): FastParser {
  if (!checks.length) return parse;
  return (value) => {
    let v = parse(value);
    for (const check of checks) {
      if (v === REJECTED || v === UNKNOWN) break;
      v = check(v);
    }
    return v;
  };
}

/** Plain leaf types the object parser tests inline instead of calling their parser. */
const NOT_LEAF = 0;
const STRING = 1;
const NUMBER = 2;
const BOOLEAN = 3;

/**
 * A field as the object parser needs it, decided once per schema so the per-call loop only reads
 * booleans. A field whose schema is a string, number or boolean with no checks, under any mix of
 * `.optional()`/`.nullable()` without checks, is tested inline (`leaf`, `nullOk`, `undefinedOk`): its
 * parser would return the value itself or REJECTED, never UNKNOWN, and calling it costs more than the test.
 */
interface Field {
  key: string;
  node: Node;
  parse: FastParser;
  leaf: number;
  nullOk: boolean;
  undefinedOk: boolean;
  /** Optional in and out: an absent key is left out without parsing (zod does not report it either). */
  skipAbsent: boolean;
  /** Required (no `optin`): an absent key fails once its value parsed. */
  required: boolean;
  /** Optional in but not out (e.g. a transform of an optional): kept when absent only if the result is defined. */
  keepIfDefined: boolean;
}

/** The inline form of `node` when it is a plain leaf (see `Field`), else undefined. */
function leafOf(node: Node): { leaf: number; nullOk: boolean; undefinedOk: boolean } | undefined {
  let nullOk = false;
  let undefinedOk = false;
  for (let n = node; ;) {
    const z = n._zod;
    if (z.def.coerce || z.traits.has('$ZodCheck') || z.def.checks?.length) return undefined;
    switch (z.def.type) {
      case 'string':
        return { leaf: STRING, nullOk, undefinedOk };
      case 'number':
        return { leaf: NUMBER, nullOk, undefinedOk };
      case 'boolean':
        return { leaf: BOOLEAN, nullOk, undefinedOk };
      case 'optional':
        undefinedOk = true;
        n = z.def.innerType as Node;
        break;
      case 'nullable':
        nullOk = true;
        n = z.def.innerType as Node;
        break;
      default:
        return undefined;
    }
  }
}

/**
 * Property handling of zod 4's object parser (JIT form), for the success path. This loop is the
 * adapters' hottest code (vendor objects of up to a hundred fields), so everything that does not depend
 * on the value is decided at compile time (see `Field`) and a call allocates only the output object.
 */
function compileObject(def: Record<string, unknown>, memo: Map<Node, FastParser>): FastParser {
  const shape = def.shape as Record<string, Node>;
  if (Object.getOwnPropertySymbols(shape).length) return unknownAlways;
  const fields: Field[] = [];
  for (const [key, field] of Object.entries(shape)) {
    if (key === '__proto__') continue;
    const z = field._zod;
    if (z.optin === 'defaulted') return unknownAlways;
    const optionalOut = z.optout === 'optional';
    const leaf = leafOf(field);
    fields.push({
      key,
      node: field,
      parse: compile(field, memo),
      leaf: leaf?.leaf ?? NOT_LEAF,
      nullOk: leaf?.nullOk ?? false,
      undefinedOk: leaf?.undefinedOk ?? false,
      skipAbsent: z.optin === 'optional' && optionalOut,
      required: z.optin === undefined,
      keepIfDefined: z.optin === 'optional' && !optionalOut,
    });
  }
  // A catchall `never` is `.strict()` (unknown keys fail), `unknown` is `.loose()` (they are kept).
  const catchall = (def.catchall as Node | undefined)?._zod.def.type;
  if (catchall !== undefined && catchall !== 'never' && catchall !== 'unknown') return unknownAlways;
  const keySet = new Set(Object.keys(shape));
  return (
    generatedObjectParser(fields, catchall, keySet, (node) => compile(node, memo)) ??
    loopObjectParser(fields, catchall, keySet)
  );
}

/** `.strict()` (`never`) or `.loose()` (`unknown`), or neither (unknown keys stripped). */
type Catchall = 'never' | 'unknown' | undefined;

/**
 * The object parser as a plain loop: the reference for `generatedObjectParser`, and what runs where code
 * cannot be generated.
 */
function loopObjectParser(fields: Field[], catchall: Catchall, keySet: Set<string>): FastParser {
  const count = fields.length;
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return REJECTED;
    const src = input as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    let unknown = false;
    for (let i = 0; i < count; i++) {
      const f = fields[i]!;
      const v = src[f.key];
      // A defined value means the key is there; only `undefined` needs the (slower) `in` test.
      const present = v !== undefined || f.key in src;
      if (!present && f.skipAbsent) continue;
      let r: unknown;
      if (f.leaf !== NOT_LEAF) {
        const ok =
          v === null
            ? f.nullOk
            : v === undefined
              ? f.undefinedOk
              : f.leaf === STRING
                ? typeof v === 'string'
                : f.leaf === NUMBER
                  ? typeof v === 'number' && Number.isFinite(v)
                  : typeof v === 'boolean';
        if (!ok) return REJECTED;
        r = v;
      } else {
        r = f.parse(v);
        // (zod ignores errors on an absent optional-in/out key, but such a key was skipped above.)
        if (r === REJECTED) return REJECTED;
        if (r === UNKNOWN) {
          unknown = true;
          continue;
        }
      }
      if (present) out[f.key] = r;
      else if (f.required) return REJECTED;
      else if (f.keepIfDefined && r !== undefined) out[f.key] = r;
    }
    if (catchall === 'never') {
      for (const key in src) if (!keySet.has(key)) return REJECTED;
    } else if (catchall === 'unknown') {
      for (const key in src) if (!keySet.has(key) && key !== '__proto__') out[key] = src[key];
    }
    return unknown ? UNKNOWN : out;
  };
}

/**
 * `loopObjectParser` unrolled into generated code, one block per field with the key as a literal, as
 * zod's own JIT does. A variable key (`src[f.key]`) makes every read, `in` test and write a megamorphic keyed
 * access, which was most of the loop's cost; a literal key gives each site its own inline cache, and the
 * output object then gets its keys through the same cached shape transitions every call. A present
 * field's value is parsed by code written for its schema (emitParseCode.ts: type tests, checks, wrappers
 * and array loops inline, other nodes called through their own call site). The absent-key rules are
 * decided here, so the generated code holds only what applies. Undefined where `new Function` is not allowed.
 */
function generatedObjectParser(
  fields: Field[],
  catchall: Catchall,
  keySet: Set<string>,
  parserOf: (node: Node) => FastParser,
): FastParser | undefined {
  const ctx = new CodeContext(parserOf);
  const lines = [
    'if (typeof src !== "object" || src === null || Array.isArray(src)) return REJECTED;',
    'const out = {};',
    'let v, r, unknown = false;',
  ];
  fields.forEach((f, i) => {
    // JSON string syntax is valid JS string syntax, so any key is quoted safely.
    const k = JSON.stringify(f.key);
    lines.push(`v = src[${k}];`, `if (v !== undefined || ${k} in src) {`);
    const parsed = emitParseCode(f.node, 'v', 'r', 'return REJECTED;', ctx);
    lines.push(
      ...parsed.lines,
      parsed.mayBeUnknown ? `if (r === UNKNOWN) unknown = true; else out[${k}] = r;` : `out[${k}] = r;`,
    );
    lines.push('} else {');
    // An absent key, as `loopObjectParser` handles it.
    if (f.skipAbsent) {
      // left out
    } else if (f.leaf !== NOT_LEAF) {
      if (f.required || !f.undefinedOk) lines.push('  return REJECTED;');
    } else {
      lines.push(
        `  r = parsers[${i}](undefined);`,
        '  if (r === REJECTED) return REJECTED;',
        '  if (r === UNKNOWN) unknown = true;',
        f.required
          ? '  else return REJECTED;'
          : f.keepIfDefined
            ? `  else if (r !== undefined) out[${k}] = r;`
            : '',
      );
    }
    lines.push('}');
  });
  if (catchall === 'never') lines.push('for (const key in src) if (!keySet.has(key)) return REJECTED;');
  if (catchall === 'unknown') {
    lines.push('for (const key in src) if (!keySet.has(key) && key !== "__proto__") out[key] = src[key];');
  }
  lines.push('return unknown ? UNKNOWN : out;');
  try {
    const make = new Function(
      'parsers',
      'constants',
      'keySet',
      'REJECTED',
      'UNKNOWN',
      `${ctx.constantDeclarations()}\nreturn function parseObject(src) {\n${ctx.tempDeclaration()}\n${lines.join('\n')}\n};`,
    );
    return make(
      fields.map((f) => f.parse),
      ctx.constants,
      keySet,
      REJECTED,
      UNKNOWN,
    ) as FastParser;
  } catch {
    return undefined;
  }
}

/** `z.record(z.string(), value)`: every own enumerable key, in own-key order. */
function compileRecord(def: Record<string, unknown>, memo: Map<Node, FastParser>): FastParser {
  const key = (def.keyType as Node)._zod;
  const plainStringKey =
    key.def.type === 'string' && !key.def.checks?.length && !key.traits.has('$ZodCheck') && !key.values;
  if (!plainStringKey || def.mode === 'loose' || def.partial) return unknownAlways;
  const parse = compile(def.valueType as Node, memo);
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return REJECTED;
    // zod's "plain object" test has more cases; only the two JSON gives are decided here.
    const proto = Object.getPrototypeOf(input) as unknown;
    if (proto !== Object.prototype && proto !== null) return UNKNOWN;
    const src = input as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    let unknown = false;
    for (const k of Reflect.ownKeys(src)) {
      if (typeof k !== 'string') return UNKNOWN;
      if (k === '__proto__' || !Object.prototype.propertyIsEnumerable.call(src, k)) continue;
      const r = parse(src[k]);
      if (r === REJECTED) return REJECTED;
      if (r === UNKNOWN) unknown = true;
      else out[k] = r;
    }
    return unknown ? UNKNOWN : out;
  };
}

function compileNode(node: Node, memo: Map<Node, FastParser>): FastParser {
  const def = node._zod.def;
  if (def.coerce) return unknownAlways;
  switch (def.type) {
    case 'string':
      return withChecks((v) => (typeof v === 'string' ? v : REJECTED), checksOf(node));
    case 'number':
      return withChecks((v) => (typeof v === 'number' && Number.isFinite(v) ? v : REJECTED), checksOf(node));
    case 'boolean':
      return withChecks((v) => (typeof v === 'boolean' ? v : REJECTED), checksOf(node));
    case 'unknown':
    case 'any':
      return withChecks((v) => v, checksOf(node));
    case 'literal':
    case 'enum': {
      const values = node._zod.values;
      if (!values) return unknownAlways;
      return withChecks((v) => (values.has(v) ? v : REJECTED), checksOf(node));
    }
    case 'optional': {
      const inner = node._zod.def.innerType as Node;
      if (inner._zod.optin === 'defaulted') return unknownAlways;
      const parse = compile(inner, memo);
      return withChecks((v) => (v === undefined ? v : parse(v)), checksOf(node));
    }
    case 'nullable': {
      const parse = compile(def.innerType as Node, memo);
      return withChecks((v) => (v === null ? v : parse(v)), checksOf(node));
    }
    case 'array': {
      const parse = compile(def.element as Node, memo);
      return withChecks((v) => {
        if (!Array.isArray(v)) return REJECTED;
        const out = new Array<unknown>(v.length);
        let unknown = false;
        for (let i = 0; i < v.length; i++) {
          const r = parse(v[i]);
          if (r === REJECTED) return REJECTED;
          if (r === UNKNOWN) unknown = true;
          else out[i] = r;
        }
        return unknown ? UNKNOWN : out;
      }, checksOf(node));
    }
    case 'object':
      return withChecks(compileObject(def, memo), checksOf(node));
    case 'record':
      return withChecks(compileRecord(def, memo), checksOf(node));
    case 'union': {
      if (def.inclusive === false) return unknownAlways; // z.xor
      const options = (def.options as Node[]).map((o) => compile(o, memo));
      // zod takes the first option that succeeds; an option that cannot be decided here decides nothing.
      return withChecks((v) => {
        for (const option of options) {
          const r = option(v);
          if (r !== REJECTED) return r;
        }
        return REJECTED;
      }, checksOf(node));
    }
    case 'pipe': {
      const left = compile(def.in as Node, memo);
      const right = compile(def.out as Node, memo);
      return withChecks((v) => {
        const l = left(v);
        return l === REJECTED || l === UNKNOWN ? l : right(l);
      }, checksOf(node));
    }
    case 'transform': {
      const run = node._zod as unknown as {
        run: (p: { value: unknown; issues: unknown[] }, ctx: object) => { value: unknown; issues: unknown[] };
      };
      // `run` includes the node's own checks.
      return (v) => {
        let r: { value: unknown; issues: unknown[] };
        try {
          r = run.run({ value: v, issues: [] }, { async: false });
        } catch {
          return UNKNOWN;
        }
        if (r instanceof Promise || r.issues.length) return UNKNOWN;
        return r.value;
      };
    }
    default:
      return unknownAlways;
  }
}

function compile(node: Node, memo: Map<Node, FastParser>): FastParser {
  let parser = memo.get(node);
  if (!parser) {
    // A schema met again while being compiled (recursion) is left to zod.
    memo.set(node, unknownAlways);
    parser = compileNode(node, memo);
    memo.set(node, parser);
  }
  return parser;
}

const compiled = new WeakMap<object, FastParser>();

/**
 * The fast parser of `schema`, built once. It returns the parsed data, REJECTED or UNKNOWN (see the
 * file comment); it never throws.
 */
export function compileFastParser(schema: z.ZodType): FastParser {
  let parser = compiled.get(schema);
  if (!parser) {
    let inner: FastParser;
    try {
      inner = compile(schema as unknown as Node, new Map());
    } catch {
      inner = unknownAlways;
    }
    parser = (value) => {
      try {
        return inner(value);
      } catch {
        return UNKNOWN;
      }
    };
    compiled.set(schema, parser);
  }
  return parser;
}
