// Differential test: the optimized scrubber must give exactly the output of the straightforward one
// (test/support/cardNumbersReference.ts) on texts built from the pieces that make it take its branches:
// card numbers next to or inside UUIDs, grouped digits, track data, sensitive field names.
import fc from 'fast-check';
import { containsCardNumber, scrubCardData, type TextFormat } from '../../shared/privacy/cardNumbers';
import * as reference from '../support/cardNumbersReference';
import { arbCardNumber, arbWrittenCard, withCheckDigit } from '../support/cards';

const hexChars = '0123456789abcdefABCDEF'.split('');
const arbDigits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: min, maxLength: max });
const arbHex = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...hexChars), minLength: min, maxLength: max });

/** Maestro numbers of 12 digits, the shortest card numbers: a run of exactly 12 characters. */
const arbShortCard = fc.tuple(fc.constantFrom('5018', '6304', '6759'), arbDigits(7, 7)).map(([prefix, digits]) => withCheckDigit(prefix + digits));

/** A UUID group of `length`: hex, all digits, or digits taken from a card number (so runs read as cards). */
const arbUuidGroup = (length: number) =>
  fc.oneof(
    arbHex(length, length),
    arbDigits(length, length),
    fc.tuple(arbCardNumber, fc.nat()).map(([pan, at]) => (pan + pan).slice(at % pan.length).slice(0, length)),
  );

/** UUIDs and near misses: a group one too long or short, hex glued on, upper case. */
const arbUuid = fc
  .tuple(
    arbUuidGroup(8),
    arbUuidGroup(4),
    arbUuidGroup(4),
    arbUuidGroup(4),
    arbUuidGroup(12),
    fc.constantFrom('exact', 'exact', 'exact', 'short', 'long', 'glued', 'upper'),
    fc.nat(4),
  )
  .map(([a, b, c, d, e, variant, which]) => {
    const groups = [a, b, c, d, e];
    if (variant === 'short') groups[which] = groups[which]!.slice(1);
    if (variant === 'long') groups[which] += '7';
    const uuid = groups.join('-');
    if (variant === 'glued') return which % 2 ? `${uuid}a` : `F${uuid}`;
    return variant === 'upper' ? uuid.toUpperCase() : uuid;
  });

/**
 * A card number whose first or last digits are the end or start of a UUID, with a space or dash in
 * between: the UUID takes those digits, so what is left is no card. Tests where UUIDs end.
 */
const arbCardAcrossUuid = fc
  .tuple(arbCardNumber, arbUuid, fc.integer({ min: 1, max: 8 }), fc.constantFrom(' ', '-'), fc.boolean())
  .map(([pan, uuid, k, sep, atEnd]) => {
    const letters = 'abcdefABCDEF';
    const filler = (n: number) => Array.from({ length: n }, (_, i) => letters[(i * 7 + k) % letters.length]).join('');
    if (atEnd) return `${uuid.slice(0, 24)}${filler(12 - k)}${pan.slice(0, k)}${sep}${pan.slice(k)}`;
    return `${pan.slice(0, pan.length - k)}${sep}${pan.slice(pan.length - k)}${filler(8 - k)}${uuid.slice(8)}`;
  });

/** Digits in groups of any size, joined by one or two spaces or dashes. */
const arbGroupedDigits = fc
  .array(fc.tuple(arbDigits(1, 7), fc.constantFrom(' ', '-', '', '  ', '--', ' -')), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.map(([digits, sep]) => digits + sep).join(''));

/** A card number written in groups of any size, so its digits can start or end mid-group. */
const arbOddlyGroupedCard = fc
  .tuple(arbCardNumber, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }), fc.constantFrom(' ', '-'))
  .map(([pan, sizes, sep]) => {
    const parts: string[] = [];
    let at = 0;
    for (const size of sizes) if (at < pan.length) parts.push(pan.slice(at, (at += size)));
    if (at < pan.length) parts.push(pan.slice(at));
    return parts.join(sep);
  });

const arbTrack = fc
  .tuple(arbCardNumber, arbDigits(4, 12), fc.constantFrom('%B', 'B', ';', ''), fc.boolean())
  .map(([pan, rest, lead, question]) =>
    lead.includes('B') ? `${lead}${pan}^DOE/JANE^${rest}${question ? '?' : ''}` : `${lead}${pan}=${rest}${question ? '?' : ''}`,
  );

const sensitiveNames = ['expiryDate', 'EXPIRY', 'exp_month', 'Exp_Year', 'expmonth', 'cvv', 'CVC2', 'cid', 'cardSecurityCode', 'security_code', 'track2', 'TrackData', 'expiration'];
const otherNames = ['pan', 'id', 'guid', 'note', 'cidr', 'trackingNumber', 'expected', 'amount'];
const arbName = fc.constantFrom(...sensitiveNames, ...otherNames);
const arbValue = fc.oneof(arbDigits(1, 20), arbWrittenCard.map((c) => c.text), fc.constantFrom('03/2030', '737', '', 'x"y', 'a\\"b'), arbUuid);

/** A field in each way the scrubber looks for them: JSON member, XML element and attribute, URL pair. */
const arbField = fc.tuple(arbName, arbValue, fc.constantFrom('jsonString', 'jsonNumber', 'element', 'nsElement', 'attr', 'pair', 'spaced')).map(([name, value, how]) => {
  switch (how) {
    case 'jsonString':
      return `"${name}":"${value}"`;
    case 'jsonNumber':
      return `"${name}" : ${value.replace(/\D/g, '') || '0'}`;
    case 'element':
      return `<${name}>${value}</${name}>`;
    case 'nsElement':
      return `<ns:${name} a="1">${value}</ns:${name} >`;
    case 'attr':
      return ` ${name}="${value}"`;
    case 'pair':
      return `&${name}=${value}`;
    default:
      return ` ${name} = ${value} `;
  }
});

const arbPunctuation = fc.constantFrom('"', ':', ',', '{', '}', '[', ']', '<', '>', '/', '=', '&', '?', ';', '.', 'e', 'E', '+', '-', ' ', '\n', '\\', '_', '^', 'x', 'a', 'F', '0', '7', '\\"');

/** Text made of the pieces above in any order, so each can touch any other. */
const arbText = fc
  .array(
    fc.oneof(
      { arbitrary: arbPunctuation, weight: 6 },
      { arbitrary: arbWrittenCard.map((c) => c.text), weight: 2 },
      { arbitrary: arbOddlyGroupedCard, weight: 2 },
      { arbitrary: arbShortCard, weight: 2 },
      { arbitrary: arbUuid, weight: 3 },
      { arbitrary: arbCardAcrossUuid, weight: 2 },
      { arbitrary: arbGroupedDigits, weight: 2 },
      { arbitrary: arbDigits(10, 22), weight: 2 },
      { arbitrary: arbHex(1, 14), weight: 1 },
      { arbitrary: arbTrack, weight: 1 },
      { arbitrary: arbField, weight: 2 },
    ),
    { maxLength: 24 },
  )
  .map((pieces) => pieces.join(''));

/** JSON documents with cards, UUIDs and sensitive fields as keys, strings and bare numbers. */
const arbJson = fc
  .tuple(
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(fc.tuple(arbName, fc.oneof(arbText, arbUuid, arbWrittenCard.map((c) => c.text)), fc.boolean()), { maxLength: 5 }),
  )
  .map(([doc, fields]) => {
    const members = fields.map(([name, value, bare]) => `"${name}":${bare && /^\d+$/.test(value) ? value : JSON.stringify(value)}`);
    return `{${[...members, `"doc":${JSON.stringify(doc)}`].join(',')}}`;
  });

function expectSameAsReference(text: string, format: TextFormat): void {
  expect(scrubCardData(text, format)).toEqual(reference.scrubCardData(text, format));
}

describe('scrubCardData matches the reference implementation', () => {
  const formats: TextFormat[] = ['json', 'xml', 'text'];

  it('on mixed text in every format', () => {
    fc.assert(
      fc.property(arbText, (text) => {
        for (const format of formats) expectSameAsReference(text, format);
        expect(containsCardNumber(text)).toBe(reference.containsCardNumber(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('on JSON documents', () => {
    fc.assert(
      fc.property(arbJson, (text) => {
        expectSameAsReference(text, 'json');
        expect(containsCardNumber(text)).toBe(reference.containsCardNumber(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('on XML documents', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbName, arbText), { maxLength: 6 }), (elements) => {
        const xml = `<Root>${elements.map(([name, body]) => `<${name} v="${body.replace(/[<>"]/g, '')}">${body.replace(/[<>]/g, '')}</${name}>`).join('')}</Root>`;
        expectSameAsReference(xml, 'xml');
      }),
      { numRuns: 1000 },
    );
  });

  it('on the UUID and track data cases written out', () => {
    const cases = [
      '{"guid":"5dfcce5e-ac76-4381-8074-96302f504eee","amount":12.5}',
      '4111111111111111-5dfcce5e-ac76-4381-8074-96302f504eee',
      '5dfcce5e-ac76-4381-8074-96302f504eee-4111111111111111',
      '12345678-4381-8074-9630-250450000000 4111 1111 1111 1111',
      '12345678-4381-8074-9630-2504500000004111111111111111',
      'x 5dfcce5e-ac76-4381-8074-96302f504eee0 4111111111111111',
      '41111111-1111-1111-1111-111111111111-41111111-1111-1111-1111-111111111111',
      'ref 5dfc-4111-1111-1111-1111',
      '{"pan":4111111111111111,"n":1e4111111111111111,"m":-4111111111111111.5}',
      'x=1 4111111111111111=30121011? %B4111111111111111^DOE/JOHN^3012101? cvv=123&track2=;4111111111111111=3012',
    ];
    for (const text of cases) for (const format of formats) expectSameAsReference(text, format);
  });
});
