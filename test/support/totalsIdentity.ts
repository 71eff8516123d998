// The totals identity of docs/canonical.md, for adapter tests:
// total = lines - transaction-level discounts + charges (+ tax when prices exclude it).
import Big from 'big.js';
import type { CanonicalTransaction } from '../../shared/model';
import { dec, roundingTolerance, sum } from '../../shared/model/money';

/** The total the identity gives, at two decimals. */
export function identityTotal(tx: CanonicalTransaction, pricesIncludeTax: boolean): string {
  return sum(tx.lines.map((l) => dec(l.amount)))
    .minus(sum(tx.discounts.filter((d) => d.lineNo === undefined).map((d) => dec(d.amount))))
    .plus(sum((tx.charges ?? []).map((c) => dec(c.amount))))
    .plus(pricesIncludeTax ? 0 : dec(tx.taxTotal ?? '0'))
    .toFixed(2);
}

/** Asserts the identity holds within the currency's rounding tolerance. */
export function expectTotalsIdentity(tx: CanonicalTransaction, pricesIncludeTax: boolean): void {
  const add = (xs: string[]) => xs.reduce((a, x) => a.plus(x), new Big(0));
  const expected = add(tx.lines.map((l) => l.amount))
    .minus(add(tx.discounts.filter((d) => d.lineNo === undefined).map((d) => d.amount)))
    .plus(add((tx.charges ?? []).map((c) => c.amount)))
    .plus(pricesIncludeTax || tx.taxTotal === null ? 0 : tx.taxTotal);
  expect(new Big(tx.total).minus(expected).abs().lte(roundingTolerance(tx.currency))).toBe(true);
}
