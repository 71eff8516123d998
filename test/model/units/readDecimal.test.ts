// readDecimal against big.js: a plain decimal string read exactly as integer units at its own places,
// and everything else (what dec reads otherwise, or not at all) declined with UNSURE.
import Big from 'big.js';
import fc from 'fast-check';
import { readDecimal } from '../../../shared/model/units/readDecimal';
import { UNSURE } from '../../../shared/model/units/safe';
import type { Scaled } from '../../../shared/model/units/scaled';
import { plainText } from './plainText';

const read = (text: string): Scaled | undefined => {
  try {
    return readDecimal(text);
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
};

describe('readDecimal', () => {
  it('reads a plain decimal as big.js does, at its own places, or declines it', () => {
    fc.assert(
      fc.property(plainText, (text) => {
        const big = new Big(text);
        const x = read(text);
        if (x === undefined) {
          // Declined only past the safe integers or past 15 places.
          const digits = big.c.length;
          const places = Math.max(0, digits - 1 - big.e);
          expect(places > 15 || big.abs().times(new Big(10).pow(places)).gt(Number.MAX_SAFE_INTEGER)).toBe(true);
          return;
        }
        expect(new Big(`${x.n}e-${x.scale}`).eq(big)).toBe(true);
        // Its own places: no trailing fraction zero, and never a signed zero.
        expect(x.scale === 0 || x.n % 10 !== 0).toBe(true);
        expect(Object.is(x.n, -0)).toBe(false);
      }),
      { numRuns: 20_000 },
    );
  });

  it('declines what is not a plain decimal', () => {
    for (const text of ['', '-', ' 1', '1 ', '+1', '1e2', '-2.5E-2', '.5', '5.', '-.25', '1.2.3', '0x10', '1,5', 'NaN', 'Infinity', '--1'])
      expect(read(text)).toBeUndefined();
    expect(readDecimal('-12.50')).toEqual({ n: -125, scale: 1 });
    expect(readDecimal('007.500')).toEqual({ n: 75, scale: 1 });
    expect(readDecimal('-0.00')).toEqual({ n: 0, scale: 0 });
    expect(readDecimal('9007199254740991')).toEqual({ n: 2 ** 53 - 1, scale: 0 });
    expect(read('9007199254740992')).toBeUndefined();
    expect(read('0.0000000000000001')).toBeUndefined(); // 16 places
  });
});
