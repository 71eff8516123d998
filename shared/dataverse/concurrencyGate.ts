// shared/dataverse/concurrencyGate.ts: when a request may go: how many are in flight at once, adapted to
// the service, paused for Retry-After, and paced by the client's copy of the request-count window.
import { createRequestWindow, type RequestLimit, type RequestWindowStats, type WindowTicket } from './requestWindow';

/**
 * Dataverse's service protection allows 52 concurrent requests per user; one more is refused with
 * 429 0x80072326. This cap holds whatever the configuration or `x-ms-dop-hint` says.
 */
export const MAX_CONCURRENT_REQUESTS = 52;

export type ThrottleKind = 'requests' | 'executionTime' | 'concurrency';

export interface Permit {
  /** The gate's congestion generation when the permit was issued (see `throttled`). */
  readonly generation: number;
  /** Sent and answered (or failed): the request counts in the window from now. */
  release(): void;
  /** The place the request held in the request-count window (refused requests leave it at once). */
  readonly ticket: WindowTicket;
}

export interface GateStats {
  limit: number;
  ceiling: number;
  inFlight: number;
  maxInFlight: number;
  queued: number;
  pausedUntil: number;
  decreases: number;
  window: RequestWindowStats;
  /** Times the gate held requests back for room in the request-count window rather than send them into a 429. */
  paced: number;
}

export interface ConcurrencyGate {
  acquire(): Promise<Permit>;
  /** A request came back fine; `dopHint` is the response's `x-ms-dop-hint`, when present. */
  succeeded(dopHint: number | null): void;
  /**
   * The service throttled a request: stop sending until `retryAfterMs` passes, and maybe shrink.
   * `limit` is the request-count limit the service stated, when it did (0x80072322 says it).
   */
  throttled(kind: ThrottleKind, retryAfterMs: number, permit: Permit, limit?: RequestLimit | null): void;
  stats(): GateStats;
}

export interface GateOptions {
  /** Upper bound from configuration; clamped to MAX_CONCURRENT_REQUESTS. */
  maxConcurrency?: number;
  /** Parallelism before the service has said anything (default 4). */
  initialConcurrency?: number;
  /** The request-count limit, when known in advance; otherwise learned from the first 0x80072322. */
  requestLimit?: RequestLimit;
  now?: () => number;
}

/**
 * AIMD, as TCP does it: start small and add one slot per success (doubling per round trip) until the
 * first sign of congestion, then halve and grow by one slot per round trip. A 429 for the request
 * count (0x80072322) only pauses: the budget is a rate, more or fewer parallel requests spend it the
 * same, and halving there would leave the allowance unused after each pause. Execution time and
 * concurrency 429s do shrink. One halving per congestion event: the other requests that were already
 * in flight come back throttled too and must not halve again.
 *
 * A request-count 429 also teaches the limit (see requestWindow): from then on a request waits for room
 * in the client's copy of the window instead of being sent into another 429. Otherwise every refusal
 * costs a whole Retry-After (whole seconds; the service's window often has room again within
 * milliseconds), and the requests parked meanwhile leave together and hit the limit together.
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
  let timerAt = Infinity;
  let paced = 0;
  let pacing = false;
  const waiters: Array<(p: Permit) => void> = [];
  const window = createRequestWindow({ limit: options.requestLimit, now });

  const slots = () => Math.max(1, Math.min(ceiling, Math.floor(limit)));

  function issue(): Permit {
    inFlight++;
    if (inFlight > maxInFlight) maxInFlight = inFlight;
    let released = false;
    const ticket = window.open();
    return {
      generation,
      ticket,
      release() {
        if (released) return;
        released = true;
        inFlight--;
        ticket.settle(true);
        pump();
      },
    };
  }

  /** Wakes pump at `at`, unless a wake-up no later than that is already set. */
  function wakeAt(at: number): void {
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = null;
      timerAt = Infinity;
      pump();
    }, Math.max(1, at - now()));
  }

  function pump(): void {
    while (waiters.length && inFlight < slots()) {
      const t = now();
      if (pausedUntil > t) return wakeAt(pausedUntil);
      const wait = window.wait();
      if (wait > 0) {
        if (!pacing) paced++;
        pacing = true;
        // Infinity: only an answer makes room, and every answer pumps.
        if (wait !== Infinity) wakeAt(t + wait);
        return;
      }
      pacing = false;
      waiters.shift()!(issue());
    }
    // Nobody waits: a wake-up left set (up to a whole window away) would only keep the process alive.
    if (!waiters.length && timer) {
      clearTimeout(timer);
      timer = null;
      timerAt = Infinity;
    }
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
    throttled(kind, retryAfterMs, permit, stated) {
      // Refused requests do not count against the service's window: leave ours before learning from it.
      permit.ticket.settle(false);
      if (kind === 'requests') window.refused(stated ?? null);
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
      return { limit: slots(), ceiling, inFlight, maxInFlight, queued: waiters.length, pausedUntil, decreases, window: window.stats(), paced };
    },
  };
}
