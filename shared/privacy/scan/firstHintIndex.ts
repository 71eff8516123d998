// shared/privacy/scan/firstHintIndex.ts: where the card scrubber's first sensitive-name hint is.

// The hints are the matches of /expir|exp_|expm|expy|cvv|cvc|securitycode|security_code|track/i and
// /\bcid\b/i. The first regex is the costly one: its nine words give V8 no literal to skip by, so it
// tries every position. Each of its words has a rare letter at a fixed place (x in exp…, the first v in
// cv…, y in security…, k in track), and indexOf finds those letters far faster; only there is the rest of
// the word compared. /\bcid\b/i stays a regex: V8 skips through the text quickly for it.
// Without the `u` flag, /i matches an ASCII letter only to its two ASCII cases (no non-ASCII character,
// such as the Kelvin sign or the long s, matches one), and `c | 0x20` folds exactly those two cases of a
// letter onto the lower one: no other UTF-16 code unit folds onto a lower-case ASCII letter.
const CID_HINT = /\bcid\b/gi;
const UNDERSCORE = 95;

/** The code unit at `i` with ASCII upper-case letters folded to lower case (NaN outside the text). */
function lowerAt(text: string, i: number): number {
  return text.charCodeAt(i) | 0x20;
}

/** Whether text[at, at + word.length) is `word` (lower-case ASCII letters) in any letter case. */
function hasWordAt(text: string, at: number, word: string): boolean {
  if (at < 0) return false;
  for (let j = 0; j < word.length; j++) if (lowerAt(text, at + j) !== word.charCodeAt(j)) return false;
  return true;
}

/** A hint word found from its rare letter: how far into the word that letter is, and whether the word is there. */
interface Anchored {
  letter: string;
  offset: number;
  isAt: (text: string, start: number) => boolean;
}

const ANCHORED: Anchored[] = [
  {
    // expir, exp_, expm, expy
    letter: 'x',
    offset: 1,
    isAt: (text, start) => {
      if (!hasWordAt(text, start, 'exp')) return false;
      const c = text.charCodeAt(start + 3);
      const lower = c | 0x20;
      return c === UNDERSCORE || lower === 109 || lower === 121 || (lower === 105 && lowerAt(text, start + 4) === 114);
    },
  },
  {
    // cvv, cvc
    letter: 'v',
    offset: 1,
    isAt: (text, start) => {
      const third = lowerAt(text, start + 2);
      return lowerAt(text, start) === 99 && (third === 118 || third === 99);
    },
  },
  {
    // securitycode, security_code
    letter: 'y',
    offset: 7,
    isAt: (text, start) => {
      if (!hasWordAt(text, start, 'securit')) return false;
      return hasWordAt(text, text.charCodeAt(start + 8) === UNDERSCORE ? start + 9 : start + 8, 'code');
    },
  },
  { letter: 'k', offset: 4, isAt: (text, start) => hasWordAt(text, start, 'trac') },
];

/** First start of `word` found from its letter in either case at or before `best` (-1: none yet), or `best`. */
function firstAnchored(text: string, word: Anchored, best: number): number {
  for (const letter of [word.letter, word.letter.toUpperCase()]) {
    for (let k = text.indexOf(letter, word.offset); k !== -1; k = text.indexOf(letter, k + 1)) {
      const start = k - word.offset;
      // Starts only grow along the text: past the best one found, this letter can give no earlier one.
      if (best !== -1 && start >= best) break;
      if (word.isAt(text, start)) {
        best = start;
        break;
      }
    }
  }
  return best;
}

/**
 * The index of the first match of either hint pattern, -1 when there is none: the same as the least of
 * the first match indexes of the two regexes.
 */
export function firstHintIndex(text: string): number {
  let best = -1;
  for (const word of ANCHORED) best = firstAnchored(text, word, best);
  CID_HINT.lastIndex = 0;
  const cid = CID_HINT.exec(text);
  CID_HINT.lastIndex = 0;
  if (cid && (best === -1 || cid.index < best)) best = cid.index;
  return best;
}
