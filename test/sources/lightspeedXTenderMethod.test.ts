// Differential test: Lightspeed X's remembered tender method per payment-type name against the plain
// lower-case-and-match reference, on generated names (also more names than the memo holds, so that it
// is emptied and refilled on the way).
import fc from 'fast-check';
import { tenderMethod, tenderMethodOfName } from '../../shared/sources/lightspeed-x/tenderMethod';

/** Names built from the words the rules look for, in any case, with noise between them. */
const word = fc.constantFrom(
  'Gift', 'CASH', 'cash', 'Voucher', 'store credit', 'Credit Note', 'coupon', 'Loyalty', 'Apple', 'Pay', 'PayPal',
  'afterpay', 'WeChat', 'mobile', 'Card', 'credit', 'DEBIT', 'EFTPOS', 'Visa', 'Master', 'AMEX', 'American Express',
  'Discover', 'tyro', 'Adyen', 'Vantiv', 'WorldPay', 'Square', 'İ', 'ß', 'K', 'x', ' ', '-', '',
);
const name = fc.oneof(fc.array(word, { maxLength: 4 }).map((w) => w.join(' ')), fc.string(), fc.string({ unit: 'grapheme', maxLength: 12 }));

describe('lightspeed-x tenderMethod', () => {
  it('matches the reference for every name, asked once or many times', () => {
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 40 }), (names) => {
        for (const n of [...names, ...names]) expect(tenderMethod(n)).toBe(tenderMethodOfName(n));
      }),
      { numRuns: 600 },
    );
  });

  it('stays right past the memo bound', () => {
    for (let i = 0; i < 2000; i++) {
      const n = ['Cash ', 'Gift card ', 'Visa ', 'Apple Pay ', 'Voucher ', 'Other '][i % 6]! + String(i);
      expect(tenderMethod(n)).toBe(tenderMethodOfName(n));
    }
  });

  it('reads the documented names as the vendor means them', () => {
    expect(['Credit Card', 'Cash', 'Gift Card', 'Apple Pay', 'Store Credit', 'Cheque'].map(tenderMethod)).toEqual([
      'card', 'cash', 'gift_card', 'mobile', 'voucher', 'other',
    ]);
  });
});
