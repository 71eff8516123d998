import type { CanonicalTransaction, Finding } from '../model';
import type { TxAmounts } from './amounts';

export interface QualityContext {
  /** Validation time (epoch ms): "in the future" is relative to it. */
  now: number;
  /** The store's zone, to compare the business date with the instant. */
  timeZone?: string | null;
}

/**
 * A data-quality rule: stable codes, a severity and a path for each finding. `amounts` is
 * `amountsOf(tx)`, read once per transaction by validateTransaction; a rule called alone reads its own.
 */
export type Rule = (tx: CanonicalTransaction, ctx: QualityContext, amounts?: TxAmounts) => Finding[];
