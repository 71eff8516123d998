// bench/simulate/remapStores.ts: puts a generated payload in one of the simulated retailer's stores. The
// generators draw from eight fixed stores; a simulated estate has N, and one upload comes from one store,
// so every store id in the payload (business unit, receipt ids, return links) becomes the same one.
import { STORES } from '../generators/catalog';

const STORE_RE = new RegExp(`\\b(?:${STORES.join('|')})\\b`, 'g');

/** Store id of the k-th store of the estate (0-based): S001, S002, ... */
export function storeIdOf(k: number): string {
  return `S${String(k + 1).padStart(3, '0')}`;
}

export function remapStores(text: string, storeId: string): string {
  return text.replace(STORE_RE, storeId);
}
