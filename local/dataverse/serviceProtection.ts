// local/dataverse/serviceProtection.ts: Dataverse's service protection limits, per user, as the service
// enforces them: requests and execution time over a sliding window, and concurrent requests.

export interface ServiceLimits {
  /** Requests accepted per sliding window (Dataverse: 6000 per 300 s). */
  requestsPerWindow: number;
  windowMs: number;
  /** Concurrent requests (Dataverse: 52). */
  maxConcurrent: number;
  /** Sent as `x-ms-dop-hint` on every answer, when set. */
  dopHint?: number;
  /** Combined execution time per window (Dataverse: 1,200,000 ms per 300 s); off when absent. */
  executionMsPerWindow?: number;
}

/** Dataverse's own limits, for a stand-in started without configuration. */
export const DATAVERSE_LIMITS: ServiceLimits = { requestsPerWindow: 6000, windowMs: 300_000, maxConcurrent: 52, executionMsPerWindow: 1_200_000 };

export type Admission =
  | { ok: true; release: (executionMs: number) => void }
  | { ok: false; code: string; message: string; retryAfterSeconds: number };

export interface ProtectionStats {
  inFlight: number;
  maxInFlight: number;
  accepted: number;
  throttled: Record<string, number>;
}

/**
 * Rejected requests do not count against the window (they did no work); accepted ones count from
 * their arrival. Retry-After is in whole seconds, as the service sends it, rounded up so a client that
 * honours it finds room.
 */
export function createServiceProtection(limits: ServiceLimits, now: () => number = Date.now) {
  const arrivals: number[] = [];
  let head = 0;
  const executions: Array<{ at: number; ms: number }> = [];
  let execHead = 0;
  let execTotal = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let accepted = 0;
  const throttled: Record<string, number> = {};

  const prune = (t: number) => {
    while (head < arrivals.length && arrivals[head]! <= t - limits.windowMs) head++;
    while (execHead < executions.length && executions[execHead]!.at <= t - limits.windowMs) execTotal -= executions[execHead++]!.ms;
    // Compact now and then instead of shifting on every request.
    if (head > 4096) {
      arrivals.splice(0, head);
      head = 0;
    }
    if (execHead > 4096) {
      executions.splice(0, execHead);
      execHead = 0;
    }
  };
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const reject = (code: string, message: string, retryAfterSeconds: number): Admission => {
    throttled[code] = (throttled[code] ?? 0) + 1;
    return { ok: false, code, message, retryAfterSeconds };
  };

  return {
    /** Call when a request arrives; on success call `release` exactly once when it is answered. */
    admit(): Admission {
      const t = now();
      prune(t);
      inFlight++;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      if (inFlight > limits.maxConcurrent) {
        inFlight--;
        return reject('0x80072326', `Number of concurrent requests exceeded the limit of ${limits.maxConcurrent}.`, 1);
      }
      if (arrivals.length - head >= limits.requestsPerWindow) {
        inFlight--;
        return reject(
          '0x80072322',
          `Number of requests exceeded the limit of ${limits.requestsPerWindow} over time window of ${limits.windowMs / 1000} seconds.`,
          seconds(arrivals[head]! + limits.windowMs - t),
        );
      }
      if (limits.executionMsPerWindow !== undefined && execTotal >= limits.executionMsPerWindow) {
        inFlight--;
        return reject(
          '0x80072321',
          `Combined execution time of incoming requests exceeded limit of ${limits.executionMsPerWindow} milliseconds over time window of ${limits.windowMs / 1000} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
          seconds(executions[execHead]!.at + limits.windowMs - t),
        );
      }
      arrivals.push(t);
      accepted++;
      let released = false;
      return {
        ok: true,
        release(executionMs) {
          if (released) return;
          released = true;
          inFlight--;
          executions.push({ at: now(), ms: executionMs });
          execTotal += executionMs;
        },
      };
    },
    stats(): ProtectionStats {
      return { inFlight, maxInFlight, accepted, throttled: { ...throttled } };
    },
    resetStats() {
      maxInFlight = inFlight;
      accepted = 0;
      for (const k of Object.keys(throttled)) delete throttled[k];
    },
  };
}

export type ServiceProtection = ReturnType<typeof createServiceProtection>;
