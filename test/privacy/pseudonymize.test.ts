import { createPseudonymizer, normalizeEmail, normalizePhone } from '../../shared/privacy/pseudonymize';

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
