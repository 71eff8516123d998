// The R-Series integer fast path (saleFiguresFast, moneyTextFast) against the big.js figures
// (saleFigures, moneyText) on generated sales: every text must be the same, and the fast path may only
// decline, never differ.
import fc from 'fast-check';
import {
  moneyText,
  saleFigures,
  type FiguresLine,
  type FiguresSale,
} from '../../shared/sources/lightspeed-r/saleFigures';
import { moneyTextFast, saleFiguresFast } from '../../shared/sources/lightspeed-r/saleFiguresFast';

// Decimals as R-Series writes them (unrounded line figures to 9 places), zeros of both signs, and now
// and then a form only big.js reads (JSON numbers, exponents, spaces, values past the safe integers).
const plain = fc.oneof(
  { weight: 20, arbitrary: fc.stringMatching(/^-?\d{1,5}(\.\d{1,9})?$/) },
  { weight: 4, arbitrary: fc.integer({ min: -9_999, max: 9_999 }).map((c) => (c / 100).toString()) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('0', '-0', '0.000', '-0.0', '1', '-1', '0.005', '-0.005', '2.50', '007.10'),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^-?\d{10,22}(\.\d{1,12})?$/) },
);
const num = fc.oneof(
  { weight: 30, arbitrary: plain },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | number>(
      3.25,
      -2,
      0,
      '1e2',
      ' 3.5 ',
      '+4',
      '.5',
      '1.2345678901234567891',
    ),
  },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 4 });
const line: fc.Arbitrary<FiguresLine> = fc.record({
  unitQuantity: num,
  unitPrice: num,
  calcLineDiscount: maybe(num),
  calcTransactionDiscount: maybe(num),
  calcTax1: maybe(num),
  calcTax2: maybe(num),
  tax: fc.constantFrom<boolean | string | undefined>(true, false, 'true', 'false', undefined),
});
const currency = fc.constantFrom<string | null>('USD', 'JPY', 'KWD', null, 'CLF');

/** Sales whose tax total is the rounded sum of their line taxes moved by a few units, so roundToTotal has gaps to close. */
const sale = fc
  .tuple(
    fc.array(line, { maxLength: 6 }),
    fc.record({
      calcTotal: maybe(num),
      total: maybe(num),
      calcTax1: maybe(num),
      calcTax2: maybe(num),
      taxTotal: maybe(num),
    }),
    fc.integer({ min: -4, max: 4 }),
    fc.boolean(),
  )
  .map(([lines, s, gap, nearTotal]): [FiguresLine[], FiguresSale] => {
    if (!nearTotal) return [lines, s];
    let cents = 0;
    for (const l of lines)
      cents += Math.round(Number(l.calcTax1 ?? 0) * 100) + Math.round(Number(l.calcTax2 ?? 0) * 100);
    return [lines, { ...s, taxTotal: ((cents + gap) / 100).toFixed(2) }];
  });

describe('lightspeed-r sale figures: integer fast path', () => {
  it('gives what big.js gives wherever it answers (and answers for ordinary sales)', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(sale, currency, ([lines, s], cur) => {
        runs++;
        const fast = saleFiguresFast(s, lines, cur);
        if (fast === undefined) return;
        answered++;
        expect(fast).toEqual(saleFigures(s, lines, cur));
      }),
      { numRuns: 10_000 },
    );
    expect(answered).toBeGreaterThan(runs / 4);
  });

  it('closes tax gaps as roundToTotal does (line taxes to the cent, total a few cents off)', () => {
    const part = fc.oneof(
      fc.integer({ min: -2_000_000, max: 2_000_000 }).map((m) => (m / 10_000).toString()),
      fc.constant('0'),
    );
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: -5, max: 5 }),
        (taxes, gap) => {
          const lines = taxes.map((t): FiguresLine => ({ unitQuantity: '1', unitPrice: '1', calcTax1: t }));
          const sum = taxes.reduce((a, t) => a + Math.round(Number(t) * 100), 0);
          const s: FiguresSale = { taxTotal: ((sum + gap) / 100).toFixed(2) };
          const fast = saleFiguresFast(s, lines, 'USD');
          expect(fast).toBeDefined();
          expect(fast).toEqual(saleFigures(s, lines, 'USD'));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('writes payment amounts as toMoneyString does', () => {
    fc.assert(
      fc.property(num, currency, (amount, cur) => {
        const fast = moneyTextFast(amount, cur);
        if (fast !== undefined) expect(fast).toBe(moneyText(amount, cur));
      }),
      { numRuns: 10_000 },
    );
    expect(moneyTextFast('-0', 'USD')).toBe('0.00');
    expect(moneyTextFast('12.5', 'JPY')).toBe('12.5');
    expect(moneyTextFast('1e2', 'USD')).toBeUndefined();
  });

  it('declines values it cannot hold exactly, which big.js then answers', () => {
    const big: FiguresLine = { unitQuantity: '123456789012', unitPrice: '123456.78' };
    expect(saleFiguresFast({}, [big], 'USD')).toBeUndefined();
    expect(saleFigures({}, [big], 'USD').lines[0]!.amount).toBe('15241577640560901.36');
    expect(saleFiguresFast({ calcTotal: 4 }, [], 'USD')).toBeUndefined();
  });
});
