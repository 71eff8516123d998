// Tax stated per line and again per transaction must be counted once: POSLog in particular repeats it.
import { dec, roundingTolerance, sum } from '../../model/money';
import type { CanonicalTransaction, Finding } from '../../model';
import { amountsOf, toleranceOf, type TxAmounts } from '../amounts';
import type { Rule } from '../types';

/**
 * The rule's test on exact amounts, where it applies (a tax total, lines, each with its tax; also
 * ../quietRules'): true when the tax total is the line and charge taxes. False means "ask big.js", which
 * tells a tax counted twice from other differences and words the finding.
 */
export function taxAddsUp(a: TxAmounts, lineCount: number): boolean {
  return a.exact && Math.abs(a.taxTotal - (a.lineTax + a.chargeTax)) <= toleranceOf(a, lineCount + 1);
}

export const taxCountedOnce: Rule = (tx, _ctx, amounts) => {
  if (tx.taxTotal === null || tx.lines.length === 0 || tx.lines.some((l) => l.tax === null)) return [];
  return taxAddsUp(amounts ?? amountsOf(tx), tx.lines.length) ? [] : checkWithBig(tx);
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
