// shared/model/boundedMemo.ts: a memo for hot pure functions over unbounded inputs (phone numbers,
// customer references). It never grows past its limit: when full it is emptied and starts again, so
// memory stays flat over millions of records while repeated inputs still hit.

export interface BoundedMemo<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
  /** Remembers `value` for `key` and returns it. */
  set(key: string, value: V): V;
  readonly size: number;
}

export function boundedMemo<V>(limit: number): BoundedMemo<V> {
  if (!(limit >= 1)) throw new RangeError(`memo limit must be at least 1: ${limit}`);
  const map = new Map<string, V>();
  return {
    get: (key) => map.get(key),
    has: (key) => map.has(key),
    set(key, value) {
      if (map.size >= limit) map.clear();
      map.set(key, value);
      return value;
    },
    get size() {
      return map.size;
    },
  };
}
