// The shape check reads the model's string formats by character codes; each reader must accept exactly
// the language of the model's regex, so both are run on generated strings built mostly from the
// characters that matter (digits, signs, separators) plus arbitrary text and the near misses.
import fc from 'fast-check';
import {
  isBusinessDateText,
  isCurrencyText,
  isDecimalText,
  isLast4Text,
  isUtcInstantText,
} from '../../shared/quality/shape';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BUSINESS_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const LAST4 = /^\d{4}$/;

const pieces = (chars: string[]) =>
  fc.array(fc.constantFrom(...chars), { maxLength: 30 }).map((a) => a.join(''));
const DIGITS = '0123456789'.split('');
const numberish = pieces([...DIGITS, '-', '.', '+', 'e', 'E', ' ', '\n', '٣', '０', '/', ':']);
const dateish = pieces([...DIGITS, '-', 'T', ':', '.', 'Z', 'z', 't', ' ', '\n', '/', ';']);
/** A valid instant with one character replaced, inserted or removed. */
const instantNearMiss = fc
  .tuple(
    fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
    fc.nat(30),
    fc.string({ maxLength: 1 }),
    fc.constantFrom('replace', 'insert', 'remove', 'none'),
  )
  .map(([d, at, ch, op]) => {
    const s = d.toISOString();
    const i = at % (s.length + 1);
    if (op === 'replace') return s.slice(0, i) + ch + s.slice(i + 1);
    if (op === 'insert') return s.slice(0, i) + ch + s.slice(i);
    if (op === 'remove') return s.slice(0, i) + s.slice(i + 1);
    return s;
  });
const decimalNearMiss = fc
  .tuple(
    fc.option(fc.constant('-')),
    fc.stringMatching(/^\d{0,8}$/),
    fc.option(fc.stringMatching(/^\.\d{0,4}$/)),
    fc.string({ maxLength: 2 }),
  )
  .map(([sign, int, frac, tail]) => (sign ?? '') + int + (frac ?? '') + tail);
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));

function agrees(read: (s: string) => boolean, pattern: RegExp, ...arbs: fc.Arbitrary<string>[]): void {
  fc.assert(
    fc.property(fc.oneof(...arbs), (s) => expect(read(s)).toBe(pattern.test(s))),
    { numRuns: 5_000 },
  );
}

describe('shape format readers agree with the model patterns', () => {
  it('decimal', () => {
    for (const s of [
      '0',
      '-0',
      '12.50',
      '-1.5',
      '',
      '-',
      '.5',
      '1.',
      '+1',
      '1e3',
      '1.5.2',
      '--1',
      '1 ',
      '00.00',
    ])
      expect(isDecimalText(s)).toBe(DECIMAL.test(s));
    agrees(isDecimalText, DECIMAL, numberish, decimalNearMiss, anyText);
  });

  it('UTC instant and business date', () => {
    agrees(isUtcInstantText, UTC_INSTANT, instantNearMiss, dateish, anyText);
    const dates = instantNearMiss.map((s) => s.slice(0, 10));
    agrees(isBusinessDateText, BUSINESS_DATE, dates, instantNearMiss, dateish, anyText);
  });

  it('currency and last4', () => {
    agrees(
      isCurrencyText,
      CURRENCY,
      pieces(['A', 'Z', 'U', 'S', 'D', 'a', 'z', '@', '[', '`', '{', 'É']),
      anyText,
    );
    agrees(
      isLast4Text,
      LAST4,
      pieces([...DIGITS, '/', ':', ' ', '٣']),
      fc.stringMatching(/^\d{3,5}$/),
      anyText,
    );
  });
});
