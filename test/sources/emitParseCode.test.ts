// The generated object parsers (field parsers written out by emitParseCode) against the closures they
// restate (the same compileFastParser with `new Function` refused) and against zod, on random schemas
// built from the node kinds the vendor schemas use and random values shaped like them.
import fc from 'fast-check';
import { z } from 'zod';
import type * as Fast from '../../shared/sources/fast/compileFastParser';

type FastModule = typeof Fast;

/** compileFastParser with its generated code, and a fresh copy of it that may not generate code. */
function loadBoth(): { generated: FastModule; closures: FastModule } {
  let generated!: FastModule;
  let closures!: FastModule;
  jest.isolateModules(() => {
    generated = jest.requireActual<FastModule>('../../shared/sources/fast/compileFastParser');
  });
  jest.isolateModules(() => {
    closures = jest.requireActual<FastModule>('../../shared/sources/fast/compileFastParser');
  });
  return { generated, closures };
}

function withoutCodeGeneration<T>(run: () => T): T {
  const realFunction = globalThis.Function;
  globalThis.Function = function refuse(): never {
    throw new EvalError('code generation from strings disallowed');
  } as unknown as FunctionConstructor;
  try {
    return run();
  } finally {
    globalThis.Function = realFunction;
  }
}

const KEYS = ['a', 'b', 'c'] as const;

const leaf: fc.Arbitrary<z.ZodType> = fc.oneof(
  fc.constant(z.string()),
  fc.constant(z.string().regex(/^-?\d+$/)),
  fc.constant(z.string().regex(/\d/g)),
  fc.constant(z.string().min(1)),
  fc.constant(z.string().min(2).regex(/^\D*$/)),
  fc.constant(z.string().email()),
  fc.constant(z.number()),
  fc.constant(z.number().int()),
  fc.constant(z.number().int().nonnegative()),
  fc.constant(z.number().lt(2)),
  fc.constant(z.boolean()),
  fc.constant(z.enum(['a', '1'])),
  fc.constant(z.literal(1)),
  fc.constant(z.unknown()),
  fc.constant(z.string().trim()),
  fc.constant(z.coerce.number()),
);

const schema: fc.Arbitrary<z.ZodType> = fc.letrec<{ node: z.ZodType }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: leaf, weight: 8 },
    tie('node').map((s) => s.optional()),
    tie('node').map((s) => s.nullable()),
    tie('node').map((s) => s.nullish()),
    tie('node').map((s) => z.array(s)),
    tie('node').map((s) => z.array(s).min(1)),
    fc.tuple(tie('node'), tie('node')).map(([x, y]) => z.union([x, y])),
    tie('node').map((s) => s.transform((v) => [v])),
    tie('node').map((s) => s.refine((v) => v !== '12')),
    tie('node').map((s) => s.nullish().transform((v) => v ?? 'none')),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 1, maxLength: 3 })
      .map((fields) => z.object(Object.fromEntries(fields))),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 1, maxLength: 3 })
      .map((fields) => z.object(Object.fromEntries(fields)).strict()),
  ),
})).node;

const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    {
      arbitrary: fc.constantFrom(
        '',
        '1',
        '12',
        '-3',
        'a',
        'ab',
        ' a ',
        '\uD83D\uDE00',
        'x@y.z',
        0,
        1,
        -1,
        1.5,
        2 ** 53,
        true,
        false,
        null,
        undefined,
      ),
      weight: 4,
    },
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS, 'd'), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** Top-level objects, so that every schema goes through a generated object parser. */
const objectSchema = fc
  .array(fc.tuple(fc.constantFrom(...KEYS), schema), { minLength: 1, maxLength: 3 })
  .map((fields) => z.object(Object.fromEntries(fields)));
const objectValue = fc.dictionary(fc.constantFrom(...KEYS, 'd'), value, { maxKeys: 4 });

/** Data with the same keys in the same order at every level. */
function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (typeof v === 'object' && v !== null) return Object.entries(v).map(([k, x]) => [k, ordered(x)]);
  return v;
}

describe('emitParseCode: generated object parsers', () => {
  const { generated, closures } = loadBoth();

  it('answer exactly as the closures do, and never against zod', () => {
    let data = 0;
    fc.assert(
      fc.property(objectSchema, fc.array(objectValue, { minLength: 1, maxLength: 12 }), (s, values) => {
        const fast = generated.compileFastParser(s);
        const reference = withoutCodeGeneration(() => closures.compileFastParser(s));
        for (const v of values) {
          const got = fast(v);
          const want = reference(v);
          if (typeof want === 'symbol') {
            expect(
              got === generated.REJECTED ? 'rejected' : got === generated.UNKNOWN ? 'unknown' : got,
            ).toBe(want === closures.REJECTED ? 'rejected' : 'unknown');
          } else {
            expect(typeof got).not.toBe('symbol');
            expect(got).toStrictEqual(want);
            expect(ordered(got)).toEqual(ordered(want));
          }
          const zod = s.safeParse(v);
          if (got === generated.REJECTED) expect(zod.success).toBe(false);
          else if (got !== generated.UNKNOWN) {
            data++;
            expect(zod.success).toBe(true);
            if (zod.success) expect(ordered(got)).toEqual(ordered(zod.data));
          }
        }
      }),
      { numRuns: 1000 },
    );
    // The generated values must reach the data path often enough to mean something.
    expect(data).toBeGreaterThan(200);
  });

  it('restate the nodes the vendor schemas use', () => {
    const s = z.object({
      cents: z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).nullish(),
      list: z
        .object({
          elements: z.array(z.object({ id: z.string().min(1), n: z.number().nonnegative() })).nullish(),
        })
        .nullish()
        .transform((v) => v?.elements ?? []),
      tags: z.array(z.enum(['x', 'y'])).optional(),
    });
    const fast = generated.compileFastParser(s);
    const cases: unknown[] = [
      { cents: 5, list: { elements: [{ id: 'a', n: 0 }] }, tags: ['x'] },
      { cents: '-5', list: null },
      { cents: 5.5 },
      { cents: '5.5' },
      { list: { elements: [{ id: '', n: 1 }] } },
      { list: { elements: [{ id: '\uD83D\uDE00', n: 1 }] } },
      { list: { elements: [{ id: 'a', n: -1 }] } },
      { tags: ['z'] },
      { tags: 'x' },
    ];
    const answers = cases.map((v) => {
      const r = fast(v);
      return r === generated.REJECTED ? 'rejected' : r === generated.UNKNOWN ? 'unknown' : 'data';
    });
    expect(answers).toEqual([
      'data',
      'data',
      'rejected',
      'rejected',
      'rejected',
      'data',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(fast(cases[0])).toStrictEqual(s.parse(cases[0]));
  });
});
