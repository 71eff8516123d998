// Tax stated per line and again per transaction must be counted once: POSLog in particular repeats it.
import { dec, roundingTolerance, sum } from '../../model/money';
import type { CanonicalTransaction, Finding } from '../../model';
import { amountsOf, toleranceOf } from '../amounts';
import type { Rule } from '../types';

export const taxCountedOnce: Rule = (tx, _ctx, amounts) => {
  if (tx.taxTotal === null || tx.lines.length === 0 || tx.lines.some((l) => l.tax === null)) return [];
  const a = amounts ?? amountsOf(tx);
  if (a.exact && Math.abs(a.taxTotal - (a.lineTax + a.chargeTax)) <= toleranceOf(a, tx.lines.length + 1)) return [];
  return checkWithBig(tx);
};

/** The rule on big.js: for amounts the fast path cannot read exactly, and to word a finding. */
function checkWithBig(tx: CanonicalTransaction): Finding[] {
  const lineTax = sum(tx.lines.map((l) => dec(l.tax!))).plus(sum((tx.charges ?? []).map((c) => dec(c.tax ?? 0))));
  const taxTotal = dec(tx.taxTotal!);
  const tolerance = roundingTolerance(tx.currency, tx.lines.length + 1);
  if (taxTotal.minus(lineTax).abs().lte(tolerance)) return [];
  if (!lineTax.eq(0) && taxTotal.minus(lineTax.times(2)).abs().lte(tolerance)) {
    return [
      {
        code: 'tax.counted_twice',
        severity: 'error',
        path: '/taxTotal',
        message: `taxTotal ${tx.taxTotal} is twice the line taxes (${lineTax.toFixed()}): tax counted twice`,
      },
    ];
  }
  return [
    {
      code: 'tax.lines_mismatch',
      severity: 'error',
      path: '/taxTotal',
      message: `taxTotal ${tx.taxTotal} differs from the sum of line taxes ${lineTax.toFixed()}`,
    },
  ];
}
