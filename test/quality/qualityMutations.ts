// test/quality/qualityMutations.ts: the transactions the bench generators' payloads turn into, and
// mutations of them aimed at the places where the quality rules' fast paths could go wrong (tolerance
// boundaries, many decimals, huge amounts, signs, zero and implausible quantities, tender statuses,
// dates near the limits, time zones, placeholders). Shared by the differential tests of this folder.
import Big from 'big.js';
import fc from 'fast-check';
import { GENERATORS } from '../../bench/generators';
import { createRng } from '../../bench/rng';
import type { CanonicalTransaction, SourceName } from '../../shared/model';
import type { QualityContext } from '../../shared/quality/types';
import { adapterFor } from '../../shared/sources/registry';
import type { SourceContext } from '../../shared/sources/types';
import { newYorkStoreContext } from '../support/storeContext';

export const sourceCtx: SourceContext = newYorkStoreContext();
export const NOW = Date.parse('2026-12-01T00:00:00Z');
const PAYLOADS_PER_SOURCE = 25;

function generated(): CanonicalTransaction[] {
  const out: CanonicalTransaction[] = [];
  for (const [source, generate] of Object.entries(GENERATORS)) {
    const adapter = adapterFor(source as SourceName)!;
    const rng = createRng(7);
    for (let i = 0; i < PAYLOADS_PER_SOURCE; i++) {
      const parsed = adapter.parse(generate!(rng, i));
      if (parsed.ok) out.push(...adapter.toCanonical(parsed.value, sourceCtx).transactions);
    }
  }
  return out;
}
export const POOL = generated();

export const clone = (tx: CanonicalTransaction): CanonicalTransaction => structuredClone(tx);

// ---- Mutations -------------------------------------------------------------------------------------

/** Decimal text of every kind the rules may meet: plain, long, huge, signed, and text big.js reads but the model does not. */
export const arbDecimalText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), fc.integer({ min: 0, max: 10 })).map(([n, d]) => new Big(n.toString()).div(new Big(10).pow(d)).toFixed(d)),
  fc.tuple(fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }), fc.integer({ min: 0, max: 18 })).map(([n, d]) => new Big(n.toString()).div(new Big(10).pow(d)).toFixed(d)),
  fc.integer({ min: -100_000, max: 100_000 }).map((c) => new Big(c).div(100).toFixed(2)),
  fc.constantFrom('0', '-0', '0.00', '-0.000', '00012.50', '1e3', ' 5', '+1', '.5', '5.', '', 'x', '9007199254740993', '900719925474.0993', '123456789012345', '1234567890123456'),
);

/** `text` moved by a whole number of half smallest units (plus a little): lands on and around the tolerance boundaries. */
export function nudged(text: string, halfUnits: number, minorDigits: number, extra: string): string {
  try {
    return new Big(text).plus(new Big(halfUnits).div(2).times(new Big(10).pow(-minorDigits))).plus(extra).toFixed();
  } catch {
    return text;
  }
}
export const arbNudge = fc.record({
  halfUnits: fc.integer({ min: -12, max: 12 }),
  minorDigits: fc.constantFrom(0, 2, 3),
  extra: fc.constantFrom('0', '0', '0', '0.000001', '-0.000001', '0.000000001', '0.0049', '-0.005'),
});

export type Tx = CanonicalTransaction;
export type Edit = (tx: Tx, pick: number) => void;
const at = <T,>(xs: T[], pick: number): T | undefined => (xs.length === 0 ? undefined : xs[pick % xs.length]);

const AMOUNT_FIELDS: ((tx: Tx, pick: number) => [Record<string, unknown>, string] | undefined)[] = [
  (tx) => [tx as unknown as Record<string, unknown>, 'total'],
  (tx) => [tx as unknown as Record<string, unknown>, 'taxTotal'],
  (tx, p) => {
    const l = at(tx.lines, p);
    return l && [l as unknown as Record<string, unknown>, (['amount', 'unitPrice', 'discount', 'tax', 'quantity'] as const)[p % 5]!];
  },
  (tx, p) => {
    const t = at(tx.tenders, p);
    return t && [t as unknown as Record<string, unknown>, 'amount'];
  },
  (tx, p) => {
    const d = at(tx.discounts, p);
    return d && [d as unknown as Record<string, unknown>, 'amount'];
  },
  (tx, p) => {
    const c = at(tx.charges ?? [], p);
    return c && [c as unknown as Record<string, unknown>, p % 2 ? 'amount' : 'tax'];
  },
];

export const arbEdit: fc.Arbitrary<Edit> = fc.oneof(
  // Any decimal text into any amount.
  fc.tuple(fc.nat(), arbDecimalText).map(([which, text]): Edit => (tx, p) => {
    const target = AMOUNT_FIELDS[which % AMOUNT_FIELDS.length]!(tx, p);
    if (target) target[0][target[1]] = text;
  }),
  // An amount moved onto or around a tolerance boundary.
  fc.tuple(fc.nat(), arbNudge).map(([which, n]): Edit => (tx, p) => {
    const target = AMOUNT_FIELDS[which % AMOUNT_FIELDS.length]!(tx, p);
    const value = target?.[0][target[1]];
    if (target && typeof value === 'string') target[0][target[1]] = nudged(value, n.halfUnits, n.minorDigits, n.extra);
  }),
  // The total and every counted tender moved together (the lines then disagree by exactly that much).
  arbNudge.map((n): Edit => (tx) => {
    tx.total = nudged(tx.total, n.halfUnits, n.minorDigits, n.extra);
    const t = tx.tenders[0];
    if (t) t.amount = nudged(t.amount, n.halfUnits, n.minorDigits, n.extra);
  }),
  // The tax total against the line taxes: equal, doubled, off by a boundary.
  fc.tuple(fc.constantFrom(1, 2, 3), arbNudge).map(([times, n]): Edit => (tx) => {
    if (tx.lines.some((l) => l.tax === null)) return;
    try {
      const sum = tx.lines.reduce((s, l) => s.plus(l.tax!), new Big(0));
      tx.taxTotal = nudged(sum.times(times).toFixed(), n.halfUnits, n.minorDigits, n.extra);
    } catch {
      /* an unreadable tax stays as it is */
    }
  }),
  // Quantities: zero, signs, the implausible boundary, weighed amounts.
  fc.tuple(fc.constantFrom('0', '-0', '0.000', '10000', '10000.0', '10000.001', '9999.999', '-10001', '-1', '0.375', '2.5', '1', '3', '123456789.123456'), fc.boolean()).map(
    ([q, rescale]): Edit => (tx, p) => {
      const l = at(tx.lines, p);
      if (!l) return;
      l.quantity = q;
      if (rescale) {
        try {
          l.amount = new Big(q).abs().times(l.unitPrice).minus(l.discount).times(new Big(q).lt(0) ? -1 : 1).toFixed();
        } catch {
          /* unreadable: leave it */
        }
      }
    },
  ),
  // Tender statuses, removed and added tenders.
  fc.tuple(fc.constantFrom(undefined, 'declined', 'DECLINED', 'Voided', 'void', 'approved', 'error', '', 'captured'), fc.nat()).map(
    ([status, n]): Edit => (tx, p) => {
      const t = at(tx.tenders, p);
      if (n % 3 === 0) tx.tenders = [];
      else if (n % 3 === 1) tx.tenders.push({ method: 'cash', amount: tx.total, ...(status === undefined ? {} : { status }) });
      else if (t) {
        if (status === undefined) delete t.status;
        else t.status = status;
      }
    },
  ),
  // Lines, discounts and charges added or removed.
  fc.nat().map((n): Edit => (tx, p) => {
    if (n % 5 === 0) tx.lines = [];
    else if (n % 5 === 1 && tx.lines.length > 0) tx.lines.push({ ...tx.lines[p % tx.lines.length]!, lineNo: tx.lines.length + 1 });
    else if (n % 5 === 2) tx.discounts.push({ amount: '1.00', ...(p % 2 ? { lineNo: 1 } : {}) });
    else if (n % 5 === 3) tx.charges = [...(tx.charges ?? []), { type: 'tip', amount: '2.00', ...(p % 3 === 0 ? {} : { tax: p % 3 === 1 ? null : '0.16' }) }];
    else tx.lines.forEach((l) => (l.tax = p % 2 ? null : l.tax));
  }),
  // Kind and currency.
  fc.constantFrom('sale', 'return', 'void', 'payment').map((kind): Edit => (tx) => (tx.kind = kind as Tx['kind'])),
  fc.constantFrom('USD', 'JPY', 'KWD', 'CLF', 'EUR', 'ABC', 'usd', null).map((currency): Edit => (tx) => (tx.currency = currency)),
  // Dates: instants around 2000 and the future, business dates near and far, invalid and very old ones.
  fc.tuple(fc.integer({ min: Date.UTC(1999, 11, 30), max: Date.UTC(2027, 0, 3) }), fc.integer({ min: -4, max: 4 }), fc.nat()).map(
    ([ms, days, n]): Edit => (tx) => {
      tx.occurredAt = new Date(n % 7 === 0 ? Date.UTC(2000, 0, 1) + (n % 3) - 1 : ms).toISOString();
      tx.businessDate = new Date(Date.parse(tx.occurredAt) + days * 86_400_000).toISOString().slice(0, 10);
    },
  ),
  fc.constantFrom('2026-02-30', '2026-13-01', '2024-02-29', '2023-02-29', '0050-06-01', '0999-12-31', '2026-1-01', '2026-11-30x', '9999-12-31').map(
    (d): Edit => (tx) => (tx.businessDate = d),
  ),
  fc.constantFrom('9999-12-31T23:59:59.999Z', '8999-12-31T20:00:00.000Z', '0001-01-01T00:00:00.000Z', 'not a date', '2026-11-30T15:04:05+01:00').map(
    (d): Edit => (tx) => (tx.occurredAt = d),
  ),
  // Placeholders, including ones hidden by whitespace that only `trim` knows and by case.
  fc.tuple(
    fc.constantFrom('storeId', 'registerId', 'operatorId', 'sku', 'description'),
    fc.constantFrom(' n/a ', 'N/A', '\u00a0'.repeat(12) + 'none', 'TEST' + '\ufeff'.repeat(9), '\u2028\u2028\u2028\u2028\u2028\u2028\u2028\u2028\u2028\u2028dummy', 'a long ordinary value', '', '0', 'unknown ', 'xXx', null),
  ).map(([field, value]): Edit => (tx, p) => {
    if (field === 'sku' || field === 'description') {
      const l = at(tx.lines, p);
      if (l && value !== null) l[field] = value;
    } else tx[field] = value;
  }),
  fc.constantFrom('store', 'online').map((channel): Edit => (tx) => (tx.channel = channel as Tx['channel'])),
  // Findings already on the transaction.
  fc.constant((tx: Tx) => void tx.findings.push({ code: 'source.x', severity: 'warning', path: '/', message: 'm' })),
);

export const arbCtx: fc.Arbitrary<QualityContext> = fc.record({
  now: fc.constantFrom(NOW, Date.UTC(2026, 10, 30, 12), Date.UTC(2020, 0, 1)),
  timeZone: fc.constantFrom('America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'UTC', null, undefined, ''),
});
