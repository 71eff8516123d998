import fc from 'fast-check';
import {
  cardBrandOf,
  containsCardNumber,
  isCardNumber,
  isLuhnValid,
  maskCardNumber,
  scrubCardData,
} from '../../shared/privacy/cardNumbers';
import { transactionId } from '../../shared/model/transactionId';
import { arbWrittenCard, withCheckDigit } from '../support/cards';

describe('card number detection', () => {
  it('knows test card numbers of the major schemes', () => {
    expect(cardBrandOf('4111111111111111')).toBe('visa');
    expect(cardBrandOf('5555555555554444')).toBe('mastercard');
    expect(cardBrandOf('378282246310005')).toBe('amex');
    expect(cardBrandOf('6011111111111117')).toBe('discover');
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });

  it('knows no card number starting with 0, 1, 7, 8 or 9 (the scrubber skips those digit runs)', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1', '7', '8', '9'), fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 11, maxLength: 18 }), (first, rest) => {
        expect(cardBrandOf(first + rest)).toBeUndefined();
        expect(isCardNumber(first + rest)).toBe(false);
      }),
    );
  });

  it('masks to at most the first six and last four digits', () => {
    expect(maskCardNumber('4111111111111111')).toBe('411111******1111');
    expect(maskCardNumber('378282246310005')).toBe('378282*****0005');
    expect(maskCardNumber('4222222222222')).toBe('*********2222');
  });

  it('finds numbers with spaces or dashes, in free text', () => {
    const r = scrubCardData('{"note":"paid with 4111 1111 1111 1111, thanks"}', 'json');
    expect(r.text).toBe('{"note":"paid with 4111 11** **** 1111, thanks"}');
    expect(r.cardNumbers).toBe(1);
    expect(scrubCardData('card 5555-5555-5555-4444 exp', 'text').text).toBe('card 5555-55**-****-4444 exp');
  });

  it('turns a card number written as a bare JSON number into a masked string', () => {
    const r = scrubCardData('{"pan":4111111111111111,"n":1}', 'json');
    expect(r.text).toBe('{"pan":"411111******1111","n":1}');
    expect(JSON.parse(r.text)).toEqual({ pan: '411111******1111', n: 1 });
  });

  it('masks inside XML text and attributes', () => {
    const xml = '<Tender><PrimaryAccountNumber>4111111111111111</PrimaryAccountNumber><X v="5555555555554444"/></Tender>';
    expect(scrubCardData(xml, 'xml').text).toBe(
      '<Tender><PrimaryAccountNumber>411111******1111</PrimaryAccountNumber><X v="555555******4444"/></Tender>',
    );
  });

  it('leaves a loyalty number in a PrimaryAccountNumber element alone when it fails Luhn', () => {
    const xml = '<LoyaltyAccount><PrimaryAccountNumber>4000123412341235</PrimaryAccountNumber></LoyaltyAccount>';
    expect(isLuhnValid('4000123412341235')).toBe(false);
    expect(scrubCardData(xml, 'xml').text).toBe(xml);
  });

  it('leaves Luhn-valid ids without a card prefix alone (order ids, PSP references)', () => {
    const id = withCheckDigit('881532984281546');
    expect(isLuhnValid(id)).toBe(true);
    const text = `{"pspReference":"${id}","id":${withCheckDigit('1234567890123')}}`;
    expect(scrubCardData(text, 'json').text).toBe(text);
  });

  it('separates a card number from digits that follow it in the same run', () => {
    expect(scrubCardData('4111 1111 1111 1111 2031', 'text').text).toBe('4111 11** **** 1111 2031');
  });

  it('leaves UUIDs alone, whose digit groups can read as a dashed card number', () => {
    // `4381-8074-96302` inside Toast's guid is a Luhn-valid 13-digit Visa once the dashes go.
    expect(isCardNumber('4381807496302')).toBe(true);
    const toast = '{"guid":"5dfcce5e-ac76-4381-8074-96302f504eee","amount":12.5}';
    expect(scrubCardData(toast, 'json')).toEqual({ text: toast, cardNumbers: 0, sensitiveFields: 0 });
    expect(containsCardNumber(toast)).toBe(false);
    // Upper case, in XML, in free text and with all-digit groups: still an identifier.
    const xml = '<Id>5DFCCE5E-AC76-4381-8074-96302F504EEE</Id><Ref v="12345678-4381-8074-9630-250450000000"/>';
    expect(scrubCardData(xml, 'xml').text).toBe(xml);
    expect(scrubCardData('order 5dfcce5e-ac76-4381-8074-96302f504eee done', 'text').text).toBe('order 5dfcce5e-ac76-4381-8074-96302f504eee done');
  });

  it('still masks a card number next to a UUID, and a UUID-like string that is no UUID', () => {
    const text = '{"guid":"5dfcce5e-ac76-4381-8074-96302f504eee","note":"4111 1111 1111 1111"}';
    expect(scrubCardData(text, 'json').text).toBe('{"guid":"5dfcce5e-ac76-4381-8074-96302f504eee","note":"4111 11** **** 1111"}');
    // Glued to a UUID by a dash, the card number is outside the UUID and masked.
    expect(scrubCardData('4111111111111111-5dfcce5e-ac76-4381-8074-96302f504eee', 'text').text).toBe(
      '411111******1111-5dfcce5e-ac76-4381-8074-96302f504eee',
    );
    // Wrong group lengths (4-4-4-4 is how cards are written): not a UUID, so the card number is masked.
    expect(scrubCardData('ref 5dfc-4111-1111-1111-1111', 'text').text).toBe('ref 5dfc-4111-11**-****-1111');
    // Hex glued to the last group makes it longer than a UUID: no UUID exemption either.
    expect(containsCardNumber('x 5dfcce5e-ac76-4381-8074-96302f504eee0 4111111111111111')).toBe(true);
  });

  it('finds track data only where it can be, whatever the prefilters skip', () => {
    expect(scrubCardData('a=1&b=41111111111=3012', 'text').text).toBe('a=1&b=41111111111=3012');
    expect(scrubCardData('x=1 4111111111111111=30121011?', 'text').text).toBe('x=1 [track data removed]');
    expect(scrubCardData('4111111111111111=3012', 'text')).toEqual({ text: '[track data removed]', cardNumbers: 0, sensitiveFields: 1 });
    expect(scrubCardData('no caret B4111111111111111 here', 'text').text).toBe('no caret B411111******1111 here');
  });

  it('removes expiry dates, security codes and track data', () => {
    const json = '{"expiryDate":"03/2030","cvc":"737","exp_month":3,"exp_year":2030,"brand":"visa"}';
    expect(scrubCardData(json, 'json').text).toBe('{"expiryDate":"","cvc":"","exp_month":0,"exp_year":0,"brand":"visa"}');
    const adyen = 'cardSummary=1111&expiryDate=3%2F2030&paymentMethod=visa';
    expect(scrubCardData(adyen, 'text').text).toBe('cardSummary=1111&expiryDate=&paymentMethod=visa');
    const xml = '<Card><ExpirationDate>2030-03</ExpirationDate><CVV>123</CVV><Brand>Visa</Brand></Card>';
    expect(scrubCardData(xml, 'xml').text).toBe('<Card><ExpirationDate></ExpirationDate><CVV></CVV><Brand>Visa</Brand></Card>');
    const track2 = '{"raw":";4111111111111111=30121011234567890?"}';
    expect(scrubCardData(track2, 'json').text).toBe('{"raw":"[track data removed]"}');
    const track1 = 'x %B4111111111111111^DOE/JOHN^3012101000000000000000000000? y';
    expect(scrubCardData(track1, 'text').text).toBe('x [track data removed] y');
  });

  it('removes every planted card number from any JSON document and keeps it valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), arbWrittenCard, fc.boolean(), fc.nat(), (doc, card, asNumber, where) => {
        const planted = plantInJson(doc, card.text, asNumber && !/\D/.test(card.text) ? 'number' : 'string', where);
        const r = scrubCardData(planted, 'json');
        // (Fraction digits of generated floats may look card-like; only the planted number matters.)
        expect(r.text.replace(/\D/g, '')).not.toContain(card.pan);
        expect(r.cardNumbers).toBeGreaterThanOrEqual(1);
        expect(() => JSON.parse(r.text)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('removes every planted card number from XML text and attributes', () => {
    fc.assert(
      fc.property(arbWrittenCard, fc.string(), fc.constantFrom('text', 'attr'), (card, noise, where) => {
        const safe = noise.replace(/[<>&"\d]/g, '');
        const xml =
          where === 'text'
            ? `<a><b>${safe} ${card.text} ${safe}</b></a>`
            : `<a><b note="${safe}${card.text}">x</b></a>`;
        const r = scrubCardData(xml, 'xml');
        expect(containsCardNumber(r.text)).toBe(false);
        expect(r.text.replace(/\D/g, '')).not.toContain(card.pan);
      }),
    );
  });
});

/** Serializes `doc` with a card number put at the `where`-th place (wrapping in an object if needed). */
function plantInJson(doc: unknown, card: string, as: 'number' | 'string', where: number): string {
  const value = as === 'number' ? `__CARD_NUMBER__` : `__CARD_STRING__`;
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        slots.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        slots.push({ parent: v as Record<string, unknown>, key: k });
        walk(x);
      }
    }
  };
  const root = { payload: structuredClone(doc) } as Record<string, unknown>;
  walk(root);
  const slot = slots[where % slots.length]!;
  (slot.parent as Record<string | number, unknown>)[slot.key] = value;
  return JSON.stringify(root)
    .replace('"__CARD_NUMBER__"', card)
    .replace('__CARD_STRING__', `free text ${card} end`);
}

describe('hex identifiers', () => {
  // ea + the Amex test number + hex: a 32-character id of the kind transactionId makes.
  const id = 'ea378282246310005c0ffee0badf00d1';

  it('leaves a 32-character hex id alone even when it holds a Luhn-valid run with a card prefix', () => {
    expect(id).toHaveLength(32);
    const text = JSON.stringify({ id, note: 'card 378282246310005' });
    const out = scrubCardData(text, 'json');
    expect(JSON.parse(out.text)).toEqual({ id, note: 'card 378282*****0005' });
    expect(out.cardNumbers).toBe(1);
  });

  it('also when a UUID right after the id cuts the digit run short', () => {
    const text = '000000000000000000A4437900556655 0004eFAb-0000-4000-0000-400000000000';
    expect(scrubCardData(text, 'text').text).toBe(text);
  });

  it('still masks a card number glued to a few hex letters, or to a shorter hex string', () => {
    expect(scrubCardData('ab378282246310005', 'text').text).toBe('ab378282*****0005');
    expect(scrubCardData(id.slice(0, 31), 'text').text).toBe('ea378282*****0005c0ffee0badf00d');
  });

  it('never changes a transaction id, including ids the scrubber once cut up', () => {
    let oncemasked = 0;
    for (let i = 0; i < 20000; i++) {
      const tx = transactionId('shopify', String(i));
      // The same digit runs with the letters made non-hex: what the scrubber saw before the rule.
      if (scrubCardData(tx.replace(/[a-f]/g, 'x'), 'text').cardNumbers > 0) oncemasked++;
      expect(scrubCardData(JSON.stringify({ id: tx }), 'json').text).toBe(JSON.stringify({ id: tx }));
    }
    // The case the rule is for does occur among real ids (5 in the first 20,000).
    expect(oncemasked).toBeGreaterThan(0);
  });
});
