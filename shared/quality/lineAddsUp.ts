// shared/quality/lineAddsUp.ts: the quantities rule's exact-integer check of one line, shared by the rule
// (which reads the line's digits itself) and by readCanonical (which has them from its one walk).
import type { Line } from '../model';
import { POW10, fractionDigits, readDigits } from './exactDecimals';

const IMPLAUSIBLE_QUANTITY = 10_000;
const LIMIT = 2 ** 51;

/**
 * True when the line has nothing to report, on exact integers: a non-zero, plausible quantity, an
 * amount of the quantity's sign, and |q| x price - discount within one smallest currency unit of
 * |amount| (twice the rounding tolerance). False when the line has a finding or cannot be read
 * exactly (then big.js decides).
 */
export function lineAddsUp(line: Line, minorDigits: number): boolean {
  const q = readDigits(line.quantity);
  const qd = fractionDigits();
  const price = readDigits(line.unitPrice);
  const pd = fractionDigits();
  const discount = readDigits(line.discount);
  const dd = fractionDigits();
  const amount = readDigits(line.amount);
  const ad = fractionDigits();
  return digitsAddUp(q, qd, price, pd, discount, dd, amount, ad, minorDigits);
}

/**
 * `lineAddsUp` on the lines' digits as `readDigits` gives them (each value with its count of
 * decimals; NaN for a value it could not read, whatever its count). With q = digits / 10^qd and the
 * amounts in units of 10^-d, everything is compared in units of 10^-(d+qd), so nothing is divided.
 */
export function digitsAddUp(
  q: number,
  qd: number,
  price: number,
  pd: number,
  discount: number,
  dd: number,
  amount: number,
  ad: number,
  minorDigits: number,
): boolean {
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
