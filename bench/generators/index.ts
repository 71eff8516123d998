// bench/generators/index.ts: seeded generators of realistic payloads, one per source format.
import type { SourceName } from '../../shared/model';
import type { Rng } from '../rng';
import { generateCanonical } from './canonical';

export type PayloadGenerator = (rng: Rng, i: number) => string;

export const GENERATORS: Partial<Record<SourceName, PayloadGenerator>> = {
  canonical: generateCanonical,
};
