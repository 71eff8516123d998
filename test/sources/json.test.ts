// parseJson: exact big integers, and the sampled scan that decides when the lossless parser is needed
// must answer exactly as the regex it replaces, for every text.
import fc from 'fast-check';
import { hasLongNumber, LONG_NUMBER, parseJson } from '../../shared/sources/json';

const arbDigits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: min, maxLength: max });

/** Pieces that make digit runs of every length start, stop and be preceded by every kind of character. */
const arbPiece = fc.oneof(
  { arbitrary: arbDigits(1, 40), weight: 4 },
  { arbitrary: arbDigits(14, 18), weight: 4 },
  { arbitrary: fc.constantFrom(':', ',', '[', ' ', '\n', '\t', '\u00a0', '\u2028', '\ufeff', '-', '--', ':-', '"', '.', 'e', 'a', '{', '}', ']', '+'), weight: 6 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
);
const arbText = fc.array(arbPiece, { maxLength: 30 }).map((pieces) => pieces.join(''));

describe('hasLongNumber', () => {
  it('answers as LONG_NUMBER.test on generated text', () => {
    fc.assert(
      fc.property(arbText, (text) => {
        expect(hasLongNumber(text)).toBe(LONG_NUMBER.test(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('answers as LONG_NUMBER.test with a 16-digit run at every offset and every preceding character', () => {
    for (const before of [':', ',', '[', ' ', '\u3000', ':-', ',-', '-', '"', 'x', '']) {
      for (const digits of ['1234567890123456', '123456789012345', '12345678901234567890']) {
        for (let pad = 0; pad < 40; pad++) {
          const text = `${'x'.repeat(pad)}${before}${digits}}`;
          expect(hasLongNumber(text)).toBe(LONG_NUMBER.test(text));
        }
      }
    }
  });
});

describe('parseJson', () => {
  it('keeps integers beyond 2^53 as their digits and parses the rest as JSON.parse does', () => {
    const parsed = parseJson('{"id":12345678901234567890,"small":1234567890123456,"n":-9007199254740993,"x":1.5}');
    expect(parsed).toEqual({ ok: true, value: { id: '12345678901234567890', small: 1234567890123456, n: '-9007199254740993', x: 1.5 } });
    expect(parseJson('{"id":"12345678901234567890","n":[1,2]}')).toEqual({ ok: true, value: { id: '12345678901234567890', n: [1, 2] } });
  });

  it('reports malformed JSON as a finding', () => {
    const parsed = parseJson('{"a":');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.finding).toMatchObject({ code: 'payload.malformed_json', severity: 'error', path: '' });
  });
});
