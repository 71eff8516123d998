// shared/quality/quietRules.ts: nearly every transaction has no finding at all. Running the seven rules
// on it read the same properties of the transaction again, rule by rule (megamorphic loads once every
// source's objects pass through), and made an empty array per rule; this answers "does any rule have
// something to say?" in one go from what readCanonical already read. A `false` only means "run the
// rules": they stay the reference and give every finding and its wording, and
// test/quality/quietRules.test.ts checks that `true` never hides a finding of theirs.
import { isKnownCurrency } from '../model/money';
import { toleranceOf, type TxAmounts } from './amounts';
import type { ReadFacts } from './readCanonical';
import { datesLookRight } from './rules/dates';
import type { QualityContext } from './types';
import { utcInstantMs } from './utcInstantMs';

/**
 * True when every rule of RULES would return no finding for the transaction `readCanonical(tx, facts)`
 * read as `a`. Each arithmetic test below is the exact-integer test its rule makes first (on the
 * same sums: `a` is what the rules are given), so a rule that would report, or that needs big.js
 * because the amounts are not exact, makes this false.
 */
export function quietRules(a: TxAmounts, facts: ReadFacts, ctx: QualityContext): boolean {
  // Inexact amounts send every arithmetic rule to big.js; placeholders need the rule's wording.
  if (!a.exact || !facts.plainTexts) return false;
  const kind = facts.kind;
  const lineCount = facts.lineCount;
  // totalsVsLines: the total is the lines with tax included in prices, or with the tax total added
  // (a null taxTotal is NaN here, which no comparison passes).
  if (kind !== 'payment' && lineCount > 0) {
    const sign = a.total < 0 ? -1 : 1;
    const taxIncluded = a.lines - a.orderDiscounts * sign + a.charges;
    const tolerance = toleranceOf(a, lineCount + facts.chargeCount + 1);
    if (!(Math.abs(a.total - taxIncluded) <= tolerance || Math.abs(a.total - (taxIncluded + a.taxTotal)) <= tolerance)) {
      return false;
    }
  }
  // tendersVsTotal.
  if (kind !== 'void') {
    if (!(a.paidCount === 0 ? a.total === 0 : Math.abs(a.paid - a.total) <= toleranceOf(a, a.paidCount))) return false;
  }
  // taxCountedOnce: with exact amounts, taxTotal is NaN exactly when it is null, and lineTax exactly
  // when some line has no tax; then the rule does not apply.
  if (a.taxTotal === a.taxTotal && lineCount > 0 && a.lineTax === a.lineTax) {
    if (!(Math.abs(a.taxTotal - (a.lineTax + a.chargeTax)) <= toleranceOf(a, lineCount + 1))) return false;
  }
  // currencyCode.
  const currency = facts.currency;
  if (!(currency === null || isKnownCurrency(currency))) return false;
  // quantities: every line adds up (readCanonical checked them), and no return with a positive total.
  if (!a.linesAddUp || (kind === 'return' && a.total > 0)) return false;
  // dates: the rule's own quick test.
  return datesLookRight(utcInstantMs(facts.occurredAt), facts.businessDate, ctx);
}
