import fc from 'fast-check';
import { tenderMethod, tenderMethodOf } from '../../shared/sources/lightspeed-r/tenderMethod';

describe('Lightspeed R tenderMethod', () => {
  it('classifies R-Series payment types', () => {
    expect(tenderMethod('cash', 'Cash')).toBe('cash');
    expect(tenderMethod('credit card', 'Visa')).toBe('card');
    expect(tenderMethod('gift card', 'Gift Card')).toBe('gift_card');
    expect(tenderMethod('credit account', 'House account')).toBe('voucher');
    expect(tenderMethod('user defined', 'Apple Pay')).toBe('mobile');
    expect(tenderMethod('user defined', 'Check')).toBe('other');
    expect(tenderMethod('', '')).toBe('other');
  });

  it('remembers the same answers as the patterns give, past the memo limit and for long names', () => {
    const word = fc.oneof(
      fc.constantFrom('cash', 'Cash', 'credit card', 'Visa', 'MasterCard', 'gift card', 'Gift', 'voucher', 'Store Credit',
        'credit account', 'coupon', 'PayPal', 'Google Pay', 'mobile', 'debit', 'AMEX', 'check', 'user defined', '', ' '),
      fc.string({ maxLength: 12 }),
      fc.string({ minLength: 60, maxLength: 80 }),
    );
    const pair = fc.tuple(word, word);
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 400 }), (pairs) => {
        for (const [type, name] of [...pairs, ...pairs]) expect(tenderMethod(type, name)).toBe(tenderMethodOf(type, name));
      }),
      { numRuns: 100 },
    );
    // Equal strings made differently (a Map compares strings by content, not identity).
    expect(tenderMethod(['cre', 'dit card'].join(''), 'Vi' + 'sa')).toBe('card');
  });
});
