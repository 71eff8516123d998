// total = lines - transaction-level discounts + charges (+ tax when prices exclude it): docs/canonical.md.
import { dec, roundingTolerance, sum } from '../../model/money';
import type { CanonicalTransaction, Finding } from '../../model';
import { amountsOf, toleranceOf, type TxAmounts } from '../amounts';
import type { Rule } from '../types';

/**
 * The rule's test on exact amounts (also ../quietRules'): true when the total is the lines with tax
 * included in prices or with the tax total added, so there is nothing to report. False means "ask
 * big.js", which also words the finding. A null taxTotal is NaN in `a`, which no comparison passes.
 */
export function totalsAddUp(a: TxAmounts, lineCount: number, chargeCount: number): boolean {
  if (!a.exact) return false;
  const sign = a.total < 0 ? -1 : 1;
  const taxIncluded = a.lines - a.orderDiscounts * sign + a.charges;
  const tolerance = toleranceOf(a, lineCount + chargeCount + 1);
  return Math.abs(a.total - taxIncluded) <= tolerance || Math.abs(a.total - (taxIncluded + a.taxTotal)) <= tolerance;
}

export const totalsVsLines: Rule = (tx, _ctx, amounts) => {
  if (tx.kind === 'payment' || tx.lines.length === 0) return [];
  const a = amounts ?? amountsOf(tx);
  return totalsAddUp(a, tx.lines.length, tx.charges?.length ?? 0) ? [] : checkWithBig(tx);
};

/** The rule on big.js: for amounts the fast path cannot read exactly, and to word a finding. */
function checkWithBig(tx: CanonicalTransaction): Finding[] {
  const lines = sum(tx.lines.map((l) => dec(l.amount)));
  const orderDiscounts = sum(tx.discounts.filter((d) => d.lineNo === undefined).map((d) => dec(d.amount)));
  const charges = sum((tx.charges ?? []).map((c) => dec(c.amount)));
  const sign = dec(tx.total).lt(0) ? -1 : 1;
  // Order-level discounts reduce what the customer pays, whichever way the money flows.
  const taxIncluded = lines.minus(orderDiscounts.times(sign)).plus(charges);
  const taxExcluded = taxIncluded.plus(tx.taxTotal === null ? 0 : dec(tx.taxTotal));
  const total = dec(tx.total);
  const tolerance = roundingTolerance(tx.currency, tx.lines.length + (tx.charges?.length ?? 0) + 1);
  if (total.minus(taxIncluded).abs().lte(tolerance) || total.minus(taxExcluded).abs().lte(tolerance)) return [];
  return [
    {
      code: 'total.lines_mismatch',
      severity: 'error',
      path: '/total',
      message:
        `total ${tx.total} does not match the lines: ${taxIncluded.toFixed()} with tax included in prices` +
        (tx.taxTotal === null ? '' : `, ${taxExcluded.toFixed()} with tax added`),
    },
  ];
}
