// Each line must be arithmetic that adds up: amount = sign(quantity) * (|quantity| * unitPrice - discount).
import Big from 'big.js';
import { dec, minorUnits, roundingTolerance } from '../../model/money';
import type { Finding, Line } from '../../model';
import { amountsOf } from '../amounts';
import { lineAddsUp } from '../lineAddsUp';
import type { Rule } from '../types';

const IMPLAUSIBLE_QUANTITY = 10_000;

export const quantities: Rule = (tx, _ctx, amounts) => {
  const findings: Finding[] = [];
  // readCanonical has checked every line already when it says they all add up.
  if (amounts === undefined || !amounts.linesAddUp) {
    const minorDigits = minorUnits(tx.currency);
    let tolerance: Big | undefined;
    for (let i = 0; i < tx.lines.length; i++) {
      const line = tx.lines[i]!;
      if (!lineAddsUp(line, minorDigits)) checkLineWithBig(line, i, (tolerance ??= roundingTolerance(tx.currency)), findings);
    }
  }
  if (tx.kind === 'return') {
    const a = amounts ?? amountsOf(tx);
    if (a.exact ? a.total > 0 : dec(tx.total).gt(0)) {
      findings.push({ code: 'total.return_positive', severity: 'warning', path: '/total', message: 'a return with a positive total' });
    }
  }
  return findings;
};

/** The line's checks on big.js: for amounts the fast path cannot read exactly, and to word a finding. */
function checkLineWithBig(line: Line, i: number, tolerance: Big, findings: Finding[]): void {
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
  if (expected.minus(amount.abs()).abs().gt(tolerance.times(2))) {
    findings.push({
      code: 'line.amount_mismatch',
      severity: 'error',
      path: `${path}/amount`,
      message: `amount ${line.amount} is not |${line.quantity}| x ${line.unitPrice} - ${line.discount} = ${expected.toFixed()}`,
    });
  }
}
