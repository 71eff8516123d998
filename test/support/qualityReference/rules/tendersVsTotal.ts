// What was paid must equal what was owed; declined or voided tenders moved no money.
import { dec, roundingTolerance, sum } from '../money';
import type { Rule } from '../types';

const NOT_COUNTED = new Set(['declined', 'voided', 'void', 'failed', 'cancelled', 'canceled', 'error']);

export const tendersVsTotal: Rule = (tx) => {
  if (tx.kind === 'void') return [];
  const counted = tx.tenders.filter((t) => !t.status || !NOT_COUNTED.has(t.status.toLowerCase()));
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
};
