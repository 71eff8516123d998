// shared/dataverse/requestWindow.ts: the client's own copy of the service's request-count window, so that
// once the limit is known it sends no request the service would refuse with 429 0x80072322.

/** The request-count limit: at most `requests` per sliding window of `windowMs` (Dataverse: 6000 per 300 s). */
export interface RequestLimit {
  requests: number;
  windowMs: number;
}

export interface RequestWindowStats {
  /** The limit the client paces by, once learned or configured; null until then. */
  limit: RequestLimit | null;
  /** Requests per window this client allows itself: the limit, or more when several servers take them. */
  budget: number | null;
  /** Own requests the window holds now: answered within the window, plus those in flight. */
  counted: number;
}

/** One request's place in the window, from when it is sent until it is answered. */
export interface WindowTicket {
  /** The answer arrived: `counted` false when the service refused it without counting it (a 429). */
  settle(counted: boolean): void;
}

export interface RequestWindow {
  /**
   * Milliseconds until one more request fits in the window: 0 when it fits now (always while no limit
   * is known), Infinity when only an answer to a request in flight can make room.
   */
  wait(): number;
  /** A request is being sent: it takes a place in the window until it is answered (and then W more). */
  open(): WindowTicket;
  /** The service refused a request for the request count: learn its limit and this client's share. */
  refused(limit: RequestLimit | null): void;
  stats(): RequestWindowStats;
}

/**
 * Reads the limit from the service's 0x80072322 message, which states it:
 * "Number of requests exceeded the limit of 6000 over time window of 300 seconds." Null when it does not.
 */
export function parseRequestLimit(message: string): RequestLimit | null {
  const m = /limit of ([\d,]+) over time window of ([\d,.]+) seconds/i.exec(message);
  if (!m) return null;
  const requests = Number(m[1]!.replace(/,/g, ''));
  const windowMs = Number(m[2]!.replace(/,/g, '')) * 1000;
  if (!Number.isInteger(requests) || requests < 1 || !Number.isFinite(windowMs) || windowMs <= 0) return null;
  return { requests, windowMs };
}

/** History kept while no limit is known: Dataverse's own window, so a limit learned later finds it all. */
const DEFAULT_HISTORY_MS = 300_000;
/** Accepted requests within the window, as a multiple of the stated limit, that only several servers explain. */
const SEVERAL_SERVERS = 1.5;
/** Bound on the history, whatever the window (Dataverse's 6000 per 300 s fits with room to spare). */
const MAX_HISTORY = 20_000;

/**
 * Why this is safe, i.e. never sends a request the service would count as over the limit when this
 * client is its only user: the service counts a request from its arrival, which lies between our send
 * and our reading of the answer. The window here stamps each request with the time its answer was read
 * (not later than the service's own stamp plus the round trip, never earlier), and counts requests in
 * flight too; so whenever it lets a request go, the service, seeing it arrive later still, finds at
 * most as many of ours in its window. The price is one round trip per reuse of a slot.
 *
 * Other clients of the same user (another instance, an earlier run of this one) spend the same
 * allowance unseen; then a request this window lets go may still be refused, and Retry-After holds
 * everything back as before. The budget is not cut to what this client held at such a refusal: a new
 * instance holds nothing while the window it meets is full of its predecessor's requests, which leave
 * within the window, and a cut budget would then hold it far below the limit for a whole window (5 min).
 *
 * The service enforces the limit per web server, and a client without the affinity cookie (fetch keeps
 * none) is spread over several. When the service had evidently accepted far more of ours within the
 * window than the stated limit, one server refused and the others had room: the budget is then what
 * was accepted, not the stated limit, so that pacing never caps the client below what it was getting.
 */
export function createRequestWindow(options: { limit?: RequestLimit; now?: () => number } = {}): RequestWindow {
  const now = options.now ?? Date.now;
  let limit: RequestLimit | null = options.limit ?? null;
  let budget: number | null = limit?.requests ?? null;
  // Answer times, ascending (answers are stamped with now(), which does not go back).
  const answered: number[] = [];
  let head = 0;
  let inFlight = 0;

  const horizon = () => limit?.windowMs ?? DEFAULT_HISTORY_MS;
  function prune(t: number): void {
    const from = t - horizon();
    while (head < answered.length && (answered[head]! <= from || answered.length - head > MAX_HISTORY)) head++;
    if (head > 1024 && head * 2 > answered.length) {
      answered.splice(0, head);
      head = 0;
    }
  }

  return {
    wait() {
      const t = now();
      prune(t);
      const allowed = budget;
      if (allowed === null || !limit) return 0;
      const live = answered.length - head;
      const excess = live + inFlight - allowed + 1;
      if (excess <= 0) return 0;
      // The `excess` oldest answers must leave the window; if they are not enough, an answer must come.
      if (excess > live) return Infinity;
      // Exactly a window after the answer: the service drops an arrival exactly a window old too.
      return Math.max(1, answered[head + excess - 1]! + limit.windowMs - t);
    },
    open() {
      inFlight++;
      let settled = false;
      return {
        settle(counted) {
          if (settled) return;
          settled = true;
          inFlight--;
          if (counted) answered.push(now());
        },
      };
    },
    refused(learned) {
      const t = now();
      if (learned) limit = learned;
      if (!limit) return;
      prune(t);
      const accepted = answered.length - head;
      // Answers are stamped late (by up to a round trip), so a little over the limit is still one server.
      if (accepted > limit.requests * SEVERAL_SERVERS) {
        budget = accepted;
        return;
      }
      budget = limit.requests;
    },
    stats() {
      const t = now();
      prune(t);
      return { limit, budget, counted: answered.length - head + inFlight };
    },
  };
}
