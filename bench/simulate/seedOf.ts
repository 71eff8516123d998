// bench/simulate/seedOf.ts: a 32-bit seed derived from the run's seed and a name, so each payload has its
// own generator stream: the payload for (source, index) is the same whatever else the plan contains.
import { createHash } from 'node:crypto';

export function seedOf(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}
