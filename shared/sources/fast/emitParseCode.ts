// shared/sources/fast/emitParseCode.ts: a field's parser as JavaScript statements, for the generated
// object parsers of compileFastParser.ts.
//
// The compiled parsers are closures, one per zod node: `.nullish()` of a union of an int and a regex
// string is five closures deep, and each wrapper (optional, nullable, union, array) is one function body
// shared by every schema, so the calls inside it see every kind of callee and V8 cannot inline them.
// Written out as code inside the object parser, each field gets its own call sites and type tests, and
// the wrappers cost a comparison each. Nodes are restated here only as the closures in
// compileFastParser.ts state them (the reference, compared in test/sources/emitParseCode.test.ts);
// anything else is a call of its compiled parser.
import { checkNodesOf, type FastParser, type Node } from './zodNode';

/** What the emitted code of one generated function shares. */
export class CodeContext {
  /** Values the code names `c0`, `c1`, ...: patterns, enum sets, parsers it calls. */
  readonly constants: unknown[] = [];
  /** Temporaries, declared once at the top of the function. */
  readonly temps: string[] = [];
  private labels = 0;

  constructor(readonly parserOf: (node: Node) => FastParser) {}

  constant(value: unknown): string {
    this.constants.push(value);
    return `c${this.constants.length - 1}`;
  }

  temp(): string {
    const name = `t${this.temps.length}`;
    this.temps.push(name);
    return name;
  }

  label(): string {
    return `L${this.labels++}`;
  }

  /** The constants' declarations, for the function that makes the parser. */
  constantDeclarations(): string {
    return this.constants.map((_, i) => `const c${i} = constants[${i}];`).join('\n');
  }

  /** The temporaries' declaration, for the top of the parser itself (locals, not shared state). */
  tempDeclaration(): string {
    return this.temps.length ? `let ${this.temps.join(', ')};` : '';
  }
}

export interface Emitted {
  lines: string[];
  /** False when the code can only assign a parsed value (never UNKNOWN). */
  mayBeUnknown: boolean;
}

/**
 * Code that parses the value in variable `src` into variable `dst` (the data, or UNKNOWN) or runs
 * `reject` (a `return` or a `break`) where the compiled parser would answer REJECTED.
 */
export function emitParseCode(
  node: Node,
  src: string,
  dst: string,
  reject: string,
  ctx: CodeContext,
): Emitted {
  const test = acceptsItselfCode(node, src, ctx);
  if (test !== undefined)
    return { lines: [`if (!(${test})) ${reject}`, `${dst} = ${src};`], mayBeUnknown: false };
  const z = node._zod;
  const def = z.def;
  // Checks on a wrapper or container, and coercion, stay with the compiled parser.
  if (def.coerce || checkNodesOf(node).length) return callParser(node, src, dst, reject, ctx);
  switch (def.type) {
    case 'optional':
    case 'nullable': {
      const inner = def.innerType as Node;
      if (def.type === 'optional' && inner._zod.optin === 'defaulted')
        return callParser(node, src, dst, reject, ctx);
      const skip = def.type === 'optional' ? 'undefined' : 'null';
      const parsed = emitParseCode(inner, src, dst, reject, ctx);
      return {
        lines: [`if (${src} === ${skip}) ${dst} = ${src};`, 'else {', ...parsed.lines, '}'],
        mayBeUnknown: parsed.mayBeUnknown,
      };
    }
    case 'array': {
      const [out, i, item, parsed, unknown] = [ctx.temp(), ctx.temp(), ctx.temp(), ctx.temp(), ctx.temp()];
      const element = emitParseCode(def.element as Node, item, parsed, reject, ctx);
      // As the array closure: a new array of the parsed items; one UNKNOWN item makes the array UNKNOWN.
      return {
        lines: [
          `if (!Array.isArray(${src})) ${reject}`,
          `${out} = new Array(${src}.length);`,
          `${unknown} = false;`,
          `for (${i} = 0; ${i} < ${src}.length; ${i}++) {`,
          `${item} = ${src}[${i}];`,
          ...element.lines,
          element.mayBeUnknown
            ? `if (${parsed} === UNKNOWN) ${unknown} = true; else ${out}[${i}] = ${parsed};`
            : `${out}[${i}] = ${parsed};`,
          '}',
          element.mayBeUnknown ? `${dst} = ${unknown} ? UNKNOWN : ${out};` : `${dst} = ${out};`,
        ],
        mayBeUnknown: element.mayBeUnknown,
      };
    }
    case 'union': {
      if (def.inclusive === false) return callParser(node, src, dst, reject, ctx);
      // The first option that does not reject decides, UNKNOWN included: each option in its own block,
      // left by `break` to try the next one.
      const union = ctx.label();
      const lines = [`${union}: {`];
      let mayBeUnknown = false;
      for (const option of def.options as Node[]) {
        const next = ctx.label();
        const parsed = emitParseCode(option, src, dst, `break ${next};`, ctx);
        mayBeUnknown ||= parsed.mayBeUnknown;
        lines.push(`${next}: {`, ...parsed.lines, `break ${union};`, '}');
      }
      lines.push(reject, '}');
      return { lines, mayBeUnknown };
    }
    case 'pipe': {
      const middle = ctx.temp();
      const left = emitParseCode(def.in as Node, src, middle, reject, ctx);
      const right = emitParseCode(def.out as Node, middle, dst, reject, ctx);
      return {
        lines: left.mayBeUnknown
          ? [...left.lines, `if (${middle} === UNKNOWN) ${dst} = UNKNOWN;`, 'else {', ...right.lines, '}']
          : [...left.lines, ...right.lines],
        mayBeUnknown: left.mayBeUnknown || right.mayBeUnknown,
      };
    }
    default:
      return callParser(node, src, dst, reject, ctx);
  }
}

function callParser(node: Node, src: string, dst: string, reject: string, ctx: CodeContext): Emitted {
  const parser = ctx.constant(ctx.parserOf(node));
  return { lines: [`${dst} = ${parser}(${src});`, `if (${dst} === REJECTED) ${reject}`], mayBeUnknown: true };
}

/**
 * An expression over `v` that is true exactly where the node's compiled parser returns `v` itself and
 * false exactly where it returns REJECTED; undefined for a node whose parser may change the value or
 * answer UNKNOWN. These are the plain types, enums and literals with the checks below, under
 * `.optional()` / `.nullable()` and in unions of such nodes.
 */
function acceptsItselfCode(node: Node, v: string, ctx: CodeContext): string | undefined {
  const z = node._zod;
  const def = z.def;
  if (def.coerce) return undefined;
  const checks = checkNodesOf(node);
  let base: string;
  switch (def.type) {
    case 'string':
      base = `typeof ${v} === "string"`;
      break;
    case 'number':
      base = `typeof ${v} === "number" && Number.isFinite(${v})`;
      break;
    case 'boolean':
      base = `typeof ${v} === "boolean"`;
      break;
    case 'literal':
    case 'enum':
      if (!z.values) return undefined;
      base = `${ctx.constant(z.values)}.has(${v})`;
      break;
    case 'unknown':
    case 'any':
      base = 'true';
      break;
    case 'optional':
    case 'nullable': {
      const inner = def.innerType as Node;
      if (checks.length || (def.type === 'optional' && inner._zod.optin === 'defaulted')) return undefined;
      const innerTest = acceptsItselfCode(inner, v, ctx);
      if (innerTest === undefined) return undefined;
      return `(${v} === ${def.type === 'optional' ? 'undefined' : 'null'} || ${innerTest})`;
    }
    case 'union': {
      if (checks.length || def.inclusive === false) return undefined;
      const tests: string[] = [];
      for (const option of def.options as Node[]) {
        const test = acceptsItselfCode(option, v, ctx);
        if (test === undefined) return undefined;
        tests.push(`(${test})`);
      }
      return tests.length ? `(${tests.join(' || ')})` : 'false';
    }
    default:
      return undefined;
  }
  const parts = [base];
  for (const check of checks) {
    const test = checkCode(check, v, def.type, ctx);
    if (test === undefined) return undefined;
    parts.push(test);
  }
  return `(${parts.join(' && ')})`;
}

/** A check as a test of a value already of the node's type, as compileCheck in compileFastParser.ts runs it. */
function checkCode(check: Node, v: string, type: string, ctx: CodeContext): string | undefined {
  const def = check._zod.def as Record<string, unknown>;
  const kind = def.check;
  if (kind === 'min_length' && type === 'string' && typeof def.minimum === 'number') {
    // zod runs a length check on every string (`when` aside) and counts code points; twice the floor in
    // UTF-16 units always clears it, below that zod's own check decides.
    const run = check._zod.check;
    if (typeof run !== 'function') return undefined;
    const holds = (s: unknown): boolean => {
      const payload = { value: s, issues: [] as unknown[] };
      run(payload);
      return payload.issues.length === 0;
    };
    return `(${v}.length >= ${2 * def.minimum} || ${ctx.constant(holds)}(${v}))`;
  }
  if (typeof def.when === 'function') return undefined;
  if (
    kind === 'string_format' &&
    def.format === 'regex' &&
    def.pattern instanceof RegExp &&
    type === 'string'
  ) {
    const pattern = ctx.constant(def.pattern);
    return `(${pattern}.lastIndex = 0, ${pattern}.test(${v}))`;
  }
  if (kind === 'number_format' && def.format === 'safeint' && type === 'number')
    return `Number.isSafeInteger(${v})`;
  if (
    (kind === 'greater_than' || kind === 'less_than') &&
    typeof def.value === 'number' &&
    type === 'number'
  ) {
    const op = (kind === 'greater_than' ? '>' : '<') + (def.inclusive ? '=' : '');
    return `${v} ${op} ${ctx.constant(def.value)}`;
  }
  return undefined;
}
