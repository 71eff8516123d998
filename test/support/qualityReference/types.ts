import type { CanonicalTransaction, Finding } from '../../../shared/model';

export interface QualityContext {
  /** Validation time (epoch ms): "in the future" is relative to it. */
  now: number;
  /** The store's zone, to compare the business date with the instant. */
  timeZone?: string | null;
}

/** A data-quality rule: stable codes, a severity and a path for each finding. */
export type Rule = (tx: CanonicalTransaction, ctx: QualityContext) => Finding[];
