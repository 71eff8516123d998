import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateCsv } from '../../bench/generators/csv';
import { createRng } from '../../bench/rng';
import { CsvPayload, isCsvPayload, parseCsv } from '../../shared/sources/csv';
import { readSimpleCsv } from '../../shared/sources/readSimpleCsv';
import { parseCsvReference } from './parseCsvReference';

/** Same result as csv-parse via the reference, key order included. */
function expectSame(text: string) {
  const actual = parseCsv(text);
  const expected = parseCsvReference(text);
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

const mostly = (plain: fc.Arbitrary<string>, odd: fc.Arbitrary<string>) =>
  fc.oneof({ arbitrary: plain, weight: 20 }, { arbitrary: odd, weight: 1 });
const cellChars = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a', 'Z', '0', '4.99', ' ', '-', 'é') },
  {
    weight: 1,
    arbitrary: mostly(
      fc.constantFrom('a', 'Z', '0', '4.99', ' ', '-', 'é', '\t', '__proto__', 'constructor'),
      fc.constantFrom('"', ',', '\n', '\r', '\r\n', '\ufeff', '\ud83d\ude00', '\ud800'),
    ),
  },
);
const cell = fc
  .tuple(
    fc.array(cellChars, { maxLength: 4 }).map((a) => a.join('')),
    mostly(fc.constantFrom('plain', 'plain', 'quoted'), fc.constant('broken')),
  )
  .map(([v, how]) => {
    if (how === 'quoted') return `"${v.replace(/"/g, '""')}"`;
    if (how === 'broken') return `"${v}`;
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  });
const header = fc
  .shuffledSubarray(
    [
      'transaction_id',
      'occurred_at',
      'SKU',
      ' total ',
      'colour',
      'transaction_id',
      '__proto__',
      'constructor',
    ],
    { minLength: 1 },
  )
  .map((cols) => cols);
const documents = fc
  .tuple(
    fc.constantFrom('', '', '\ufeff'),
    header,
    fc.array(
      fc.oneof(
        { arbitrary: fc.integer({ min: -1, max: 1 }), weight: 1 },
        { arbitrary: fc.constant(0), weight: 30 },
      ),
      { maxLength: 8 },
    ),
    fc.array(cell, { minLength: 30, maxLength: 30 }),
    mostly(fc.constantFrom('\n', '\r\n'), fc.constant('\r')),
    fc.array(fc.constantFrom('', '', '', 'blank', 'space'), { maxLength: 8 }),
    fc.constantFrom('', '\n', '\n\n', 'eol'),
  )
  .map(([bom, cols, widths, cells, eol, extras, tail]) => {
    let k = 0;
    const lines = [cols.join(',')];
    widths.forEach((dw, r) => {
      lines.push(
        Array.from({ length: Math.max(1, cols.length + dw) }, () => cells[k++ % cells.length]!).join(','),
      );
      if (extras[r] === 'blank') lines.push('');
      if (extras[r] === 'space') lines.push(' ');
    });
    return bom + lines.join(eol) + (tail === 'eol' ? eol : tail);
  });

describe('parseCsv: the one-pass reader gives what csv-parse gives', () => {
  it('on generated CSV', () => {
    let fast = 0;
    fc.assert(
      fc.property(documents, (doc) => {
        if (readSimpleCsv(doc) !== undefined) fast++;
        expectSame(doc);
      }),
      { numRuns: 1000 },
    );
    // The generator must reach the fast path often, or this test compares csv-parse with itself.
    expect(fast).toBeGreaterThan(200);
  });

  it('on the fixtures and generated exports, which take the fast path unless malformed', () => {
    const dir = join(__dirname, '../fixtures/csv');
    const rng = createRng(11);
    const docs = [
      ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')),
      ...Array.from({ length: 60 }, (_, i) => generateCsv(rng, i)),
    ];
    for (const doc of docs) {
      expectSame(doc);
      expectSame(doc.replace(/\n/g, '\r\n'));
    }
    expect(readSimpleCsv(docs[docs.length - 1]!)).toBeDefined();
  });

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => expectSame(`transaction_id,occurred_at\n${s}`)),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string(), (s) => expectSame(s)),
      { numRuns: 500 },
    );
  });
});

describe('toCanonical reads a payload without zod only when zod would take it unchanged', () => {
  const str = fc.oneof(fc.string(), fc.constant('__proto__'));
  const values = fc.oneof(
    { arbitrary: fc.dictionary(str, fc.string()), weight: 20 },
    { arbitrary: fc.dictionary(str, fc.oneof(fc.string(), fc.integer(), fc.constant(null))), weight: 1 },
    { arbitrary: fc.anything(), weight: 1 },
  );
  const row = fc.oneof(
    {
      arbitrary: fc.record({
        line: fc.oneof(fc.nat(), fc.nat(), fc.nat(), fc.double(), fc.constant(2 ** 60)),
        values,
      }),
      weight: 40,
    },
    { arbitrary: fc.anything(), weight: 1 },
  );
  const findingLike = fc.oneof(
    {
      arbitrary: fc.record({
        code: fc.string(),
        severity: fc.constantFrom('error', 'warning', 'info'),
        path: fc.string(),
        message: fc.string(),
      }),
      weight: 20,
    },
    {
      arbitrary: fc.record({
        severity: fc.constant('error'),
        code: fc.string(),
        path: fc.string(),
        message: fc.string(),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        code: fc.string(),
        severity: fc.constant('error'),
        path: fc.string(),
        message: fc.string(),
        extra: fc.string(),
      }),
      weight: 1,
    },
    { arbitrary: fc.anything(), weight: 1 },
  );
  const payload = fc.oneof(
    {
      arbitrary: fc.record({
        columns: fc.array(
          fc.oneof({ arbitrary: fc.string(), weight: 40 }, { arbitrary: fc.anything(), weight: 1 }),
        ),
        rows: fc.array(row, { maxLength: 3 }),
        findings: fc.array(findingLike, { maxLength: 1 }),
      }),
      weight: 8,
    },
    { arbitrary: fc.anything(), weight: 1 },
  );

  it('isCsvPayload implies CsvPayload accepts it and yields the same data', () => {
    let plain = 0;
    fc.assert(
      fc.property(payload, (p) => {
        if (!isCsvPayload(p)) return;
        plain++;
        const doc = CsvPayload.safeParse(p);
        expect(doc.success).toBe(true);
        const data = doc.data!;
        expect(data.columns).toEqual(p.columns);
        expect(JSON.stringify(data.findings)).toBe(JSON.stringify(p.findings));
        data.rows.forEach((r, i) => {
          const { __proto__: _dropped, ...rest } = Object.fromEntries(Object.entries(p.rows[i]!.values));
          expect(r.line).toBe(p.rows[i]!.line);
          expect(r.values).toEqual(rest);
        });
      }),
      { numRuns: 2000 },
    );
    expect(plain).toBeGreaterThan(100);
  });
});
