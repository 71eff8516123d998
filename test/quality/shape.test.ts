// The hand-written shape check replaces the zod schema on the hot path, so it must never accept what the
// schema rejects: every mutation of a full transaction is checked against `CanonicalTransaction` itself.
import fc from 'fast-check';
import { CanonicalTransaction } from '../../shared/model';
import { hasCanonicalShape } from '../../shared/quality/shape';
import { routeOf, validateTransaction, validateTransactions } from '../../shared/quality';
import { arbCanonical, line, sale } from '../support/canonical';
import { hasCanonicalShape as referenceShape } from '../support/qualityReference/shape';

/** A sale with every optional part present, so mutations reach every field of the model. */
function full(): Record<string, unknown> {
  return sale({
    discounts: [{ amount: '1.00', lineNo: 1, promotionId: 'P1', code: 'C', description: 'd' }],
    lines: [line({ gtin: '0123456789012' })],
    tenders: [{ method: 'card', amount: '21.60', cardBrand: 'visa', last4: '1111', status: 'approved' }],
    charges: [{ type: 'tip', amount: '1.00', tax: null, description: 'tip' }],
    customer: { ref: 'cu_x', emailRef: 'em_x', phoneRef: 'ph_x', loyaltyRef: 'ly_x' },
    originalRef: { sourceKey: 'K' },
    findings: [{ code: 'x.y', severity: 'warning', path: '/a', message: 'm' }],
  }) as unknown as Record<string, unknown>;
}

/** Paths (as key lists) to every value inside `v`. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...prefix, i], ...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...paths(x, [...prefix, k]));
  return out;
}

const REPLACEMENTS: unknown[] = [
  undefined, null, '', ' ', 'x', '1e3', '1.5E2', '-0', '1.', '.5', '+1', '1,00', '12.50', 0, 1, 1.5, -1, NaN, 2 ** 60, true, [], {}, [1],
  '2026-11-30', '2026-11-30T15:04:05Z', '2026-11-30T15:04:05.000Z', '2026-11-30T15:04:05.000+01:00', 'usd', 'USD', 'US',
  'sale', 'store', 'card', 'tip', 'error', 'canonical', 'nope', '1111', '111', 'abcd',
];

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown, remove: boolean): void {
  let parent = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (remove) delete parent[key];
  else parent[key] = value;
}

describe('hasCanonicalShape', () => {
  it('accepts the transactions the model accepts (so the fast path is taken)', () => {
    expect(hasCanonicalShape(full())).toBe(true);
    expect(hasCanonicalShape(sale())).toBe(true);
    fc.assert(fc.property(arbCanonical, (tx) => expect(hasCanonicalShape(tx)).toBe(CanonicalTransaction.safeParse(tx).success)));
  });

  it('never accepts what the zod schema rejects: every field replaced or removed', () => {
    let rejected = 0;
    for (const path of paths(full())) {
      for (const [i, value] of [...REPLACEMENTS.entries(), [-1, undefined] as const]) {
        const tx = full();
        setAt(tx, path, value, i === -1);
        const zod = CanonicalTransaction.safeParse(tx).success;
        if (!zod) rejected++;
        // The shape check may only say yes when zod says yes.
        if (hasCanonicalShape(tx) && !zod) throw new Error(`accepted ${JSON.stringify(path)} = ${String(value)}, which zod rejects`);
        // And exactly what the shape check accepted before it read the amounts on the way (readCanonical).
        if (hasCanonicalShape(tx) !== referenceShape(tx)) throw new Error(`${JSON.stringify(path)} = ${String(value)} judged differently`);
      }
    }
    expect(rejected).toBeGreaterThan(500);
  });

  it('rejects values that are no transaction at all', () => {
    for (const v of [null, undefined, 1, 'tx', [], [sale()]]) expect(hasCanonicalShape(v)).toBe(false);
  });
});

describe('validateTransaction keeps the model check', () => {
  const ctx = { now: Date.parse('2026-12-01T00:00:00Z'), timeZone: 'America/New_York' };
  const schemaFindings = (tx: unknown) =>
    validateTransaction(tx as CanonicalTransaction, ctx).filter((f) => f.code === 'schema.invalid').map((f) => f.path);

  it('flags a decimal with an exponent, an empty sourceKey and a bad instant as schema errors, which quarantine', () => {
    expect(schemaFindings(sale({ total: '2.16e1' }))).toEqual(['/total']);
    expect(schemaFindings(sale({ sourceKey: '' }))).toEqual(['/sourceKey']);
    expect(schemaFindings(sale({ occurredAt: '2026-11-30T15:04:05Z' }))).toEqual(['/occurredAt']);
    expect(schemaFindings(sale({ lines: [line({ quantity: '1E2' })] }))).toEqual(['/lines/0/quantity']);
    const [tx] = validateTransactions([sale({ total: '2.16e1' })], ctx);
    expect(routeOf(tx!)).toBe('quarantine');
  });
});
