// Differential test of the sensitive-field pass: scrubCardData looks for JSON and URL-encoded fields
// only from the first hint on (replaceFrom), and must remove exactly what the plain regexes of the reference
// implementation remove, with the same count, on texts crowded with every sensitive name in any case,
// fields next to and inside one another, at the text start, and cut values that uncover other fields.
import fc from 'fast-check';
import { scrubCardData, type TextFormat } from '../../shared/privacy/cardNumbers';
import { replaceFrom } from '../../shared/privacy/scan/replaceFrom';
import * as reference from '../support/cardNumbersReference';

const SENSITIVE_NAMES =
  'expiry|expirydate|expiry_date|expirationdate|expiration_date|expiration|exp_month|exp_year|expmonth|expyear|expirymonth|expiryyear|cardexpirydate|cardexpiry|cvv|cvv2|cvc|cvc2|cid|cardsecuritycode|securitycode|security_code|card_security_code|track1|track2|track3|trackdata|track_data|track1data|track2data'.split(
    '|',
  );
/** Near misses: names glued to letters, hints that are no name, `card` alone. */
const OTHER_NAMES = ['cidr', 'acid', 'card', 'card_', 'cardcvv', 'trackingNumber', 'expected', 'xcvv', 'expiryx', 'security', 'tracks', 'cvv_', 'Cid'];

/** A name in random letter case. */
const arbName = fc
  .tuple(fc.constantFrom(...SENSITIVE_NAMES, ...SENSITIVE_NAMES, ...OTHER_NAMES), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }))
  .map(([name, upper]) => [...name].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''));

const arbSmall = fc.constantFrom('', '1', '737', '03/2030', '-12.5', 'x"y', 'a\\"b', '1127', '0', 'a b', '%2F');

/** Fields written every way the patterns look for them, values that may hold further fields. */
const arbField: fc.Arbitrary<string> = fc.letrec((tie) => ({
  field: fc
    .tuple(arbName, fc.oneof({ arbitrary: arbSmall, weight: 4 }, { arbitrary: tie('field') as fc.Arbitrary<string>, weight: 1 }), fc.constantFrom('jsonString', 'jsonNumber', 'spacedJson', 'pair', 'pairStart', 'quotedPair', 'bare'))
    .map(([name, value, how]) => {
      switch (how) {
        case 'jsonString':
          return `"${name}":${JSON.stringify(value)}`;
        case 'jsonNumber':
          return `"${name}":${value.replace(/[^\d.-]/g, '') || '0'}`;
        case 'spacedJson':
          return `"${name}" \n: "${value.replace(/"/g, '')}"`;
        case 'pair':
          return `&${name}=${value}`;
        case 'pairStart':
          return `${name}=${value}`;
        case 'quotedPair':
          return `"${name}=${value}'`;
        default:
          return `${name}${value}`;
      }
    }),
})).field;

const arbGlue = fc.constantFrom('', '', ',', '&', '?', ';', ' ', '\n', '"', "'", '{', '}', ':', '=', 'a', '_', '0', 'card', 'card_', '\\');
const arbText = fc.array(fc.tuple(arbField, arbGlue), { maxLength: 12 }).map((parts) => parts.map(([f, g]) => f + g).join(''));

describe('sensitive fields looked for from the first hint on', () => {
  it('are removed exactly as by the plain regexes, in every format', () => {
    fc.assert(
      fc.property(arbText, (text) => {
        for (const format of ['json', 'text', 'xml'] as TextFormat[]) expect(scrubCardData(text, format)).toEqual(reference.scrubCardData(text, format));
      }),
      { numRuns: 4000 },
    );
  });

  it('are removed exactly as by the plain regexes in JSON documents', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbName, fc.oneof(arbSmall, arbText), fc.boolean()), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), (fields, doc) => {
        const members = fields.map(([name, value, bare]) => `"${name}":${bare && /^-?\d+$/.test(value) ? value : JSON.stringify(value)}`);
        const text = `{${[...members, `"doc":${JSON.stringify(doc)}`].join(',')}}`;
        expect(scrubCardData(text, 'json')).toEqual(reference.scrubCardData(text, 'json'));
      }),
      { numRuns: 2000 },
    );
  });

  it('on the cases written out', () => {
    const cases = [
      'cvv=123&x=1',
      '"card_security_code":"123","cardexpirydate":"1127","CardExpiry":1127',
      '"cvv":"cvv=1&track2=x"&cvv2=9',
      '"cvv":5track2=1 "cid":"1"cid=2',
      '"ExpiryDate":"1127"}},"AdditionalResponse":"tid=1&expiryMonth=11&expiryYear=2027&expiryDate=11%2F2027"',
      'cardcvv=1&card_cvv=2&acid=3&cid=4',
    ];
    for (const text of cases) for (const format of ['json', 'text'] as TextFormat[]) expect(scrubCardData(text, format)).toEqual(reference.scrubCardData(text, format));
  });
});

describe('replaceFrom', () => {
  it('replaces as String.prototype.replace does, from 0 and from any position before the first match', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', ' '), maxLength: 40 }), fc.constantFrom('ab|b', 'a+b?', '^a|ba', '[abc]{2,}x?'), fc.nat(), (text, source, k) => {
        const global = new RegExp(source, 'g');
        const replacer = (m: RegExpExecArray) => `<${m[0]}@${m.index}>`;
        const expected = text.replace(global, (...args) => `<${args[0] as string}@${args[args.length - 2] as number}>`);
        const count = [...text.matchAll(global)].length;
        const first = text.search(new RegExp(source));
        const from = first === -1 ? k % (text.length + 1) : k % (first + 1);
        expect(replaceFrom(text, global, from, replacer)).toEqual({ text: expected, count });
        expect(global.lastIndex).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});
