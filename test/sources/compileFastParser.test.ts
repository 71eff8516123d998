// The compiled fast parser against zod itself: on generated vendor payloads and fixtures, mutated at
// random, data from the fast parser must be exactly zod's data (key order included), and a value it calls
// REJECTED must fail zod. UNKNOWN is always allowed (zod decides).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { GENERATORS } from '../../bench/generators';
import { createRng } from '../../bench/rng';
import type { SourceName } from '../../shared/model';
import { AdyenPaymentResponse, AdyenReversalResponse, AdyenSaleToPoiResponse } from '../../shared/sources/adyen';
import { CanonicalBatch, CanonicalPayloadTransaction } from '../../shared/sources/canonical';
import { CloverOrder } from '../../shared/sources/clover';
import { compileFastParser, REJECTED, UNKNOWN } from '../../shared/sources/fast/compileFastParser';
import { LightspeedRSale } from '../../shared/sources/lightspeed-r';
import { LightspeedXSale } from '../../shared/sources/lightspeed-x';
import { ShopifyOrder, ShopifyRefund } from '../../shared/sources/shopify';
import { SquareEvent, SquareOrder, SquarePayment, SquareRefund } from '../../shared/sources/square';
import { ToastOrder } from '../../shared/sources/toast';

const SCHEMAS: Record<string, z.ZodType[]> = {
  shopify: [ShopifyOrder, ShopifyRefund],
  square: [SquareOrder, SquarePayment, SquareRefund, SquareEvent],
  'lightspeed-x': [LightspeedXSale],
  'lightspeed-r': [LightspeedRSale],
  clover: [CloverOrder],
  toast: [ToastOrder],
  adyen: [AdyenSaleToPoiResponse, AdyenPaymentResponse, AdyenReversalResponse],
  canonical: [CanonicalPayloadTransaction, CanonicalBatch],
};

/** Every object or array reachable from the payload: the vendor objects the adapters hand to a schema. */
function candidates(value: unknown, out: unknown[] = [], depth = 0): unknown[] {
  if (typeof value !== 'object' || value === null || depth > 4) return out;
  out.push(value);
  for (const v of Object.values(value)) candidates(v, out, depth + 1);
  return out;
}

function payloads(source: string): unknown[] {
  const rng = createRng(7);
  const generate = GENERATORS[source as SourceName]!;
  const out: unknown[] = Array.from({ length: 20 }, (_, i) => JSON.parse(generate(rng, i)));
  const dir = join(__dirname, '../fixtures', source);
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    // no fixtures for this source
  }
  for (const f of files) out.push(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return out;
}

/** Data equal to zod's, with the same keys in the same order at every level. */
function expectSameData(fast: unknown, zod: unknown): void {
  expect(fast).toStrictEqual(zod);
  const order = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(order)
      : typeof v === 'object' && v !== null
        ? Object.entries(v).map(([k, x]) => [k, order(x)])
        : v;
  expect(order(fast)).toEqual(order(zod));
}

function compare(schema: z.ZodType, value: unknown): 'data' | 'rejected' | 'unknown' {
  const fast = compileFastParser(schema)(value);
  const zod = schema.safeParse(value);
  if (fast === UNKNOWN) return 'unknown';
  if (fast === REJECTED) {
    expect(zod.success).toBe(false);
    return 'rejected';
  }
  expect(zod.success).toBe(true);
  if (zod.success) expectSameData(fast, zod.data);
  return 'data';
}

const REPLACEMENTS = [
  null, undefined, '', ' ', 'x', '12', '-3', '1.50', ' 4.5 ', '1e3', '.5', '00', 'true', 'false', '20261130',
  '2026-11-30T10:00:00Z', 'O:ABC', '\uD83D\uDE00', '\uD800', 0, -0, -1, 1.5, 2 ** 53, 1e21, Number.NaN,
  Number.POSITIVE_INFINITY, true, false, {}, [], [null], { id: 'a' }, { elements: [] }, { amount: 1, currency: 'USD' },
];

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };
function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (typeof value !== 'object' || value === null) return out;
  const parent = value as Record<string, unknown> | unknown[];
  for (const [k, v] of Object.entries(parent)) {
    out.push({ parent, key: Array.isArray(parent) ? Number(k) : k });
    slots(v, out);
  }
  return out;
}

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'addKey', 'wrap'),
  value: fc.oneof(fc.constantFrom(...REPLACEMENTS), fc.jsonValue({ maxDepth: 2 })),
});

function mutate(payload: unknown, ms: { at: number; op: string; value: unknown }[]): unknown {
  const copy = structuredClone(payload);
  for (const m of ms) {
    const all = slots(copy);
    if (!all.length) break;
    const { parent, key } = all[m.at % all.length]!;
    const p = parent as Record<string | number, unknown>;
    // A copy: the replacement constants are shared by every run, and a later mutation of this run may
    // change what it inserted (inserted as is, one run could make a constant contain itself).
    const value = structuredClone(m.value);
    if (m.op === 'replace') p[key] = value;
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete p[key];
    } else if (m.op === 'addKey' && typeof p[key] === 'object' && p[key] !== null && !Array.isArray(p[key])) {
      (p[key] as Record<string, unknown>).extra_field = value;
    } else if (m.op === 'wrap') p[key] = [p[key]];
  }
  return copy;
}

describe.each(Object.keys(SCHEMAS))('compileFastParser agrees with zod: %s', (source) => {
  const schemas = SCHEMAS[source]!;
  const samples = payloads(source);

  it('gives zod’s data for every generated payload and fixture zod accepts', () => {
    let data = 0;
    for (const payload of samples) {
      for (const value of candidates(payload)) {
        for (const schema of schemas) {
          const zod = schema.safeParse(value);
          const outcome = compare(schema, value);
          // Valid vendor objects are what the fast parser is for: it must decide them itself.
          if (zod.success) expect(outcome).toBe('data');
          if (outcome === 'data') data++;
        }
      }
    }
    expect(data).toBeGreaterThanOrEqual(20);
  });

  it('never disagrees with zod on mutated payloads', () => {
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (i, ms) => {
        const mutated = mutate(samples[i], ms);
        for (const value of candidates(mutated)) for (const schema of schemas) compare(schema, value);
      }),
      { numRuns: 100 },
    );
  });
});

describe('compileFastParser: zod semantics it restates', () => {
  const cases: [string, z.ZodType, unknown[]][] = [
    ['optional key absent or undefined', z.object({ a: z.string().optional() }), [{}, { a: undefined }, { a: 1 }]],
    ['nullish', z.object({ a: z.number().nullish() }), [{ a: null }, {}, { a: Number.NaN }, { a: '1' }]],
    ['required unknown', z.object({ a: z.unknown() }), [{}, { a: undefined }, { a: 1 }]],
    ['transform of an absent key', z.object({ a: z.string().nullish().transform((v) => v ?? 'none') }), [{}, { a: null }, { a: 'x' }]],
    ['strict', z.object({ a: z.string() }).strict(), [{ a: 'x' }, { a: 'x', b: 1 }]],
    ['union order', z.union([z.string().transform((s) => s.length), z.string()]), ['abc', 1]],
    ['min length in code points', z.string().min(2), ['\uD83D\uDE00', 'ab', 'a', '\uD83D\uDE00x']],
    ['int', z.number().int(), [1, 1.5, 2 ** 53, -(2 ** 53) + 1]],
    ['array min', z.array(z.number()).min(1), [[], [1], [1, 'x']]],
    ['trim and refine', z.string().trim().refine((s) => s.length > 1), [' ab ', ' a ']],
    ['enum and literal', z.union([z.enum(['A', 'B']), z.literal('')]), ['A', '', 'C']],
    ['record', z.record(z.string(), z.number()), [{ a: 1, b: 2 }, { a: 'x' }, [], Object.create({ a: 1 })]],
    ['record with a checked key is left to zod', z.record(z.string().min(2), z.number()), [{ ab: 1 }]],
    ['loose', z.object({ a: z.string() }).loose(), [{ b: 1, a: 'x', c: [2] }, { a: 1 }]],
    // Leaf fields are tested inline by the object parser; every wrapper order and absent/undefined/null.
    [
      'inline leaves',
      z.object({
        s: z.string(),
        n: z.number().nullable(),
        b: z.boolean().optional().nullable(),
        o: z.string().nullable().optional(),
      }),
      [
        { s: 'x', n: 1, b: true, o: 'y' },
        { s: 'x', n: null, b: null, o: null },
        { s: 'x', n: 1, b: undefined, o: undefined },
        { s: 'x', n: 1 },
        { n: 1 },
        { s: undefined, n: 1 },
        { s: 'x' },
        { s: 'x', n: Number.POSITIVE_INFINITY },
        { s: 'x', n: 1, b: 'true' },
        { s: 1, n: 1 },
      ],
    ],
    ['optional in, not out', z.object({ a: z.string().optional().transform((v) => v) }), [{}, { a: undefined }, { a: 'x' }]],
    // Keys reach generated code as string literals: quotes, backslashes, line separators, inherited names.
    [
      'awkward keys',
      z.object({ 'a"b': z.string(), 'c\\d': z.number().optional(), 'e\u2028f': z.boolean().nullish(), constructor: z.unknown() }),
      [{ 'a"b': 'x', 'c\\d': 1, 'e\u2028f': null, constructor: 1 }, { 'a"b': 'x' }, { 'a"b': 1 }],
    ],
  ];
  it.each(cases)('%s', (_name, schema, values) => {
    for (const v of values) compare(schema, v);
  });

  // Where `new Function` is refused the object parser falls back to its plain loop; same answers.
  it.each(cases)('%s, without generated code', (_name, schema, values) => {
    jest.isolateModules(() => {
      const fresh = jest.requireActual<typeof import('../../shared/sources/fast/compileFastParser')>(
        '../../shared/sources/fast/compileFastParser',
      );
      const realFunction = globalThis.Function;
      let refused = 0;
      globalThis.Function = function refuse(): never {
        refused++;
        throw new EvalError('code generation from strings disallowed');
      } as unknown as FunctionConstructor;
      let parse: (v: unknown) => unknown;
      try {
        parse = fresh.compileFastParser(schema);
      } finally {
        globalThis.Function = realFunction;
      }
      if (schema instanceof z.ZodObject) expect(refused).toBeGreaterThan(0);
      for (const v of values) {
        const fast = parse(v);
        const zod = schema.safeParse(v);
        if (fast === fresh.UNKNOWN) continue;
        if (fast === fresh.REJECTED) expect(zod.success).toBe(false);
        else if (zod.success) expectSameData(fast, zod.data);
        else expect(zod.success).toBe(true);
      }
    });
  });
});
