import fc from 'fast-check';
import {
  dec,
  isDecimal,
  decimalPlaces,
  fromMinorUnits,
  minorUnits,
  toDecimalString,
  toMoneyString,
  isKnownCurrency,
  roundingTolerance,
} from '../../shared/model/money';

describe('money', () => {
  it('reads an amount with a plus sign as the same amount, as isDecimal promises', () => {
    expect(dec('+3').toString()).toBe('3');
    expect(dec(' +12.50 ').toFixed(2)).toBe('12.50');
    expect(dec('+.5').toString()).toBe('0.5');
    // A plus sign before anything but the number itself is still refused.
    expect(() => dec('+-3')).toThrow();
    expect(() => dec('+ 3')).toThrow();
  });

  it('reads every text isDecimal accepts', () => {
    const digits = fc.stringMatching(/^\d{1,12}$/);
    const decimalText = fc
      .tuple(
        fc.constantFrom('', ' ', '\t'),
        fc.constantFrom('', '-', '+'),
        fc.oneof(digits, fc.tuple(digits, digits).map(([a, b]) => `${a}.${b}`), digits.map((d) => `${d}.`), digits.map((d) => `.${d}`)),
        fc.constantFrom('', 'e3', 'E-2', 'e+1'),
        fc.constantFrom('', ' '),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(decimalText, (text) => {
        expect(isDecimal(text)).toBe(true);
        const unsigned = text.trim().replace(/^\+/, '');
        expect(dec(text).eq(dec(unsigned))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('converts minor units with the currency exponent', () => {
    expect(toDecimalString(fromMinorUnits(1299, 'USD'))).toBe('12.99');
    expect(toDecimalString(fromMinorUnits(1299, 'JPY'))).toBe('1299');
    expect(toDecimalString(fromMinorUnits(1299, 'KWD'))).toBe('1.299');
    expect(toDecimalString(fromMinorUnits(-5, 'EUR'))).toBe('-0.05');
  });
  it('adds exactly where binary floats do not', () => {
    expect(toDecimalString(dec('0.1').plus(dec('0.2')))).toBe('0.3');
    expect(toDecimalString(dec(1e21).plus(1))).toBe('1000000000000000000001');
  });
  it('never prints negative zero or exponents', () => {
    expect(toDecimalString(dec('-0.00'), 2)).toBe('0.00');
    expect(toDecimalString(dec('0.0000001'))).toBe('0.0000001');
  });
  it('knows ISO 4217 codes and their minor units', () => {
    expect(isKnownCurrency('USD')).toBe(true);
    expect(isKnownCurrency('XXQ')).toBe(false);
    expect(minorUnits('BHD')).toBe(3);
    expect(toDecimalString(roundingTolerance('USD', 3))).toBe('0.015');
  });
  it('writes money with at least the currency digits, never dropping digits the value has', () => {
    expect(toMoneyString(dec('4.5'), 'USD')).toBe('4.50');
    expect(toMoneyString(dec('1.23456'), 'USD')).toBe('1.23456');
    expect(toMoneyString(dec(7), 'JPY')).toBe('7');
    expect(toMoneyString(dec('7.5'), 'JPY')).toBe('7.5');
    expect(toMoneyString(dec('1.2'), 'KWD')).toBe('1.200');
    expect(toMoneyString(dec('100'), 'USD')).toBe('100.00');
    expect(toMoneyString(dec('-0'), 'USD')).toBe('0.00');
    expect(toMoneyString(dec('-0.5'), 'EUR')).toBe('-0.50');
    expect(toMoneyString(dec('1e21'), 'USD')).toBe('1000000000000000000000.00');
  });
  it('pads to minDecimals when that is more than the currency has', () => {
    expect(toMoneyString(dec('2.5'), 'USD', 4)).toBe('2.5000');
    expect(toMoneyString(dec(3), 'JPY', 2)).toBe('3.00');
    expect(toMoneyString(dec('1.23456'), 'USD', 3)).toBe('1.23456');
  });
  it('pads to 2 digits when the currency is unknown', () => {
    expect(toMoneyString(dec('4.5'), null)).toBe('4.50');
  });
  it('counts the decimals a value has, not its trailing zeros', () => {
    expect(decimalPlaces(dec('4.50'))).toBe(1);
    expect(decimalPlaces(dec('1200'))).toBe(0);
    expect(decimalPlaces(dec('0.0001'))).toBe(4);
  });
});
