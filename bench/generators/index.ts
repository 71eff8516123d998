// bench/generators/index.ts: seeded generators of realistic payloads, one per source format.
import type { SourceName } from '../../shared/model';
import type { Rng } from '../rng';
import { generateAdyen } from './adyen';
import { generateCanonical } from './canonical';
import { generateClover } from './clover';
import { generateCsv } from './csv';
import { generateLightspeedR } from './lightspeed-r';
import { generateLightspeedX } from './lightspeed-x';
import { generatePoslog } from './poslog';
import { generateShopify } from './shopify';
import { generateSquare } from './square';
import { generateToast } from './toast';

export type PayloadGenerator = (rng: Rng, i: number) => string;

export const GENERATORS: Partial<Record<SourceName, PayloadGenerator>> = {
  poslog: generatePoslog,
  csv: generateCsv,
  shopify: generateShopify,
  square: generateSquare,
  'lightspeed-x': generateLightspeedX,
  'lightspeed-r': generateLightspeedR,
  clover: generateClover,
  toast: generateToast,
  adyen: generateAdyen,
  canonical: generateCanonical,
};
