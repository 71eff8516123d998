// Differential tests: money's fast paths (plain-decimal parsing, unrounded toFixed, fromMinorUnits
// by moving the decimal point, memoized tolerances) against big.js doing the work itself.
import Big from 'big.js';
import fc from 'fast-check';
import { dec, fromMinorUnits, minorUnits, roundingTolerance, toDecimalString, toMoneyString } from '../../shared/model/money';
import { parsePlainDecimal } from '../../shared/model/parsePlainDecimal';
import { toFixedExact } from '../../shared/model/toFixedExact';

const RUNS = { numRuns: 800 };

/** A Big as plain data: what a caller or JSON can observe of it. */
const shape = (b: Big) => ({ s: b.s, e: b.e, c: [...b.c], own: Object.keys(b), proto: Object.getPrototypeOf(b) });

/** What big.js makes of a value, or the error it throws. */
function reference(make: () => Big): { ok: ReturnType<typeof shape> } | { error: string } {
  try {
    return { ok: shape(make()) };
  } catch (err) {
    return { error: String(err) };
  }
}

function ours(make: () => Big): { ok: ReturnType<typeof shape> } | { error: string } {
  return reference(make);
}

const digitText = fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: 30 });
/** Texts near the plain-decimal grammar: signs, dots, zeros, exponents, spaces, junk. */
const decimalLike = fc
  .array(fc.oneof(digitText, fc.constantFrom('-', '+', '.', 'e', 'E', 'e-', '00', ' ', 'x', '\t', '')), { maxLength: 6 })
  .map((parts) => parts.join(''));
const plainDecimal = fc
  .tuple(fc.boolean(), digitText.filter((s) => s.length > 0), fc.option(digitText.filter((s) => s.length > 0)))
  .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === null ? '' : '.' + frac}`);
const anyText = fc.oneof(decimalLike, plainDecimal, fc.string());
const amountNumber = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 123.456, Number.MAX_SAFE_INTEGER, 5e-324),
);
const bigValue = fc.oneof(plainDecimal, amountNumber).map((v) => new Big(v));

describe('money fast paths against big.js', () => {
  it('parsePlainDecimal makes the Big that big.js makes, or leaves the text to big.js', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const fast = parsePlainDecimal(text);
        if (fast === undefined) return;
        expect(shape(fast)).toEqual(shape(new Big(text)));
        expect(fast.constructor).toBe(Big);
        expect(fast instanceof Big).toBe(true);
      }),
      RUNS,
    );
    expect(parsePlainDecimal('12.50')).toBeDefined();
    expect(parsePlainDecimal('-0.000')).toBeDefined();
  });

  it('dec reads strings and numbers exactly as new Big did, errors included', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        // A plus sign right before the number is read as no sign (big.js alone refuses it).
        expect(ours(() => dec(text))).toEqual(reference(() => new Big(text.trim().replace(/^\+(?=[\d.])/, ''))));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(amountNumber, (n) => {
        expect(ours(() => dec(n))).toEqual(reference(() => new Big(n)));
      }),
      RUNS,
    );
  });

  it('toFixedExact writes what big.js toFixed writes when nothing is rounded', () => {
    fc.assert(
      fc.property(bigValue, fc.nat(30), (b, extra) => {
        const places = Math.max(0, b.c.length - b.e - 1);
        expect(toFixedExact(b, places + extra)).toBe(b.toFixed(places + extra));
        expect(toFixedExact(b, places)).toBe(b.toFixed());
      }),
      RUNS,
    );
  });

  it('toDecimalString and toMoneyString write what the big.js-only versions write', () => {
    const refDecimal = (v: Big, scale?: number) => {
      const s = scale === undefined ? v.toFixed() : v.toFixed(scale);
      return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
    };
    const outcome = (f: () => string) => {
      try {
        return f();
      } catch (err) {
        return `threw ${String(err)}`;
      }
    };
    const scale = fc.oneof(fc.constant(undefined), fc.nat(25), fc.constantFrom(-1, 2.5, 1e6 + 1, NaN));
    const currency = fc.constantFrom(null, 'USD', 'JPY', 'KWD', 'CLF', 'XXX');
    fc.assert(
      fc.property(bigValue, scale, currency, fc.nat(6), (b, s, cur, min) => {
        expect(outcome(() => toDecimalString(b, s))).toBe(outcome(() => refDecimal(b, s)));
        const places = Math.max(0, b.c.length - b.e - 1);
        expect(toMoneyString(b, cur, min)).toBe(refDecimal(b, Math.max(places, minorUnits(cur), min)));
      }),
      RUNS,
    );
    expect(toDecimalString(new Big('-0.001'), 2)).toBe('0.00');
    // The largest scale big.js accepts goes the fast way, one more goes to big.js and its error.
    expect(toDecimalString(new Big('1.5'), 1e6)).toBe(new Big('1.5').toFixed(1e6));
    expect(() => toDecimalString(new Big('1.5'), 1e6 + 1)).toThrow(/Invalid decimal places/);
  });

  it('fromMinorUnits gives the Big that dividing by 10^digits gives', () => {
    const amount = fc.oneof(
      plainDecimal,
      amountNumber,
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.constantFrom('1e-19', '15e-20', '-0', '0.000000000000000000001'),
    );
    const currency = fc.constantFrom(null, undefined, 'USD', 'JPY', 'KWD', 'CLF', 'BHD');
    fc.assert(
      fc.property(amount, currency, (a, cur) => {
        const digits = minorUnits(cur);
        expect(ours(() => fromMinorUnits(a, cur))).toEqual(
          reference(() => (digits === 0 ? dec(a) : dec(a).div(10 ** digits))),
        );
      }),
      RUNS,
    );
  });

  it('fromMinorUnits leaves a Big it is handed unchanged', () => {
    const b = new Big('1299');
    expect(toDecimalString(fromMinorUnits(b as unknown as string, 'USD'))).toBe('12.99');
    expect(b.toFixed()).toBe('1299');
  });

  it('roundingTolerance, memoized, is what computing it each time gives', () => {
    const components = fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.constantFrom(1.5, 0, -0, 1e21));
    const currency = fc.constantFrom(null, undefined, 'USD', 'JPY', 'KWD', 'CLF');
    fc.assert(
      fc.property(currency, components, (cur, n) => {
        const expected = new Big(1).div(10 ** minorUnits(cur)).times(Math.max(1, n)).div(2);
        expect(shape(roundingTolerance(cur, n))).toEqual(shape(expected));
        expect(shape(roundingTolerance(cur, n))).toEqual(shape(expected));
      }),
      RUNS,
    );
    expect(shape(roundingTolerance('USD'))).toEqual(shape(new Big('0.005')));
    expect(() => roundingTolerance('USD', NaN)).toThrow();
  });
});
