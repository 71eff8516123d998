// negateText against big.js: the text of the negated value, from the value's text.
import Big from 'big.js';
import fc from 'fast-check';
import { toMoneyString } from '../../../shared/model/money';
import { negateText } from '../../../shared/model/units/negateText';

describe('negateText', () => {
  it('is the text of the negated value', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 5 }), (n, scale) => {
        const value = new Big(n).div(10 ** scale);
        expect(negateText(toMoneyString(value, 'USD'))).toBe(toMoneyString(value.neg(), 'USD'));
      }),
    );
    expect(negateText('0.00')).toBe('0.00');
    expect(negateText('-1.50')).toBe('1.50');
  });
});
