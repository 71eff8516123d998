// shared/quality/shape.ts: a hand-written structural check of the canonical model, run on every
// transaction in place of the zod schema (which cost a fifth of the pipeline's time on transactions
// the adapters had just built). It is deliberately at least as strict as `CanonicalTransaction`:
// `true` here implies the zod schema accepts the value, and anything else goes to zod, which then
// gives its exact issues as `schema.invalid` findings. test/quality/shape.test.ts holds the two to
// agreement on mutated transactions.
//
// The check itself is `readCanonical`, which reads the amounts in the same walk (validateTransaction
// needs both); this is the yes/no view of it.
import type { CanonicalTransaction } from '../model';
import { readCanonical } from './readCanonical';

export { isBusinessDateText, isCurrencyText, isDecimalText, isLast4Text, isUtcInstantText } from './textFormats';

/** True only when `CanonicalTransaction.safeParse(value)` succeeds; false means "ask zod". */
export function hasCanonicalShape(value: unknown): value is CanonicalTransaction {
  return readCanonical(value) !== undefined;
}
