// Lightspeed X's integer money path (lineFiguresFast.ts) against the big.js figures (lineFigures.ts) on
// generated lines, totals and payment amounts: every text must be the same, and the fast path may only
// decline (undefined), never differ. It must also answer for the ordinary register values.
import fc from 'fast-check';
import { minorUnits } from '../../shared/model/money';
import type { LightspeedXLineItem } from '../../shared/sources/lightspeed-x';
import { amountText, lineFigures, saleTotals } from '../../shared/sources/lightspeed-x/lineFigures';
import { amountTextFast, lineFiguresFast, saleTotalsFast } from '../../shared/sources/lightspeed-x/lineFiguresFast';

/** n·10^-places as a JSON number would carry it; now and then with more places than the register keeps. */
const places = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(6, 7) });
const scaledNumber = (max: number) =>
  fc.tuple(fc.integer({ min: -max, max }), places).map(([n, k]) => n / 10 ** k);

/** Plain decimal text, sometimes with leading or trailing zeros, more places, or a negative zero. */
const plainText = fc
  .tuple(fc.boolean(), fc.stringMatching(/^\d{1,9}$/), fc.option(fc.stringMatching(/^\d{1,7}$/), { nil: undefined }))
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`);

/** Texts the schema accepts that the fast path leaves to big.js (spaces, exponents, '+', '.5', '5.'). */
const oddText = fc.constantFrom(' 1.5', '2.25 ', '1e3', '-2.5E-2', '+4', '.5', '5.', '-.25', '0e0', '1234567890123456.5');

/** Mostly register-like figures, with the occasional value past the safe integers or many places. */
const amount: fc.Arbitrary<string | number> = fc.oneof(
  { weight: 20, arbitrary: scaledNumber(5_000_000) },
  { weight: 6, arbitrary: plainText },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, '-0', '-0.00000', '0.000001', 1e-7, 8.69565, 1.30435, 1.25, 1.41911) },
  { weight: 1, arbitrary: oddText },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 53, -(2 ** 53) + 1, 1e21, 9e15, 123456789012.34567) },
);
const quantity = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -20, max: 20 }) },
  { weight: 3, arbitrary: scaledNumber(50_000) },
  { weight: 2, arbitrary: amount },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 4 });
const maybeNull = <T>(a: fc.Arbitrary<T>) => fc.oneof(maybe(a), fc.constant(null));

const item = fc.record({
  quantity,
  price: amount,
  discount: maybeNull(amount),
  tax: maybeNull(amount),
  price_total: maybeNull(amount),
  tax_total: maybeNull(amount),
  discount_total: maybeNull(amount),
}) as fc.Arbitrary<LightspeedXLineItem>;
const currency = fc.constantFrom<string | null>('USD', 'JPY', 'KWD', 'CLF', 'AUD', null);

describe('lightspeed-x line figures: integer fast path', () => {
  it('gives what big.js gives for every line wherever it answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(item, currency, (line, code) => {
        const fast = lineFiguresFast(line, minorUnits(code));
        if (fast === undefined) return;
        answered++;
        expect(fast).toEqual(lineFigures(line, code));
      }),
      { numRuns: 20_000 },
    );
    expect(answered).toBeGreaterThan(5_000);
  });

  it('gives the same totals and payment amounts wherever it answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(amount, amount, currency, (price, tax, code) => {
        const digits = minorUnits(code);
        const totals = saleTotalsFast(price, tax, digits);
        if (totals !== undefined) {
          answered++;
          expect(totals).toEqual(saleTotals(price, tax, code));
        }
        const text = amountTextFast(price, digits);
        if (text !== undefined) expect(text).toBe(amountText(price, code));
      }),
      { numRuns: 10_000 },
    );
    expect(answered).toBeGreaterThan(3_000);
  });

  it('answers for ordinary register lines: 5-decimal prices, weighed quantities, returns', () => {
    const line = {
      quantity: -1.25,
      price: 8.69565,
      discount: '0.43478',
      tax: 1.30435,
      price_total: null,
      tax_total: undefined,
      discount_total: null,
    } as LightspeedXLineItem;
    expect(lineFiguresFast(line, 2)).toEqual({
      quantity: '-1.25',
      unitPrice: '9.13043',
      amount: '-10.86956',
      discount: '0.54348',
      tax: '-1.63044',
      hasDiscount: true,
    });
    expect(saleTotalsFast(-10.86956, '-1.63044', 2)).toEqual({ total: '-12.50', taxTotal: '-1.63044', negative: true });
    expect(saleTotalsFast(-0.001, 0, 2)).toEqual({ total: '0.00', taxTotal: '0.00', negative: false });
    expect(amountTextFast(12.5, 0)).toBe('12.5');
    expect(amountTextFast('7', 3)).toBe('7.000');
  });
});
