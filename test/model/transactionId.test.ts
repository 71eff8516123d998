import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { transactionId, transactionIdByCreateHash } from '../../shared/model/transactionId';

// What ids have always been: three updates of one Hash object, each string written as UTF-8.
const reference = (source: string, sourceKey: string) =>
  createHash('sha256').update(source).update('\u0000').update(sourceKey).digest('hex').slice(0, 32);

describe('transactionId', () => {
  it('is the first 32 hex digits of SHA-256 over source, NUL, key', () => {
    expect(transactionId('square', 'ORDER-1')).toBe(reference('square', 'ORDER-1'));
    expect(transactionId('square', 'ORDER-1')).toMatch(/^[0-9a-f]{32}$/);
    expect(transactionId('square', 'ORDER-1')).not.toBe(transactionId('square', 'ORDER-2'));
    // The NUL keeps ("ab", "c") apart from ("a", "bc").
    expect(transactionId('ab', 'c')).not.toBe(transactionId('a', 'bc'));
  });

  it('matches createHash for ASCII, non-ASCII and lone surrogates', () => {
    const samples: Array<[string, string]> = [
      ['', ''],
      ['toast', ''],
      ['', 'key'],
      ['shopify', 'gid://shopify/Order/1234567890'],
      ['clover', 'Ünïcödé-ключ-漢字-😀'],
      ['adyen', 'a\ud800'], // lone high surrogate at the end
      ['adyen', '\udc00b'], // lone low surrogate at the start
      ['x\ud83d', '\ude00y'], // a pair split by the NUL: two lone halves, not one emoji
      ['lightspeed-x', '\udfff\ud800'], // reversed pair
      ['poslog', 'a\u0000b'],
    ];
    for (const [source, key] of samples) {
      expect(transactionId(source, key)).toBe(reference(source, key));
      expect(transactionIdByCreateHash(source, key)).toBe(reference(source, key));
    }
  });

  it('matches createHash on many generated strings', () => {
    // Code units, not only whole code points, so that lone surrogates are generated too.
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(text, text, (source, key) => {
        expect(transactionId(source, key)).toBe(reference(source, key));
      }),
      { numRuns: 5000 },
    );
  });
});
