// shared/model/units/pow10.ts: powers of ten as exact doubles, to scale integer units between decimals.
import { UNSURE } from './safe';

/**
 * 10^k for k = 0..22, each made as a product of exact integers whose result is exactly a double (10^22
 * is the last that is), so none depends on how exact Math.pow is.
 */
export const POW10: readonly number[] = [1];
for (let k = 1; k <= 22; k++) (POW10 as number[]).push(POW10[k - 1]! * 10);

/** 10^k, or UNSURE for k outside 0..22 (no exact double, or no integer: a Scaled asked for fewer places than it has). */
export function pow10(k: number): number {
  const p = POW10[k];
  if (p === undefined) throw UNSURE;
  return p;
}
