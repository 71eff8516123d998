// readUnits: an amount as dec reads it (a JSON number or a plain decimal string) in fixed 10^-scale units,
// checked against big.js; strings with more places than the scale, odd texts and unsafe values declined.
import Big from 'big.js';
import fc from 'fast-check';
import { readUnits } from '../../../shared/model/units/readUnits';
import { UNSURE } from '../../../shared/model/units/safe';
import { plainText } from './plainText';

const read = (value: number | string, scale: number): number | undefined => {
  try {
    return readUnits(value, scale);
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
};

const amount = fc.oneof(
  fc.tuple(fc.integer({ min: -5_000_000_000, max: 5_000_000_000 }), fc.integer({ min: 0, max: 7 })).map(([n, k]) => n / 10 ** k),
  fc.double(),
  plainText,
);

describe('readUnits', () => {
  it('is the decimal dec reads, in 10^-scale units, wherever it answers', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 8 }), (value, scale) => {
        const n = read(value, scale);
        if (n === undefined) return;
        expect(new Big(`${n}e-${scale}`).eq(new Big(value))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers for register values and declines the rest', () => {
    expect([8.69565, -0.00001, 1e-5, -0, '007.50', '-0.00000', '12345678901.2345', '1.000000'].map((v) => readUnits(v, 5))).toEqual([
      869565, -1, 1, 0, 750000, 0, 1234567890123450, 100000,
    ]);
    expect(readUnits('-1250', 0)).toBe(-1250);
    for (const v of [0.000001, 1e15, 0.1 + 0.2, ' 1', '1.000001', '.5', '5.', '+1', '1e2', '', '-', '1.2.3', '1234567890123456', '123456789012.345'])
      expect(read(v, 5)).toBeUndefined();
  });
});
