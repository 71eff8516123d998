// Each line must be arithmetic that adds up: amount = sign(quantity) * (|quantity| * unitPrice - discount).
import Big from 'big.js';
import { dec, minorUnits, roundingTolerance } from '../../model/money';
import type { Finding, Line } from '../../model';
import { amountsOf } from '../amounts';
import { POW10, fractionDigits, readDigits } from '../exactDecimals';
import type { Rule } from '../types';

const IMPLAUSIBLE_QUANTITY = 10_000;
const LIMIT = 2 ** 51;

export const quantities: Rule = (tx, _ctx, amounts) => {
  const findings: Finding[] = [];
  const minorDigits = minorUnits(tx.currency);
  let tolerance: Big | undefined;
  for (let i = 0; i < tx.lines.length; i++) {
    const line = tx.lines[i]!;
    if (!lineAddsUp(line, minorDigits)) checkLineWithBig(line, i, (tolerance ??= roundingTolerance(tx.currency)), findings);
  }
  if (tx.kind === 'return') {
    const a = amounts ?? amountsOf(tx);
    if (a.exact ? a.total > 0 : dec(tx.total).gt(0)) {
      findings.push({ code: 'total.return_positive', severity: 'warning', path: '/total', message: 'a return with a positive total' });
    }
  }
  return findings;
};

/**
 * True when the line has nothing to report, on exact integers: a non-zero, plausible quantity, an
 * amount of the quantity's sign, and |q| x price - discount within one smallest currency unit of
 * |amount| (twice the rounding tolerance). With q = digits / 10^qd and the amounts in units of 10^-d,
 * everything is compared in units of 10^-(d+qd), so nothing is divided. False when the line has a
 * finding or cannot be read exactly (then big.js decides).
 */
function lineAddsUp(line: Line, minorDigits: number): boolean {
  const q = readDigits(line.quantity);
  const qd = fractionDigits();
  const price = readDigits(line.unitPrice);
  const pd = fractionDigits();
  const discount = readDigits(line.discount);
  const dd = fractionDigits();
  const amount = readDigits(line.amount);
  const ad = fractionDigits();
  if (q === 0 || !(Math.abs(q) < IMPLAUSIBLE_QUANTITY * POW10[qd]!)) return false;
  if (amount !== 0 && amount < 0 !== q < 0) return false;
  const d = Math.max(pd, dd, ad, minorDigits);
  if (!(d + qd < POW10.length)) return false;
  const product = Math.abs(q) * price * POW10[d - pd]!;
  const discountScaled = discount * POW10[d - dd + qd]!;
  const amountScaled = Math.abs(amount) * POW10[d - ad + qd]!;
  // Unit prices are often rounded from a weighed total, so allow a cent per line plus rounding.
  const slack = POW10[d - minorDigits + qd]!;
  // Each term is a product of integers, exact while it stays below 2^53 (rounding cannot bring a larger
  // one back under); bounding their sum also keeps the difference below exact. NaN fails this too.
  if (!(Math.abs(product) + Math.abs(discountScaled) + amountScaled + slack <= LIMIT)) return false;
  return Math.abs(product - discountScaled - amountScaled) <= slack;
}

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
