// Property test: firstHintIndex (indexOf on rare letters + the cid regex) must give the first match
// index of the two hint regexes it replaces, on texts crowded with hints in every letter case, near
// misses, cid inside words, and non-ASCII letters that case-fold to ASCII ones only with the `u` flag.
import fc from 'fast-check';
import { scrubCardData, type TextFormat } from '../../shared/privacy/cardNumbers';
import { firstHintIndex } from '../../shared/privacy/scan/firstHintIndex';
import * as reference from '../support/cardNumbersReference';

const SENSITIVE_HINT = /expir|exp_|expm|expy|cvv|cvc|securitycode|security_code|track/gi;
const CID_HINT = /\bcid\b/gi;

function firstIndex(re: RegExp, text: string): number {
  re.lastIndex = 0;
  const m = re.exec(text);
  re.lastIndex = 0;
  return m ? m.index : -1;
}

function referenceFirst(text: string): number {
  const a = firstIndex(SENSITIVE_HINT, text);
  const b = firstIndex(CID_HINT, text);
  return a === -1 ? b : b === -1 ? a : Math.min(a, b);
}

const words = [
  'expir', 'exp_', 'expm', 'expy', 'cvv', 'cvc', 'securitycode', 'security_code', 'track', 'cid',
  'exp', 'expi', 'expx', 'cv', 'cvx', 'securit', 'security', 'securitycod', 'security__code', 'trac', 'tracx', 'ci',
  'cidr', 'acid', '_cid', 'cid_', 'cid9', 'expiryDate', 'card_security_code', 'x', 'v', 'y', 'k', 'd', 'X', 'V', 'Y', 'K',
];
/** Letters that match ASCII ones only under /iu: Kelvin sign, long s, dotted capital I, dotless i. */
const nonAscii = ['\u212A', '\u017F', '\u0130', '\u0131', 'é', '\u00B5'];

/** A word in random letter case, maybe with one letter swapped for a non-ASCII look-alike. */
const arbWord = fc
  .tuple(fc.constantFrom(...words), fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), fc.nat(20), fc.constantFrom(...nonAscii))
  .map(([word, upper, at, odd]) => {
    const cased = [...word].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join('');
    return at < cased.length && at % 3 === 0 ? cased.slice(0, at) + odd + cased.slice(at + 1) : cased;
  });
const arbGlue = fc.constantFrom('', '', '"', ':', '=', '&', ' ', '_', 'a', 'Z', '0', '\n', '{', ...nonAscii);
const arbText = fc.array(fc.oneof(arbWord, arbGlue), { maxLength: 16 }).map((parts) => parts.join(''));

describe('firstHintIndex', () => {
  it('is the first match of either hint regex', () => {
    fc.assert(
      fc.property(arbText, (text) => {
        expect(firstHintIndex(text)).toBe(referenceFirst(text));
      }),
      { numRuns: 20000 },
    );
  });

  it('finds hints at the very start and end and ignores non-ASCII look-alikes', () => {
    expect(firstHintIndex('track')).toBe(0);
    expect(firstHintIndex('xxcvc')).toBe(2);
    expect(firstHintIndex('SecurityCode')).toBe(0);
    expect(firstHintIndex('\u017Fecuritycode')).toBe(-1);
    expect(firstHintIndex('trac\u212A')).toBe(-1);
    expect(firstHintIndex('acid cid')).toBe(5);
    expect(firstHintIndex('')).toBe(-1);
  });

  it('leaves scrubCardData equal to the reference scrubber on such texts', () => {
    const arbField = fc.tuple(arbWord, fc.constantFrom('"x":', '":"737"', '=737&', '":12', ' = 1')).map(([w, tail]) => `"${w}${tail}`);
    const arbPayload = fc.array(fc.oneof(arbField, arbWord, arbGlue, fc.constantFrom('4111111111111111', '<cvv>1</cvv>', ' cvv="1"')), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(arbPayload, (text) => {
        for (const format of ['json', 'text', 'xml'] as TextFormat[]) expect(scrubCardData(text, format)).toEqual(reference.scrubCardData(text, format));
      }),
      { numRuns: 3000 },
    );
  });
});
