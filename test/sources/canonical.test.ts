import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CanonicalTransaction, transactionId } from '../../shared/model';
import { dec, sum } from '../../shared/model/money';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { canonicalAdapter, isRealInstant, toCanonical } from '../../shared/sources/canonical';
import { toCanonical as toastToCanonical } from '../../shared/sources/toast';
import { toCanonical as adyenToCanonical } from '../../shared/sources/adyen';
import type { SourceContext } from '../../shared/sources/types';

const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};

// Tests mutate fixtures field by field to build variants; a loose type keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function fixture(dir: string, name: string): Loose {
  const parsed = canonicalAdapter.parse(readFileSync(join(__dirname, '..', 'fixtures', dir, name), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value;
}
const batch = (): Loose => fixture('canonical', 'batch.json');
const sale = (): Loose => batch().transactions[0];

function expectTotalsIdentity(tx: CanonicalTransaction, pricesIncludeTax: boolean): void {
  const lines = sum(tx.lines.map((l) => dec(l.amount)));
  const orderDiscounts = sum(tx.discounts.filter((d) => d.lineNo === undefined).map((d) => dec(d.amount)));
  const charges = sum((tx.charges ?? []).map((c) => dec(c.amount)));
  const tax = pricesIncludeTax || tx.taxTotal === null ? dec(0) : dec(tx.taxTotal);
  expect(lines.minus(orderDiscounts).plus(charges).plus(tax).toFixed(2)).toBe(dec(tx.total).toFixed(2));
}

describe('canonical adapter: valid input', () => {
  test('a single transaction passes through; its origin source is kept', () => {
    const result = toCanonical(sale(), ctx);
    expect(result.findings).toEqual([]);
    expect(result.transactions).toHaveLength(1);
    const tx = CanonicalTransaction.parse(result.transactions[0]);
    // discountTotal is recomputed and written with the currency's digits: here that is the text given.
    expect(tx).toEqual({ ...sale(), discountTotal: '2.00' });
    expect(tx.source).toBe('poslog');
    expect(tx.id).toBe(transactionId('poslog', 'S042/R07/2026-11-30/001284'));
    expectTotalsIdentity(tx, false);
  });

  test('a batch gives every transaction, in order, the return linked to its sale', () => {
    const result = toCanonical(batch(), ctx);
    expect(result.findings).toEqual([]);
    const [s, r] = result.transactions.map((t) => CanonicalTransaction.parse(t));
    expect(s?.sourceKey).toBe('S042/R07/2026-11-30/001284');
    expect(r).toEqual({ ...batch().transactions[1], discountTotal: '0.00' });
    expect(r?.originalRef).toEqual({ sourceKey: s?.sourceKey });
    expectTotalsIdentity(r!, false);
  });

  test('round trip: what the Toast and Adyen adapters produce comes back unchanged', () => {
    const toastOrder = fixture('toast', 'order-split-checks.json');
    const toastRefund = fixture('toast', 'order-refund.json');
    const headers = { 'toast-restaurant-external-id': 'a7c3e5f1-2b4d-4e6f-8a0c-1e3b5d7f9a2c' };
    const produced = [
      ...toastToCanonical(toastOrder, { ...ctx, headers }).transactions,
      ...toastToCanonical(toastRefund, { ...ctx, headers }).transactions,
      ...adyenToCanonical(fixture('adyen', 'payment-success.json'), ctx).transactions,
    ];
    expect(produced).toHaveLength(5);
    // Through JSON text, as a canonical payload would arrive.
    const parsed = canonicalAdapter.parse(JSON.stringify({ transactions: produced }));
    expect(parsed.ok).toBe(true);
    const back = toCanonical(parsed.ok ? parsed.value : null, ctx);
    expect(back).toEqual({ transactions: produced, findings: [] });
    for (const tx of produced) expect(toCanonical(JSON.parse(JSON.stringify(tx)), ctx).transactions).toEqual([tx]);
  });
});

describe('canonical adapter: derived fields are recomputed', () => {
  test('a wrong id is replaced by the derived one, with a warning, and given findings are kept', () => {
    const tx = sale();
    tx.id = 'abc123';
    const [out] = toCanonical(tx, ctx).transactions;
    expect(out?.id).toBe('d4602dfac7bd8f452aaa238906e1989f');
    expect(out?.findings).toEqual([
      tx.findings[0],
      {
        code: 'source.canonical.id_mismatch',
        severity: 'warning',
        path: '/id',
        message: 'id abc123 replaced by the derived id d4602dfac7bd8f452aaa238906e1989f',
      },
    ]);
  });

  test('a discountTotal that is not the sum of the discounts is replaced, with a warning', () => {
    const b = batch();
    b.transactions[0].discountTotal = '3.00';
    const [out] = toCanonical(b, ctx).transactions;
    expect(out?.discountTotal).toBe('2.00');
    expect(out?.findings.slice(1)).toEqual([
      {
        code: 'source.canonical.discount_total_mismatch',
        severity: 'warning',
        path: '/transactions/0/discountTotal',
        message: 'discountTotal 3.00 replaced by the sum of discounts 2.00',
      },
    ]);
  });
});

describe('canonical adapter: customer references', () => {
  test('pseudonymized references pass unchanged', () => {
    const [out] = toCanonical(sale(), ctx).transactions;
    expect(out?.customer).toEqual({ ref: 'cu_Qm9vX3JlZl9mb3JfdGVz', loyaltyRef: 'ly_TG95YWx0eV9yZWZfdGVz' });
  });

  test('a raw email or phone number in a reference is replaced by its pseudonym, with a warning', () => {
    const tx = sale();
    tx.customer = { ref: 'Jane.Doe@Example.com', emailRef: 'jane.doe@example.com', phoneRef: '+1 212-555-0143', loyaltyRef: 'ly_TG95YWx0eV9yZWZfdGVz' };
    const [out] = toCanonical(tx, ctx).transactions;
    const emailRef = ctx.pseudonymize.email('jane.doe@example.com');
    const phoneRef = ctx.pseudonymize.phone('+12125550143');
    expect(emailRef).toMatch(/^em_/);
    expect(phoneRef).toMatch(/^ph_/);
    expect(out?.customer).toEqual({ ref: emailRef, emailRef, phoneRef, loyaltyRef: 'ly_TG95YWx0eV9yZWZfdGVz' });
    expect(out?.findings.slice(1).map((f) => [f.code, f.severity, f.path])).toEqual([
      ['source.canonical.raw_customer_identifier', 'warning', '/customer/ref'],
      ['source.canonical.raw_customer_identifier', 'warning', '/customer/emailRef'],
      ['source.canonical.raw_customer_identifier', 'warning', '/customer/phoneRef'],
    ]);
    const text = JSON.stringify(out);
    expect(text).not.toContain('@');
    expect(text).not.toContain('555-0143');
  });

  test('a national phone number is recognised with the configured country', () => {
    const tx = sale();
    tx.customer = { phoneRef: '(212) 555-0143' };
    const [out] = toCanonical(tx, { ...ctx, country: 'US' }).transactions;
    expect(out?.customer).toEqual({ phoneRef: ctx.pseudonymize.phone('+12125550143') });
  });

  test('text with an @ that is no email address still never passes', () => {
    const tx = sale();
    tx.customer = { ref: 'jane@localhost' };
    const [out] = toCanonical(tx, ctx).transactions;
    expect(out?.customer).toEqual({ ref: ctx.pseudonymize.customer('canonical', 'jane@localhost') });
    expect(JSON.stringify(out)).not.toContain('jane@localhost');
  });
});

describe('canonical adapter: bad input', () => {
  test('an unknown source name is a schema error with its path, and no transaction', () => {
    const tx = sale();
    tx.source = 'vend';
    const result = toCanonical(tx, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.severity, f.path])).toEqual([['payload.schema', 'error', '/source']]);
  });

  test('in a batch a bad transaction gives findings under its index; the others still pass', () => {
    const b = batch();
    b.transactions[1].total = -8.7;
    b.transactions[1].lines[0].quantity = '1e0';
    const result = toCanonical(b, ctx);
    expect(result.transactions.map((t) => t.sourceKey)).toEqual(['S042/R07/2026-11-30/001284']);
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/transactions/1/total'],
      ['payload.schema', '/transactions/1/lines/0/quantity'],
    ]);
  });

  test('an unknown top-level field is an error, not silently dropped', () => {
    const tx = sale();
    tx.taxtotal = '1.42';
    const result = toCanonical(tx, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => f.code)).toEqual(['payload.schema']);
  });

  test('a date that does not exist in the calendar is an error', () => {
    const tx = sale();
    tx.businessDate = '2026-02-30';
    tx.occurredAt = '2026-11-30T25:05:09.120Z';
    const result = toCanonical(tx, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/businessDate'],
      ['payload.schema', '/occurredAt'],
    ]);
  });

  test('a wrong schema version, or a batch that is not a list, is an error', () => {
    expect(toCanonical({ ...sale(), schemaVersion: 2 }, ctx).findings.map((f) => f.path)).toEqual(['/schemaVersion']);
    expect(toCanonical({ transactions: {} }, ctx).findings.map((f) => f.path)).toEqual(['/transactions']);
    expect(toCanonical(null, ctx).transactions).toEqual([]);
  });

  test('toCanonical never throws and always returns arrays (fc.anything)', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const r = toCanonical(value, ctx);
        return Array.isArray(r.transactions) && Array.isArray(r.findings);
      }),
      { numRuns: 300 },
    );
  });

  test('toCanonical never throws on JSON values, nor on a real transaction with a field replaced', () => {
    const base = sale();
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...Object.keys(base)), (value, field) => {
        const r1 = toCanonical({ transactions: [value] }, ctx);
        const r2 = toCanonical({ ...base, [field]: value }, ctx);
        for (const tx of r2.transactions) CanonicalTransaction.parse(tx);
        return [r1, r2].every((r) => Array.isArray(r.transactions) && Array.isArray(r.findings));
      }),
      { numRuns: 300 },
    );
  });
});

describe('canonical adapter: isRealInstant', () => {
  const reference = (text: string) => {
    const ms = Date.parse(text);
    return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
  };
  const pad = (n: number, width: number) => String(n).padStart(width, '0');

  it('agrees with the Date round trip on edge instants', () => {
    for (const text of [
      '2026-11-30T12:34:56.789Z',
      '0000-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2000-02-29T23:59:59.999Z',
      '2026-02-31T00:00:00.000Z',
      '2026-11-30T24:00:00.000Z',
      '2026-11-30T23:60:00.000Z',
      '2026-11-30T23:59:60.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-13-10T00:00:00.000Z',
      '2026-12-00T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2026-11-30T12:34:56Z',
      '2026-11-30T12:34:56.789+00:00',
      '+002026-11-30T12:34:56.789Z',
      '',
    ]) {
      expect(isRealInstant(text)).toBe(reference(text));
    }
  });

  it('agrees with the Date round trip on generated field values', () => {
    const field = (max: number, width: number) => fc.integer({ min: 0, max }).map((n) => pad(n, width));
    const instant = fc
      .tuple(field(9999, 4), field(14, 2), field(33, 2), field(26, 2), field(62, 2), field(62, 2), field(999, 3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    // Also shapes the field reader does not take: they must go the Date way.
    const other = fc.oneof(
      fc.string({ maxLength: 26 }),
      instant.map((t) => t.replace(/\d/, 'x')),
      instant.map((t) => t.slice(0, 23) + 'z'),
    );
    fc.assert(
      fc.property(fc.oneof(instant, instant, other), (text) => {
        expect(isRealInstant(text)).toBe(reference(text));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('canonical adapter: the output object', () => {
  // The adapter fills in the object the schema parse made rather than a copy of it: the keys must keep
  // the schema's order (the serialized form follows it) and the caller's value must stay as it was.
  test('keys in schema order, replaced values in place, the input untouched', () => {
    const variants: Loose[] = [sale()];
    const wrong = sale();
    wrong.id = 'not-the-derived-id';
    // Without discounts the sum is zero, which '-0.00' states too (no finding), written '0.00' in USD.
    wrong.currency = 'USD';
    wrong.discounts = [];
    wrong.discountTotal = '-0.00';
    wrong.customer = { ref: 'someone@example.com' };
    wrong.findings = [{ code: 'x.y', severity: 'warning', path: '/', message: 'kept' }];
    variants.push(wrong);
    const reordered = Object.fromEntries(Object.entries(sale()).reverse());
    variants.push(reordered);
    for (const input of variants) {
      const before = structuredClone(input);
      const result = toCanonical(input, ctx);
      expect(result.transactions).toHaveLength(1);
      const tx = result.transactions[0]!;
      expect(Object.keys(tx)).toEqual(Object.keys(CanonicalTransaction.strict().parse(input)));
      expect(tx).not.toBe(input);
      expect(tx.findings).not.toBe(input.findings);
      expect(input).toEqual(before);
      expect(Object.keys(input)).toEqual(Object.keys(before));
    }
    const fixed = toCanonical(wrong, ctx).transactions[0]!;
    expect(fixed.id).toBe(transactionId(wrong.source, wrong.sourceKey));
    expect(fixed.discountTotal).toBe('0.00');
    expect(fixed.customer!.ref).not.toContain('@');
    expect(fixed.findings.map((f) => f.code)).toEqual([
      'x.y',
      'source.canonical.id_mismatch',
      'source.canonical.raw_customer_identifier',
    ]);
  });
});
