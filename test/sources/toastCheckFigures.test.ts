// Toast's integer fast path (checkFiguresFast) against the big.js figures (paymentFigures, saleFigures)
// on generated checks: every text must be the same, and the fast path may only decline, never differ.
import fc from 'fast-check';
import { paymentFigures, saleFigures, type Check } from '../../shared/sources/toast/checkFigures';
import { checkFiguresFast } from '../../shared/sources/toast/checkFiguresFast';

// Money as Toast sends it: mostly numbers with two places, sometimes more places, zero, -0, huge or
// tiny numbers, or decimal strings (which big.js reads, some of them not at all).
const money = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: -50_000, max: 500_000 }).map((c) => c / 100) },
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: -9_999_999, max: 9_999_999 }), fc.integer({ min: 0, max: 6 })).map(([n, k]) => n / 10 ** k) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 0.1 + 0.2, 1e17, 1e-7, 12345678901.23, 0.005, 2.675) },
  { weight: 2, arbitrary: fc.constantFrom('4.50', '1e2', '.5', '3.', '-0', '+1', ' 2.5 ') },
);
const quantity = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: -3, max: 12 }) },
  { weight: 4, arbitrary: fc.integer({ min: -5_000, max: 50_000 }).map((m) => m / 1000) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0.33333, 1 / 3, 1e-5, '2', '1.5') },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 4 });
const nullable = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: a }, { weight: 1, arbitrary: fc.constantFrom(null, undefined) });
const discount = fc.record({ discountAmount: nullable(money), nonTaxDiscountAmount: maybe(money) });
const modifier = fc.record({
  quantity: nullable(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(0.5, 1.25, '2'))),
  receiptLinePrice: nullable(money),
  voided: maybe(fc.boolean()),
});
const selection = fc.record({
  quantity,
  receiptLinePrice: nullable(money),
  preDiscountPrice: nullable(money),
  tax: nullable(money),
  taxInclusion: maybe(fc.constantFrom('INCLUDED', 'NOT_INCLUDED', 'INHERITED')),
  voided: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  appliedDiscounts: maybe(fc.array(discount, { maxLength: 2 })),
  modifiers: maybe(fc.array(modifier, { maxLength: 2 })),
});
const payment = fc.record({
  type: fc.constantFrom('CREDIT', 'CASH'),
  amount: money,
  tipAmount: nullable(money),
  paymentStatus: maybe(fc.constantFrom('CAPTURED', 'DENIED', 'VOIDED', 'OPEN', 'ODD')),
});
const serviceCharge = fc.record({
  chargeAmount: nullable(money),
  appliedTaxes: maybe(fc.array(fc.record({ taxAmount: nullable(money) }), { maxLength: 2 })),
});
const check = fc.record({
  guid: fc.constant('C'),
  selections: fc.array(selection, { maxLength: 4 }),
  appliedDiscounts: maybe(fc.array(fc.record({ discountAmount: nullable(money) }), { maxLength: 2 })),
  appliedServiceCharges: maybe(fc.array(serviceCharge, { maxLength: 2 })),
  payments: maybe(fc.array(payment, { maxLength: 3 })),
  amount: nullable(money),
  taxAmount: nullable(money),
  totalAmount: nullable(money),
}) as unknown as fc.Arbitrary<Check>;
const currency = fc.constantFrom('USD', 'JPY', 'KWD', 'CLF', null, 'XYZ');

/** The big.js figures, as checkFiguresFast gives them (no refund basis), or the error big.js throws. */
function reference(c: Check, inclusive: boolean, voided: boolean, code: string | null) {
  const paid = paymentFigures(c, code);
  const head = { tenders: paid.tenders, tips: paid.tips };
  if (voided) return head;
  const { basis: _basis, ...sale } = saleFigures(c, inclusive, code, paid.tipTotal);
  return { ...head, ...sale };
}

describe('toast check figures: integer fast path', () => {
  it('gives what big.js gives wherever it answers (and answers for most checks)', () => {
    let answered = 0;
    fc.assert(
      fc.property(check, fc.boolean(), fc.boolean(), currency, (c, inclusive, voided, code) => {
        const fast = checkFiguresFast(c, inclusive, voided, code);
        let expected;
        try {
          expected = reference(c, inclusive, voided, code);
        } catch (err) {
          // A string big.js cannot read: the fast path must leave that to big.js.
          expect(fast).toBeUndefined();
          expect(String(err)).toMatch(/Invalid/);
          return;
        }
        if (fast === undefined) return;
        answered++;
        const got = voided ? { tenders: fast.tenders, tips: fast.tips } : fast;
        expect(got).toEqual(expected);
      }),
      { numRuns: 20_000 },
    );
    expect(answered).toBeGreaterThan(6_000);
  });

  it('answers for a bench-like check and a mixed tax-inclusive one, with the same figures', () => {
    const plain = {
      guid: 'C',
      selections: [
        { quantity: 3, receiptLinePrice: 89, preDiscountPrice: 267, tax: 23.7, taxInclusion: 'NOT_INCLUDED', voided: false,
          appliedDiscounts: [{ discountAmount: 26.7, nonTaxDiscountAmount: 26.7 }], modifiers: [] },
        { quantity: 1.25, receiptLinePrice: 8.99, tax: 0.8, voided: false, modifiers: [{ quantity: 2, receiptLinePrice: 0.5 }] },
        { quantity: 1, receiptLinePrice: 5, voided: true },
      ],
      appliedDiscounts: [{ discountAmount: 5 }],
      payments: [{ type: 'CREDIT', amount: 290.4, tipAmount: 2.5, paymentStatus: 'CAPTURED' }],
      amount: 255.86,
      taxAmount: 24.5,
      totalAmount: 280.36,
    } as unknown as Check;
    const fast = checkFiguresFast(plain, false, false, 'USD');
    expect(fast).toEqual(reference(plain, false, false, 'USD'));
    expect(fast?.lines[1]).toEqual({ quantity: '1.25', unitPrice: '9.99', amount: '12.49', discount: '0.00', tax: '0.80', discounts: [] });
    expect(fast?.total).toBe('282.86');
    const mixed = { ...plain, selections: [{ ...plain.selections[0], taxInclusion: 'INCLUDED', quantity: 7 }, plain.selections[1]] } as Check;
    const mixedFast = checkFiguresFast(mixed, false, false, 'USD');
    expect(mixedFast).toEqual(reference(mixed, false, false, 'USD'));
    expect(mixedFast?.lines[0]?.unitPrice).toBe('38.1429');
  });

  it('declines a string amount, a fractional modifier count and amounts past four places', () => {
    const base = { guid: 'C', selections: [{ quantity: 1, receiptLinePrice: 1, voided: false }], payments: [] };
    expect(checkFiguresFast(base as unknown as Check, false, false, 'USD')).toBeDefined();
    for (const selection of [
      { quantity: '1', receiptLinePrice: 1 },
      { quantity: 1, receiptLinePrice: 1.00001 },
      { quantity: 1, receiptLinePrice: 1, modifiers: [{ quantity: 0.5, receiptLinePrice: 1 }] },
    ]) {
      expect(checkFiguresFast({ ...base, selections: [selection] } as unknown as Check, false, false, 'USD')).toBeUndefined();
    }
  });
});
