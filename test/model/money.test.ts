import { dec, fromMinorUnits, minorUnits, toDecimalString, isKnownCurrency, roundingTolerance } from '../../shared/model/money';

describe('money', () => {
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
});
