// Each line must be arithmetic that adds up: amount = sign(quantity) * (|quantity| * unitPrice - discount).
import { dec, roundingTolerance } from '../money';
import type { Finding } from '../../../../shared/model';
import type { Rule } from '../types';

const IMPLAUSIBLE_QUANTITY = 10_000;

export const quantities: Rule = (tx) => {
  const findings: Finding[] = [];
  const tolerance = roundingTolerance(tx.currency);
  tx.lines.forEach((line, i) => {
    const path = `/lines/${i}`;
    const q = dec(line.quantity);
    const amount = dec(line.amount);
    if (q.eq(0)) {
      findings.push({ code: 'line.quantity_zero', severity: 'error', path: `${path}/quantity`, message: 'quantity is zero' });
      return;
    }
    if (q.abs().gt(IMPLAUSIBLE_QUANTITY)) {
      findings.push({ code: 'line.quantity_implausible', severity: 'warning', path: `${path}/quantity`, message: `quantity ${line.quantity} is implausibly large` });
    }
    if (!amount.eq(0) && amount.lt(0) !== q.lt(0)) {
      findings.push({ code: 'line.sign_mismatch', severity: 'error', path: `${path}/amount`, message: `amount ${line.amount} and quantity ${line.quantity} have different signs` });
      return;
    }
    const expected = q.abs().times(dec(line.unitPrice)).minus(dec(line.discount));
    // Unit prices are often rounded from a weighed total, so allow a cent per line plus rounding.
    if (expected.minus(amount.abs()).abs().gt(tolerance.times(2))) {
      findings.push({
        code: 'line.amount_mismatch',
        severity: 'error',
        path: `${path}/amount`,
        message: `amount ${line.amount} is not |${line.quantity}| x ${line.unitPrice} - ${line.discount} = ${expected.toFixed()}`,
      });
    }
  });
  if (tx.kind === 'return' && dec(tx.total).gt(0)) {
    findings.push({ code: 'total.return_positive', severity: 'warning', path: '/total', message: 'a return with a positive total' });
  }
  return findings;
};
