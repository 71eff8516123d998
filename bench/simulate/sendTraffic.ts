// bench/simulate/sendTraffic.ts: sends a plan at its rate, the way POS clients behave: a request whose
// connection dies (hub restarting, network blip) or that gets a 5xx, 408 or 429 is sent again, the same
// bytes, with backoff, until it has an answer or its retry budget is spent. Resending is safe because
// the hub's answer to the same body (or vendor event) is the same batch. Records every final answer.
// Planned events go to the hub's Event Hub instead (sendEvents), at the same pace.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PlannedRequest } from './planTraffic';
import { createEventSender, type EventHubsTarget, type EventSender } from './sendEvents';
import { signRequest, type Credentials, type FirstSend } from './signRequest';

export interface Target {
  baseUrl: string;
  credentials: Credentials;
  /** The hub's Event Hub, for planned events; absent when none can be sent. */
  eventHubs?: EventHubsTarget;
  /**
   * Where the hub is now, re-read after a connection failed (a restarted local runtime may listen on
   * another port); null when unknown (keep the last).
   */
  refresh?: () => { baseUrl: string; functionKey: string; eventHubsConnectionString?: string | null } | null;
}

export interface SendOptions {
  rate: number;
  /** Requests in flight at most (a POS estate has many clients, but not unbounded). */
  concurrency?: number;
  /** How long one request keeps being retried before it is given up. */
  retryForMs?: number;
  attemptTimeoutMs?: number;
  /** Called after each request's final answer (tests use it to pick moments to kill the hub). */
  onAnswer?: (result: SendResult) => void;
  /** Stops the run: nothing new is sent, retries end (their requests count as given up). */
  signal?: AbortSignal;
}

export interface SendResult {
  n: number;
  /** Final HTTP status; null when every attempt failed to connect within the retry budget, and for events. */
  status: number | null;
  /** Events only: the Event Hub took it (the hub answers nothing more to a producer). */
  enqueued?: boolean;
  batchId: string | null;
  /** The problem type URN of a 4xx answer; for an event the Event Hub did not take, why. */
  problemType: string | null;
  attempts: number;
  connectionFailures: number;
  /** Retryable statuses answered on the way (5xx, 408, 429). */
  retriedStatuses: number[];
  /** Time from sending the answered attempt to its answer (events: from queueing to the batch sent). */
  ackMs: number | null;
  /** Time from the first attempt to the final answer, retries included. */
  elapsedMs: number;
}

const RETRYABLE = (status: number) => status >= 500 || status === 408 || status === 429;

async function answerOf(res: Response): Promise<{ batchId: string | null; problemType: string | null }> {
  const text = await res.text();
  try {
    const json = JSON.parse(text) as { batchId?: unknown; type?: unknown };
    return {
      batchId: typeof json.batchId === 'string' ? json.batchId : null,
      problemType: typeof json.type === 'string' ? json.type : null,
    };
  } catch {
    return { batchId: null, problemType: null };
  }
}

export interface SentTraffic {
  requests: PlannedRequest[];
  /** By request number. */
  results: SendResult[];
  /** Event Hubs batches sent (0 when the plan had no events). */
  eventBatches: number;
}

/** Sends the requests in order, request n at n / rate seconds after the start. */
export async function sendTraffic(
  planned: Iterable<PlannedRequest>,
  target: Target,
  options: SendOptions,
): Promise<SentTraffic> {
  const concurrency = options.concurrency ?? 16;
  const retryForMs = options.retryForMs ?? 120_000;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
  let where = { baseUrl: target.baseUrl, credentials: target.credentials };
  const firstSends = new Map<number, FirstSend>();
  const requests: PlannedRequest[] = [];
  const results: SendResult[] = [];

  async function sendOne(r: PlannedRequest): Promise<SendResult> {
    const started = Date.now();
    const result: SendResult = {
      n: r.n,
      status: null,
      batchId: null,
      problemType: null,
      attempts: 0,
      connectionFailures: 0,
      retriedStatuses: [],
      ackMs: null,
      elapsedMs: 0,
    };
    const firstOf = r.duplicateOf ?? r.n;
    for (let attempt = 0; ; attempt++) {
      const now = new Date();
      const out = signRequest(r, where.baseUrl, where.credentials, now, firstSends.get(firstOf));
      if (!firstSends.has(firstOf)) firstSends.set(firstOf, { body: out.body, sentAt: now });
      result.attempts++;
      const t0 = performance.now();
      try {
        const res = await fetch(out.url, {
          method: 'POST',
          headers: out.headers,
          body: out.body,
          signal: AbortSignal.timeout(attemptTimeoutMs),
        });
        const answer = await answerOf(res);
        if (!RETRYABLE(res.status)) {
          Object.assign(result, { status: res.status, ...answer, ackMs: performance.now() - t0 });
          break;
        }
        result.retriedStatuses.push(res.status);
      } catch {
        // Refused, reset, timed out: the hub may or may not have stored it; the same bytes are safe to resend.
        result.connectionFailures++;
        const fresh = target.refresh?.();
        if (fresh)
          where = {
            baseUrl: fresh.baseUrl,
            credentials: { ...where.credentials, functionKey: fresh.functionKey },
          };
      }
      if (Date.now() - started > retryForMs || options.signal?.aborted) break;
      await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random() / 2));
    }
    result.elapsedMs = Date.now() - started;
    return result;
  }

  let events = null as EventSender | null;
  function eventSender(): EventSender {
    if (!target.eventHubs)
      throw new Error('the plan has Event Hubs events but no Event Hubs connection string was given');
    return (events ??= createEventSender(target.eventHubs, {
      retryForMs,
      signal: options.signal,
      refresh: () => target.refresh?.()?.eventHubsConnectionString ?? null,
    }));
  }

  async function sendEvent(r: PlannedRequest): Promise<SendResult> {
    const started = Date.now();
    const o = await eventSender().send(r);
    return {
      n: r.n,
      status: null,
      enqueued: o.enqueued,
      batchId: null,
      problemType: o.error,
      attempts: o.attempts,
      connectionFailures: o.failures,
      retriedStatuses: [],
      ackMs: o.sendMs,
      elapsedMs: Date.now() - started,
    };
  }

  const t0 = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (const r of planned) {
    if (options.signal?.aborted) break;
    requests.push(r);
    const due = t0 + (r.n * 1000) / options.rate;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (options.signal?.aborted) {
      requests.pop();
      break;
    }
    const p: Promise<void> = (r.via === 'eventhubs' ? sendEvent(r) : sendOne(r)).then((res) => {
      results[r.n] = res;
      inFlight.delete(p);
      options.onAnswer?.(res);
    });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  await events?.close();
  return { requests, results, eventBatches: events?.batchesSent ?? 0 };
}
