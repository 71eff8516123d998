// shared/dataverse/concurrencyGate.ts: how many requests are in flight at once, adapted to the service.

/**
 * Dataverse's service protection allows 52 concurrent requests per user; one more is refused with
 * 429 0x80072326. This cap holds whatever the configuration or `x-ms-dop-hint` says.
 */
export const MAX_CONCURRENT_REQUESTS = 52;

export type ThrottleKind = 'requests' | 'executionTime' | 'concurrency';

export interface Permit {
  /** The gate's congestion generation when the permit was issued (see `throttled`). */
  readonly generation: number;
  release(): void;
}

export interface GateStats {
  limit: number;
  ceiling: number;
  inFlight: number;
  maxInFlight: number;
  queued: number;
  pausedUntil: number;
  decreases: number;
}

export interface ConcurrencyGate {
  acquire(): Promise<Permit>;
  /** A request came back fine; `dopHint` is the response's `x-ms-dop-hint`, when present. */
  succeeded(dopHint: number | null): void;
  /** The service throttled a request: stop sending until `retryAfterMs` passes, and maybe shrink. */
  throttled(kind: ThrottleKind, retryAfterMs: number, permit: Permit): void;
  stats(): GateStats;
}

export interface GateOptions {
  /** Upper bound from configuration; clamped to MAX_CONCURRENT_REQUESTS. */
  maxConcurrency?: number;
  /** Parallelism before the service has said anything (default 4). */
  initialConcurrency?: number;
  now?: () => number;
}

/**
 * AIMD, as TCP does it: start small and add one slot per success (doubling per round trip) until the
 * first sign of congestion, then halve and grow by one slot per round trip. A 429 for the request
 * count (0x80072322) only pauses: the budget is a rate, more or fewer parallel requests spend it the
 * same, and halving there would leave the allowance unused after each pause. Execution time and
 * concurrency 429s do shrink. One halving per congestion event: the other requests that were already
 * in flight come back throttled too and must not halve again.
 */
export function createConcurrencyGate(options: GateOptions = {}): ConcurrencyGate {
  const now = options.now ?? Date.now;
  const configured = Math.max(1, Math.min(MAX_CONCURRENT_REQUESTS, Math.floor(options.maxConcurrency ?? MAX_CONCURRENT_REQUESTS)));
  let ceiling = configured;
  let limit = Math.min(ceiling, Math.max(1, options.initialConcurrency ?? 4));
  let slowStart = true;
  let generation = 0;
  let decreases = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let pausedUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  const waiters: Array<(p: Permit) => void> = [];

  const slots = () => Math.max(1, Math.min(ceiling, Math.floor(limit)));

  function issue(): Permit {
    inFlight++;
    if (inFlight > maxInFlight) maxInFlight = inFlight;
    let released = false;
    return {
      generation,
      release() {
        if (released) return;
        released = true;
        inFlight--;
        pump();
      },
    };
  }

  function pump(): void {
    const wait = pausedUntil - now();
    if (wait > 0) {
      if (!timer && waiters.length) {
        timer = setTimeout(() => {
          timer = null;
          pump();
        }, wait);
      }
      return;
    }
    while (waiters.length && inFlight < slots()) waiters.shift()!(issue());
  }

  return {
    acquire() {
      return new Promise<Permit>((resolve) => {
        waiters.push(resolve);
        pump();
      });
    },
    succeeded(dopHint) {
      if (dopHint !== null && Number.isFinite(dopHint) && dopHint >= 1) {
        ceiling = Math.min(configured, Math.floor(dopHint));
        limit = Math.min(limit, ceiling);
      }
      limit = Math.min(ceiling, limit + (slowStart ? 1 : 1 / Math.max(1, limit)));
      pump();
    },
    throttled(kind, retryAfterMs, permit) {
      const until = now() + Math.max(0, retryAfterMs);
      if (until > pausedUntil) pausedUntil = until;
      if (kind !== 'requests' && permit.generation === generation) {
        generation++;
        decreases++;
        slowStart = false;
        limit = Math.max(1, Math.floor(limit / 2));
      }
      pump();
    },
    stats() {
      return { limit: slots(), ceiling, inFlight, maxInFlight, queued: waiters.length, pausedUntil, decreases };
    },
  };
}
