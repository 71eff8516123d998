// shared/model/boundedScopedMemo.ts: boundedMemo with its entries kept apart by a scope (a kind of
// value), so a lookup needs no key made by joining scope and value: a new joined string has to be
// flattened and hashed in full on every lookup, which was most of the cost of a remembered result.

export interface BoundedScopedMemo<V> {
  get(scope: string, key: string): V | undefined;
  /** Remembers `value` for `key` in `scope` and returns it. */
  set(scope: string, key: string, value: V): V;
  /** Entries in all scopes together. */
  readonly size: number;
}

/**
 * A memo that never holds more than `limit` entries in all its scopes together: when full it is emptied,
 * every scope at once, and starts again (as boundedMemo does), so memory stays flat.
 */
export function boundedScopedMemo<V>(limit: number): BoundedScopedMemo<V> {
  if (!(limit >= 1)) throw new RangeError(`memo limit must be at least 1: ${limit}`);
  const scopes = new Map<string, Map<string, V>>();
  let size = 0;
  return {
    get: (scope, key) => scopes.get(scope)?.get(key),
    set(scope, key, value) {
      if (size >= limit) {
        scopes.clear();
        size = 0;
      }
      let map = scopes.get(scope);
      if (!map) {
        map = new Map();
        scopes.set(scope, map);
      }
      const before = map.size;
      map.set(key, value);
      size += map.size - before;
      return value;
    },
    get size() {
      return size;
    },
  };
}
