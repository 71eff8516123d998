// Differential test: Shopify's last-four-digits scan against the regex it replaces, on masked card
// numbers as Shopify writes them and on arbitrary text around digits.
import fc from 'fast-check';
import { LAST_FOUR, lastFourDigits } from '../../shared/sources/shopify/lastFourDigits';

const piece = fc.oneof(
  fc.constantFrom('•', '•••• ', 'X', '-', ' ', '\n', '٤', '４', 'a', ''),
  fc.stringMatching(/^\d{1,6}$/),
  fc.string({ maxLength: 4 }),
);
const text = fc.oneof(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), fc.string(), fc.string({ unit: 'grapheme' }));

describe('shopify lastFourDigits', () => {
  it('finds what the regex finds', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(lastFourDigits(t)).toBe(LAST_FOUR.exec(t)?.[1]);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads masked numbers', () => {
    expect(lastFourDigits('•••• •••• •••• 4242')).toBe('4242');
    expect(lastFourDigits('XXXX-XXXX-XXXX-0005 ')).toBe('0005');
    expect(lastFourDigits('•••• 12 34')).toBeUndefined();
    expect(lastFourDigits('')).toBeUndefined();
  });
});
