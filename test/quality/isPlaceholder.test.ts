// isPlaceholder rules most values out by their length or first character without trimming and
// lower-casing them; it must answer exactly as trimming, lower-casing and looking up does.
import fc from 'fast-check';
import { isPlaceholder } from '../../shared/quality';
import { isPlaceholder as referenceIsPlaceholder } from '../support/qualityReference/rules/placeholders';

const PLACEHOLDERS = ['', 'n/a', 'na', 'null', 'undefined', 'none', 'tbd', 'test', 'xxx', 'xxxx', '-', '?', '0', 'unknown', 'placeholder', 'dummy', 'default', '9999999', '0000000'];
const SPACES = [' ', '\t', '\n', '\u00a0', '\ufeff', '\u2028', '\u3000', '\u0085', '\u009f', '\u200b'];
/**
 * A placeholder, a prefix of one, or an id (or a placeholder spelled with the Kelvin sign, which only
 * lower-cases to its k), in any case mix, with whitespace or look-alikes around it. */
const arbValue = fc.oneof(
  fc.tuple(fc.constantFrom(...PLACEHOLDERS, 'S001', 'R1', 'E12', 'K', 'kelvin', '\u212a', '\u0130', 'ⓝone', 'un\u212anown', 'unk\u212aown'), fc.array(fc.boolean(), { maxLength: 12 }), fc.array(fc.constantFrom(...SPACES), { maxLength: 2 }), fc.array(fc.constantFrom(...SPACES), { maxLength: 2 }), fc.nat(12)).map(
    ([p, upper, before, after, cut]) => before.join('') + [...p.slice(0, cut || undefined)].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('') + after.join(''),
  ),
  fc.string({ maxLength: 14 }),
  fc.string({ maxLength: 14, unit: 'grapheme' }),
);

describe('isPlaceholder', () => {
  it('agrees with trim, toLowerCase and a set lookup', () => {
    let found = 0;
    fc.assert(
      fc.property(arbValue, (v) => {
        const expected = referenceIsPlaceholder(v);
        if (expected) found++;
        expect([v, isPlaceholder(v)]).toEqual([v, expected]);
      }),
      { numRuns: 30_000 },
    );
    expect(found).toBeGreaterThan(1000);
  });
});
