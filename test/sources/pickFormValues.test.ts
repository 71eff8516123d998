import fc from 'fast-check';
import { pickFormValues } from '../../shared/sources/adyen/pickFormValues';
import { readFormPairs } from '../../shared/sources/adyen/readFormPairs';

// pickFormValues reads only some keys; it must give what reading every pair gives for those keys.
const NAMES = new Set(['ab', 'b', 'a1', 'a b', 'cardSummary', 'amountValue', '']);
const reference = (text: string) => {
  const all = readFormPairs(text, new Map());
  return [...NAMES].flatMap((n) => (all.has(n) ? [[n, all.get(n)]] : []));
};
const picked = (text: string) => {
  const got = pickFormValues(text, NAMES);
  return [...NAMES].flatMap((n) => (got.has(n) ? [[n, got.get(n)]] : []));
};

describe('pickFormValues', () => {
  it('gives the named keys as readFormPairs reads them', () => {
    const texts = [
      'ab=1&b=2', 'ab=1&ab=2', 'ab', 'ab=', '=x&b', 'a%62=1', 'a+b=1', 'ab=1&a%62=2', 'ab=%41+c', 'ab=%E2%82%AC',
      '?ab=1', 'x?ab=1', 'ab=1=2&b', 'cardSummary=1234&amountValue=500&expiryDate=3%2F2030', 'a1=\ud800', 'a1=é',
      '\ud800=1&b=2', 'é=1&ab=2', 'b&&b=3&', 'xyz=1&ab=2&xy=%zz', 'ab=%7F%80', 'ab=1&=2', '&', '',
      'longkeywithoutequals&b=1&cardSummary', 'x=1=2&b=3', 'a%31=z&a1=y', 'a+b=1', 'a b=2&a+b=3',
    ];
    for (const text of texts) expect(picked(text)).toEqual(reference(text));
  });

  it('matches readFormPairs on generated text', () => {
    // Pieces that spell the names and the characters that matter to the split and to decoding.
    const piece = fc.oneof(
      fc.constantFrom('ab', 'b', 'a1', 'a b', 'a+b', 'cardSummary', 'amountValue', 'a', '1', '&', '=', '&', '=', '%', '+', '?', ' '),
      fc.constantFrom('%4', '%41', '%62', '%31', '%2B', '%3D', '%26', '%7F', '%80', '%E2%82%AC', '%zz', '\t', 'é', '\ud800'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(picked(t)).toEqual(reference(t));
      }),
      { numRuns: 10000 },
    );
  });

  it('turns down names that are not read as they are written', () => {
    for (const name of ['a+b', 'a%41', 'a=b', 'a&b', 'é']) expect(() => pickFormValues('x=1', new Set([name]))).toThrow(RangeError);
  });
});
