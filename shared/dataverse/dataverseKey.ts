// shared/dataverse/dataverseKey.ts: alternate-key values and how they go into URLs.
import { createHash } from 'node:crypto';
import type { DataverseTable } from './tables';

/**
 * Characters Dataverse cannot take in an alternate-key value inside a URL, even percent-encoded
 * (the service decodes before routing). Values holding any of them are stored hashed.
 */
const URL_UNSAFE = /[/#<>*%&:\\?+]/;
/** Key columns are 100 characters wide in dataverse/tables.json. */
const MAX_KEY_LENGTH = 100;
const HASH_PREFIX = 'h_';
/** Characters that go into a URL key as they are: no quote to double, nothing to percent-encode. */
const PLAIN_KEY = /^[A-Za-z0-9_.~-]*$/;

/**
 * The value stored in a key column for `raw`: `raw` itself when a URL can carry it, otherwise
 * `h_` + the SHA-256 of `raw` (hex, 40 characters). Values that already start with `h_` are hashed
 * too, so a hashed value can never collide with a raw one. Deterministic, so every load, and every
 * lookup pointing at the row, computes the same key.
 */
export function toKeyValue(raw: string): string {
  // Control characters, quotes handled by escaping; leading/trailing spaces would be trimmed by the service.
  const needsHash =
    raw.length === 0 ||
    raw.length > MAX_KEY_LENGTH ||
    URL_UNSAFE.test(raw) ||
    raw.startsWith(HASH_PREFIX) ||
    raw.trim() !== raw ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(raw);
  if (!needsHash) return raw;
  return HASH_PREFIX + createHash('sha256').update(raw, 'utf8').digest('hex').slice(0, 40);
}

/** True when `value` can be used as a key value in a URL as it is. */
export function isUrlSafeKeyValue(value: string): boolean {
  return toKeyValue(value) === value;
}

/** An OData string literal: single quotes doubled, per the OData ABNF. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The key predicate of a URL, `(col='v')` or `(a='x',b=2)`, percent-encoded. Throws for a value the
 * service would not route: callers pass values from `toKeyValue`, so this is a programming error.
 */
export function keyPredicate(key: Record<string, string | number>): string {
  const parts = Object.entries(key).map(([column, value]) => {
    if (typeof value === 'number') return `${column}=${value}`;
    // Most keys (ids, hashes, line keys) need neither escaping nor encoding: skip both, since a load
    // builds this for every row's URL and lookups (encodeURIComponent leaves ' as it is).
    if (PLAIN_KEY.test(value)) return `${column}='${value}'`;
    if (URL_UNSAFE.test(value)) throw new Error(`key value for ${column} has characters a Dataverse URL key cannot carry`);
    return `${column}=${encodeURIComponent(odataString(value))}`;
  });
  return `(${parts.join(',')})`;
}

/** `pos_transactions(pos_hubid='...')`: a row by alternate key, for URLs and `@odata.bind`. */
export function rowReference(table: DataverseTable, keyValue: string): string {
  return `${table.entitySet}${keyPredicate({ [table.keyColumn]: keyValue })}`;
}
