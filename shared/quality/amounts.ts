// shared/quality/amounts.ts: the amounts of one transaction read once, as exact integers, and shared by
// the rules (each of which used to parse the same strings with big.js again). A rule uses these only to
// see that it has nothing to report; whenever they are not exact, or the rule has a finding, it runs
// its big.js code, so findings and their messages come from the same code as before.
import { minorUnits } from '../model/money';
import type { CanonicalTransaction } from '../model';
import { POW10, fractionDigits, readDigits } from './exactDecimals';

/** Sums in units of 10^-scale. Meaningful only when `exact` is true. */
export interface TxAmounts {
  /**
   * Every amount below was read exactly, and the absolute values of all amounts of the transaction
   * (line and charge taxes counted twice) add up to at most 2^51 units, so every sum and difference
   * the rules form from them (each amount used once, the taxes twice) is an exact integer.
   */
  exact: boolean;
  /** Decimals of the units: the most any amount has, and at least the currency's minor digits. */
  scale: number;
  /** The currency's minor digits (2 for USD, 0 for JPY). */
  minorDigits: number;
  total: number;
  /** NaN when taxTotal is null. */
  taxTotal: number;
  lines: number;
  /** Sum of the line taxes; NaN when a line has none. */
  lineTax: number;
  /** Transaction-level discounts (those without a lineNo). */
  orderDiscounts: number;
  charges: number;
  /** Sum of the charges' tax, a missing one counting 0. */
  chargeTax: number;
  /** Tenders that moved money (see `countsAsPaid`), and how many there were. */
  paid: number;
  paidCount: number;
  /** Sum of the absolute values read so far (see `exact`). */
  magnitude: number;
  /**
   * True only when every line passes `lineAddsUp` (so the quantities rule has nothing to say about
   * the lines). Set by `readCanonical`, which sees the lines' digits anyway; `amountsOf` leaves it
   * false, and then the rule checks each line itself.
   */
  linesAddUp: boolean;
}

const NOT_COUNTED: ReadonlySet<string> = new Set(['declined', 'voided', 'void', 'failed', 'cancelled', 'canceled', 'error']);

/** Whether a tender with this status moved money: declined or voided tenders did not. */
export function countsAsPaid(status: string | undefined): boolean {
  return !status || !NOT_COUNTED.has(status.toLowerCase());
}

const LIMIT = 2 ** 51;
const MAX_SCALE = POW10.length - 1;

/**
 * `text` in units of 10^-a.scale (see `scaledUnits`). NaN for text that is no plain decimal.
 */
function read(a: TxAmounts, text: unknown): number {
  const m = readDigits(text);
  return m !== m ? NaN : scaledUnits(a, m, fractionDigits());
}

/**
 * The integer `digits` with `fraction` decimals in units of 10^-a.scale. When it has more decimals
 * than that, the scale grows to them first and everything summed so far is scaled up with it, so the
 * caller must add the result to its sum before it reads the next amount. Scaling up and adding only
 * ever grow `magnitude` (and rounding is monotonic), so when it ends at most LIMIT no step along the
 * way left the exact integers; for the same reason the order in which amounts are read changes
 * nothing while the result is exact. NaN stays NaN.
 */
export function scaledUnits(a: TxAmounts, digits: number, fraction: number): number {
  if (digits !== digits) return NaN;
  if (fraction > a.scale) {
    const k = POW10[fraction - a.scale]!;
    a.scale = fraction;
    a.total *= k;
    a.taxTotal *= k;
    a.lines *= k;
    a.lineTax *= k;
    a.orderDiscounts *= k;
    a.charges *= k;
    a.chargeTax *= k;
    a.paid *= k;
    a.magnitude *= k;
    return digits;
  }
  return digits * POW10[a.scale - fraction]!;
}

/** A TxAmounts with nothing read yet, in units of the currency's minor digits. */
export function emptyAmounts(minorDigits: number): TxAmounts {
  return {
    exact: false,
    scale: minorDigits,
    minorDigits,
    total: 0,
    taxTotal: NaN,
    lines: 0,
    lineTax: 0,
    orderDiscounts: 0,
    charges: 0,
    chargeTax: 0,
    paid: 0,
    paidCount: 0,
    // A currency whose digits cannot be a scale makes nothing exact.
    magnitude: minorDigits >= 0 && minorDigits <= MAX_SCALE ? 0 : NaN,
    linesAddUp: false,
  };
}

/** Reads the transaction's amounts once; never throws (what it cannot read makes it inexact). */
export function amountsOf(tx: CanonicalTransaction): TxAmounts {
  const minorDigits = minorUnits(tx.currency);
  const a = emptyAmounts(minorDigits);
  const { lines, discounts, tenders } = tx;
  const charges = tx.charges ?? [];
  if (!(minorDigits >= 0 && minorDigits <= MAX_SCALE)) return a;
  if (!Array.isArray(lines) || !Array.isArray(discounts) || !Array.isArray(tenders) || !Array.isArray(charges)) return a;
  // Each value is read before it is added, so a growing scale has scaled the sum it goes into.
  const total = read(a, tx.total);
  a.total += total;
  a.magnitude += Math.abs(total);
  if (tx.taxTotal !== null) {
    const taxTotal = read(a, tx.taxTotal);
    a.taxTotal = taxTotal;
    a.magnitude += Math.abs(taxTotal);
  }
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const amount = read(a, l.amount);
    a.lines += amount;
    a.magnitude += Math.abs(amount);
    if (l.tax === null) a.lineTax = NaN;
    else {
      const tax = read(a, l.tax);
      a.lineTax += tax;
      a.magnitude += 2 * Math.abs(tax);
    }
  }
  for (let i = 0; i < discounts.length; i++) {
    const d = discounts[i]!;
    if (d.lineNo !== undefined) continue;
    const amount = read(a, d.amount);
    a.orderDiscounts += amount;
    a.magnitude += Math.abs(amount);
  }
  for (let i = 0; i < charges.length; i++) {
    const c = charges[i]!;
    const amount = read(a, c.amount);
    a.charges += amount;
    a.magnitude += Math.abs(amount);
    if (c.tax !== undefined && c.tax !== null) {
      const tax = read(a, c.tax);
      a.chargeTax += tax;
      a.magnitude += 2 * Math.abs(tax);
    }
  }
  for (let i = 0; i < tenders.length; i++) {
    const t = tenders[i]!;
    if (t.status !== undefined && typeof t.status !== 'string') return a;
    if (!countsAsPaid(t.status)) continue;
    const amount = read(a, t.amount);
    a.paid += amount;
    a.paidCount++;
    a.magnitude += Math.abs(amount);
  }
  settleExactness(a);
  return a;
}

/** Sets `exact` once every amount has been read. */
export function settleExactness(a: TxAmounts): void {
  // An amount not read made the magnitude NaN, and this comparison false.
  a.exact = a.magnitude <= LIMIT;
}

/**
 * `roundingTolerance(tx.currency, components)` in the units of `a`: half the currency's smallest unit
 * per component (an integer or a half, so exact).
 */
export function toleranceOf(a: TxAmounts, components = 1): number {
  return (POW10[a.scale - a.minorDigits]! * Math.max(1, components)) / 2;
}
