// shared/platform/parseStoreMap.ts: the per-store configuration (the POS_HUB_STORES setting, and the
// `--stores` file of `pos-hub transform`) read from its JSON text, each value checked as the matching
// POS_HUB_DEFAULT_* setting is. Not secret, so a problem may name the store and the field.
import { isKnownCurrency } from '../model/money';
import { isValidTimeZone } from '../model/time';
import type { StoreConfig } from '../sources/types';

export type StoreMapResult = { ok: true; stores: ReadonlyMap<string, StoreConfig> } | { ok: false; problem: string };

const STORE_FIELDS = ['timeZone', 'currency', 'country'] as const;
const SHAPE = '{"<storeId>": {"timeZone": "...", "currency": "...", "country": "..."}}';

// ISO 3166-1 alpha-2 as ICU knows the regions; "ZZ" (unknown region) is no country.
const isCountry = (code: string) => /^[A-Z]{2}$/.test(code) && code !== 'ZZ' && regionName(code) !== code;
let regions: Intl.DisplayNames | undefined;
function regionName(code: string): string | undefined {
  regions ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  return regions.of(code);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Store id -> { timeZone?, currency?, country? } from a JSON object; the first problem otherwise. */
export function parseStoreMap(text: string): StoreMapResult {
  const stores = new Map<string, StoreConfig>();
  const problem = (message: string): StoreMapResult => ({ ok: false, problem: message });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return problem(`not JSON: expected ${SHAPE}`);
  }
  if (!isObject(value)) return problem(`expected a JSON object ${SHAPE}`);
  for (const [rawId, entry] of Object.entries(value)) {
    const storeId = rawId.trim();
    if (storeId === '') return problem('a store id is empty');
    if (stores.has(storeId)) return problem(`store ${JSON.stringify(storeId)}: given twice`);
    if (!isObject(entry)) return problem(`store ${JSON.stringify(storeId)}: expected an object with timeZone, currency or country`);
    const config: { timeZone?: string; currency?: string; country?: string } = {};
    for (const [field, fieldValue] of Object.entries(entry)) {
      const at = `store ${JSON.stringify(storeId)} ${field}`;
      if (!(STORE_FIELDS as readonly string[]).includes(field)) return problem(`${at}: unknown field (expected timeZone, currency or country)`);
      if (typeof fieldValue !== 'string') return problem(`${at}: expected a string`);
      const text = fieldValue.trim();
      if (field === 'timeZone') {
        if (!isValidTimeZone(text)) return problem(`${at}: not an IANA time zone`);
        config.timeZone = text;
      } else if (field === 'currency') {
        if (!isKnownCurrency(text)) return problem(`${at}: not an ISO 4217 currency code`);
        config.currency = text;
      } else {
        if (!isCountry(text)) return problem(`${at}: not an ISO 3166 alpha-2 country code`);
        config.country = text;
      }
    }
    stores.set(storeId, Object.freeze(config));
  }
  return { ok: true, stores };
}
