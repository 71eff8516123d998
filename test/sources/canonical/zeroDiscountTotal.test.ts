import fc from 'fast-check';
import { dec, toMoneyString, ZERO } from '../../../shared/model/money';
import { isZeroDecimalText, zeroMoneyText } from '../../../shared/sources/canonical/zeroDiscountTotal';

// Decimal text as the model allows it (/^-?\d+(\.\d+)?$/), with zeros often enough to matter.
const digits = fc.array(fc.constantFrom('0', '0', '0', '1', '5', '9'), { minLength: 1, maxLength: 6 }).map((d) => d.join(''));
const decimalText = fc
  .tuple(fc.boolean(), digits, fc.option(digits, { nil: undefined }))
  .map(([negative, int, frac]) => `${negative ? '-' : ''}${int}${frac === undefined ? '' : '.' + frac}`);

describe('zero discount total', () => {
  test('isZeroDecimalText agrees with big.js on model decimal text', () => {
    fc.assert(fc.property(decimalText, (text) => expect(isZeroDecimalText(text)).toBe(dec(text).eq(ZERO))), { numRuns: 2000 });
    for (const text of ['0', '-0', '0.000', '-0.00', '00', '0.01', '-0.10', '10', '1']) {
      expect(isZeroDecimalText(text)).toBe(dec(text).eq(ZERO));
    }
  });

  test('zeroMoneyText is toMoneyString(ZERO, currency), also when asked again', () => {
    const currencies = fc.option(fc.stringMatching(/^[A-Z]{3}$/), { nil: null });
    fc.assert(fc.property(currencies, (c) => expect(zeroMoneyText(c)).toBe(toMoneyString(ZERO, c))));
    for (const c of ['USD', 'JPY', 'KWD', 'CLF', null, 'USD', 'JPY']) expect(zeroMoneyText(c)).toBe(toMoneyString(ZERO, c));
    expect([zeroMoneyText('USD'), zeroMoneyText('JPY'), zeroMoneyText('KWD')]).toEqual(['0.00', '0', '0.000']);
  });
});
