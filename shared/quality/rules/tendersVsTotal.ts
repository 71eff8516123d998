// What was paid must equal what was owed; declined or voided tenders moved no money.
import { dec, roundingTolerance, sum } from '../../model/money';
import type { CanonicalTransaction, Finding } from '../../model';
import { amountsOf, countsAsPaid, toleranceOf, type TxAmounts } from '../amounts';
import type { Rule } from '../types';

/**
 * The rule's test on exact amounts (also ../quietRules'): true when the tenders that moved money add up
 * to the total, or there are none for a zero total. False means "ask big.js", which words the finding.
 */
export function tendersAddUp(a: TxAmounts): boolean {
  return a.exact && (a.paidCount === 0 ? a.total === 0 : Math.abs(a.paid - a.total) <= toleranceOf(a, a.paidCount));
}

export const tendersVsTotal: Rule = (tx, _ctx, amounts) => {
  if (tx.kind === 'void') return [];
  return tendersAddUp(amounts ?? amountsOf(tx)) ? [] : checkWithBig(tx);
};

/** The rule on big.js: for amounts the fast path cannot read exactly, and to word a finding. */
function checkWithBig(tx: CanonicalTransaction): Finding[] {
  const counted = tx.tenders.filter((t) => countsAsPaid(t.status));
  const total = dec(tx.total);
  if (counted.length === 0) {
    return total.eq(0)
      ? []
      : [{ code: 'tender.missing', severity: 'warning', path: '/tenders', message: 'no tender recorded for a non-zero total' }];
  }
  const paid = sum(counted.map((t) => dec(t.amount)));
  if (paid.minus(total).abs().lte(roundingTolerance(tx.currency, counted.length))) return [];
  return [
    {
      code: 'total.tenders_mismatch',
      severity: 'error',
      path: '/tenders',
      message: `tenders add up to ${paid.toFixed()} but the total is ${tx.total}`,
    },
  ];
}
