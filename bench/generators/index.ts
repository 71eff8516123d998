// bench/generators/index.ts: seeded generators of realistic payloads, one per source format.
import type { SourceName } from '../../shared/model';
import type { Rng } from '../rng';
import { generateCanonical } from './canonical';
import { generateCsv } from './csv';
import { generatePoslog } from './poslog';
import { generateShopify } from './shopify';
import { generateSquare } from './square';

export type PayloadGenerator = (rng: Rng, i: number) => string;

export const GENERATORS: Partial<Record<SourceName, PayloadGenerator>> = {
  poslog: generatePoslog,
  csv: generateCsv,
  shopify: generateShopify,
  square: generateSquare,
  canonical: generateCanonical,
};
