// local/eventhubs/selectorFilter.ts: where a receiver starts, from the selector filter the SDK attaches
// (`amqp.annotation.x-opt-offset > '-1'`, `x-opt-sequence-number >= '5'`, `x-opt-enqueued-time > '1700000000000'`,
// offset `@latest`). Returns the index (= sequence number) of the first event to deliver.
import type { StoredEvent } from './partitionLog';

const FILTER = /^\s*amqp\.annotation\.(x-opt-offset|x-opt-sequence-number|x-opt-enqueued-time)\s*(>=|>)\s*'([^']*)'\s*$/;

export function startIndexFromFilter(filter: string | undefined, events: readonly StoredEvent[]): number {
  // No filter: the service starts at the beginning of the retained stream.
  if (filter === undefined) return 0;
  const m = FILTER.exec(filter);
  if (!m) throw new Error(`unsupported selector filter: ${filter}`);
  const [, field, op, raw] = m as unknown as [string, string, string, string];
  if (field === 'x-opt-offset' && raw === '@latest') return events.length;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`invalid value in selector filter: ${filter}`);
  const key = (e: StoredEvent) =>
    field === 'x-opt-offset' ? e.offset : field === 'x-opt-sequence-number' ? e.sequenceNumber : e.enqueuedTimeMs;
  return firstIndex(events, (e) => (op === '>=' ? key(e) >= value : key(e) > value));
}

/** Binary search for the first event satisfying a predicate that is monotonic over the log. */
function firstIndex(events: readonly StoredEvent[], matches: (e: StoredEvent) => boolean): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (matches(events[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
