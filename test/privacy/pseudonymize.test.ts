import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { boundedMemo } from '../../shared/model/boundedMemo';
import {
  createPseudonymizer,
  memoizedPhoneNormalizer,
  normalizeEmail,
  normalizeLoyalty,
  normalizeName,
  normalizePhone,
} from '../../shared/privacy/pseudonymize';

const p = createPseudonymizer('test-key-0123456789abcdef', 'US');

describe('pseudonymization', () => {
  it('gives equal references for equal emails after normalization', () => {
    expect(p.email('  Jane.Doe@Example.COM ')).toBe(p.email('jane.doe@example.com'));
    expect(p.email('jane.doe@example.com')).toMatch(/^em_[A-Za-z0-9_-]{22}$/);
    expect(p.email('john@example.com')).not.toBe(p.email('jane.doe@example.com'));
    expect(normalizeEmail('not an email')).toBeUndefined();
  });

  it('normalizes phone numbers to E.164 with libphonenumber before hashing', () => {
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(p.phone('415-555-2671')).toBe(p.phone('+1 415 555 2671'));
    expect(p.phone('12')).toBeUndefined();
  });

  it('keeps kinds apart and depends on the key', () => {
    const other = createPseudonymizer('another-key-0123456789', 'US');
    expect(p.loyalty('LOY 1234-5678')).toBe(p.loyalty('loy12345678'));
    expect(p.loyalty('abc@example.com')).not.toBe(p.email('abc@example.com'));
    expect(other.email('jane@example.com')).not.toBe(p.email('jane@example.com'));
    expect(p.customer('shopify', '207119551')).not.toBe(p.customer('square', '207119551'));
    expect(p.name('  Zoë   Smith')).toBe(p.name('zoë smith'));
  });

  it('never contains the input', () => {
    const ref = p.email('jane.doe@example.com')!;
    expect(ref).not.toContain('jane');
    expect(() => createPseudonymizer('short')).toThrow(/at least 16/);
  });
});

describe('pseudonymization memos', () => {
  const KEY = 'test-key-0123456789abcdef';
  /** The reference computed from scratch: HMAC-SHA-256 under the key, as documented. */
  const expectedRef = (kind: string, normalized: string | undefined) =>
    normalized === undefined
      ? undefined
      : `${kind}_${createHmac('sha256', Buffer.from(KEY, 'utf8')).update(kind).update('\u0000').update(normalized).digest('base64url').slice(0, 22)}`;
  /** libphonenumber called directly, as normalizePhone did before it was memoized. */
  const expectedPhone = (value: string, country?: string) => {
    const parsed = parsePhoneNumberFromString(value.trim(), country as CountryCode | undefined);
    return parsed && parsed.isValid() ? parsed.number : undefined;
  };
  const outcome = <T>(f: () => T) => {
    try {
      return { value: f() };
    } catch (err) {
      return { error: String(err) };
    }
  };
  const phoneLike = fc.oneof(
    fc.string({ unit: fc.constantFrom('0', '1', '2', '4', '5', '7', '9', ' ', '-', '(', ')', '+'), maxLength: 18 }),
    fc.nat(9999).map((n) => `+1415555${String(n).padStart(4, '0')}`),
    fc.nat(9999).map((n) => ` (415) 555-${String(n).padStart(4, '0')} `),
    fc.constantFrom('+44 20 7946 0958', '020 7946 0958', '12', '', '  ', `+1 415 555 2671${' '.repeat(60)}x`),
    // Longer than the memo keeps: computed every time, with the same result.
    fc.nat(99).map((n) => `+1 415 555 26${String(n).padStart(2, '0')} ${'-'.repeat(70)}`),
    fc.string(),
  );
  const country = fc.constantFrom(undefined, 'US', 'GB', 'gb', 'DE', 'FR', '', 'ZZ', 'USA', 'U\u0000');

  it('normalizes phones exactly as libphonenumber does, through a memo that stays bounded', () => {
    const memo = boundedMemo<string | undefined>(7);
    const normalize = memoizedPhoneNormalizer(memo);
    fc.assert(
      fc.property(fc.array(fc.tuple(phoneLike, country), { minLength: 1, maxLength: 12 }), (calls) => {
        for (const [value, c] of [...calls, ...calls]) {
          expect(outcome(() => normalize(value, c))).toEqual(outcome(() => expectedPhone(value, c)));
          expect(outcome(() => normalizePhone(value, c))).toEqual(outcome(() => expectedPhone(value, c)));
          expect(memo.size).toBeLessThanOrEqual(7);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gives every kind the HMAC reference, first time and from the memo, with the memo cleared when full', () => {
    const memoized = createPseudonymizer(KEY, 'US', 3);
    // Lone surrogates too: the reference must hash the same UTF-8 bytes however the input is fed in.
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.emailAddress(),
      phoneLike,
      fc.constantFrom('LOY 1234-5678', 'Zoë  Smith', ' ', 'a\uD800', '\uDC00b', '\uD800\uDC00', 'x\u0000y'),
      fc.string({ minLength: 250, maxLength: 300 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, phoneLike), { minLength: 1, maxLength: 10 }), (values) => {
        for (const [v, phone] of [...values, ...values]) {
          expect(memoized.email(v)).toBe(expectedRef('em', normalizeEmail(v)));
          expect(memoized.loyalty(v)).toBe(expectedRef('ly', normalizeLoyalty(v)));
          expect(memoized.name(v)).toBe(expectedRef('nm', normalizeName(v)));
          expect(memoized.customer('shopify', v)).toBe(v.trim() ? expectedRef('cu', `shopify:${v.trim()}`) : undefined);
          expect(memoized.phone(phone)).toBe(expectedRef('ph', expectedPhone(phone, 'US')));
          expect(memoized.phone(phone, 'GB')).toBe(expectedRef('ph', expectedPhone(phone, 'GB')));
        }
      }),
      { numRuns: 80 },
    );
  });

  it('gives customer ids the HMAC of source:id for any source, sources that run into ids included', () => {
    const memoized = createPseudonymizer(KEY, 'US', 5);
    const source = fc.constantFrom('shopify', 'square', 'a', 'a:b', 'em', 'cu', '', 'x\u0000y');
    const id = fc.oneof(fc.constantFrom('b:c', 'c', ' 207119551 ', '', ' ', 'em'), fc.string({ maxLength: 8 }), fc.string({ minLength: 250, maxLength: 260 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(source, id), { minLength: 1, maxLength: 12 }), (calls) => {
        for (const [s, v] of [...calls, ...calls]) {
          expect(memoized.customer(s, v)).toBe(v.trim() ? expectedRef('cu', `${s}:${v.trim()}`) : undefined);
          expect(memoized.email(`${v}@example.com`)).toBe(expectedRef('em', normalizeEmail(`${v}@example.com`)));
        }
      }),
      { numRuns: 200 },
    );
    expect(memoized.customer('a', 'b:c')).toBe(memoized.customer('a:b', 'c'));
  });

  it('gives the same customer references past the sources whose scope it keeps made', () => {
    const memoized = createPseudonymizer(KEY, 'US');
    const sources = Array.from({ length: 150 }, (_, i) => `source-${i}`);
    for (const round of [1, 2])
      for (const s of sources) {
        expect([round, memoized.customer(s, '42')]).toEqual([round, expectedRef('cu', `${s}:42`)]);
      }
  });

  it('keeps memoized references apart by key', () => {
    const a = createPseudonymizer(KEY, 'US');
    const b = createPseudonymizer('another-key-0123456789', 'US');
    expect(a.email('jane@example.com')).toBe(expectedRef('em', 'jane@example.com'));
    expect(b.email('jane@example.com')).not.toBe(a.email('jane@example.com'));
    expect(a.email('jane@example.com')).toBe(expectedRef('em', 'jane@example.com'));
  });
});
