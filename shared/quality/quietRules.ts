// shared/quality/quietRules.ts: nearly every transaction has no finding at all. Running the seven rules
// on it read the same properties of the transaction again, rule by rule (megamorphic loads once every
// source's objects pass through), and made an empty array per rule; this answers "does any rule have
// something to say?" in one go from what readCanonical already read. A `false` only means "run the
// rules": they stay the reference and give every finding and its wording, and
// test/quality/quietRules.test.ts checks that `true` never hides a finding of theirs.
import { isKnownCurrency } from '../model/money';
import type { TxAmounts } from './amounts';
import type { ReadFacts } from './readCanonical';
import { datesLookRight } from './rules/dates';
import { taxAddsUp } from './rules/taxCountedOnce';
import { tendersAddUp } from './rules/tendersVsTotal';
import { totalsAddUp } from './rules/totalsVsLines';
import type { QualityContext } from './types';
import { utcInstantMs } from './utcInstantMs';

/**
 * True when every rule of RULES would return no finding for the transaction `readCanonical(tx, facts)`
 * read as `a`. The arithmetic tests are the rules' own exact-integer tests (`totalsAddUp`,
 * `tendersAddUp`, `taxAddsUp`, `datesLookRight`) on the same sums (`a` is what the rules are given),
 * so a rule that would report, or that needs big.js because the amounts are not exact, makes this false.
 */
export function quietRules(a: TxAmounts, facts: ReadFacts, ctx: QualityContext): boolean {
  // Inexact amounts send every arithmetic rule to big.js; placeholders need the rule's wording.
  if (!a.exact || !facts.plainTexts) return false;
  const kind = facts.kind;
  const lineCount = facts.lineCount;
  // Each rule's own test, where the rule applies (the guards are the rules', read from the facts).
  if (kind !== 'payment' && lineCount > 0 && !totalsAddUp(a, lineCount, facts.chargeCount)) return false;
  if (kind !== 'void' && !tendersAddUp(a)) return false;
  // taxCountedOnce: with exact amounts, taxTotal is NaN exactly when it is null, and lineTax exactly
  // when some line has no tax; then the rule does not apply.
  if (a.taxTotal === a.taxTotal && lineCount > 0 && a.lineTax === a.lineTax && !taxAddsUp(a, lineCount)) return false;
  // currencyCode.
  const currency = facts.currency;
  if (!(currency === null || isKnownCurrency(currency))) return false;
  // quantities: every line adds up (readCanonical checked them), and no return with a positive total.
  if (!a.linesAddUp || (kind === 'return' && a.total > 0)) return false;
  // dates: the rule's own quick test.
  return datesLookRight(utcInstantMs(facts.occurredAt), facts.businessDate, ctx);
}
