// bench/simulate/sendEvents.ts: sends planned events to the hub's Event Hub with the real producer client,
// the way a POS streaming gateway does: events are gathered for a few milliseconds per store (the
// partition key, so one store's events stay in order) and sent in batches (createBatch/tryAdd). A batch
// that fails (hub restarting, network blip) is sent again until its retry budget is spent; after a
// failure the connection string is looked up again (a restarted local runtime listens on another port).
// A resent batch may duplicate events the hub already has: that is at-least-once delivery, which the hub
// must absorb (its loads are idempotent by transaction id). The connection string is never printed.
import { EventHubProducerClient, type EventData } from '@azure/event-hubs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PlannedRequest } from './planTraffic';

export interface EventHubsTarget {
  /** A connection string with Send rights on the hub (or its namespace). */
  connectionString: string;
  hubName: string;
}

export interface EventOutcome {
  enqueued: boolean;
  /** Sends of a batch holding this event. */
  attempts: number;
  failures: number;
  /** From handing the event over to the Event Hub taking its batch. */
  sendMs: number | null;
  /** Why it was not enqueued (no secret in it). */
  error: string | null;
}

export interface EventSenderOptions {
  retryForMs: number;
  /** The connection string now, after a failure; null when unknown (keep the last). */
  refresh?: () => string | null;
  /** How long events wait for company before their batch goes (default 20 ms). */
  lingerMs?: number;
  /** Events per batch at most (default 100); a batch also ends when tryAdd says it is full. */
  maxEvents?: number;
  signal?: AbortSignal;
}

export interface EventSender {
  send(r: PlannedRequest): Promise<EventOutcome>;
  /** Sends what is waiting, then closes the connection. */
  close(): Promise<void>;
  /** Batches the Event Hub took. */
  readonly batchesSent: number;
}

interface Pending {
  event: EventData;
  queuedAt: number;
  outcome: EventOutcome;
  resolve: (o: EventOutcome) => void;
}

// The SDK's default is 3 retries 30 s apart; the sender's own loop retries with short backoff instead.
const RETRY_OPTIONS = { maxRetries: 1, retryDelayInMs: 200 };

export function createEventSender(target: EventHubsTarget, options: EventSenderOptions): EventSender {
  const lingerMs = options.lingerMs ?? 20;
  const maxEvents = options.maxEvents ?? 100;
  let connectionString = target.connectionString;
  let producer = new EventHubProducerClient(connectionString, target.hubName, {
    retryOptions: RETRY_OPTIONS,
  });
  let batchesSent = 0;
  const queues = new Map<string, Pending[]>();
  const timers = new Map<string, NodeJS.Timeout>();
  const chains = new Map<string, Promise<void>>();

  async function reconnect(): Promise<void> {
    const fresh = options.refresh?.();
    if (!fresh || fresh === connectionString) return;
    const old = producer;
    connectionString = fresh;
    producer = new EventHubProducerClient(connectionString, target.hubName, { retryOptions: RETRY_OPTIONS });
    await old.close().catch(() => undefined);
  }

  /** Sends `items` in as few batches as fit, each retried until sent or out of budget. */
  async function sendAll(partitionKey: string, items: Pending[]): Promise<void> {
    const started = Date.now();
    let rest = items;
    for (let attempt = 0; rest.length > 0;) {
      const taken: Pending[] = [];
      try {
        const batch = await producer.createBatch(partitionKey ? { partitionKey } : {});
        for (const p of rest) {
          if (taken.length >= maxEvents || !batch.tryAdd(p.event)) break;
          taken.push(p);
        }
        if (taken.length === 0) {
          // Too big for any batch: the Event Hub would refuse it however often it is sent.
          finish(rest[0]!, false, `the event is larger than a batch may be (${batch.maxSizeInBytes} bytes)`);
          rest = rest.slice(1);
          continue;
        }
        for (const p of taken) p.outcome.attempts++;
        await producer.sendBatch(batch);
        batchesSent++;
        for (const p of taken) finish(p, true, null);
        rest = rest.slice(taken.length);
        attempt = 0;
      } catch (err) {
        for (const p of taken) p.outcome.failures++;
        if (Date.now() - started > options.retryForMs || options.signal?.aborted) {
          const why = `not sent within the retry budget: ${err instanceof Error ? err.name : 'error'}`;
          for (const p of rest) finish(p, false, why);
          return;
        }
        await reconnect();
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt++, 5)) * (0.5 + Math.random() / 2));
      }
    }
  }

  function finish(p: Pending, enqueued: boolean, error: string | null): void {
    p.outcome.enqueued = enqueued;
    p.outcome.error = error;
    if (enqueued) p.outcome.sendMs = Date.now() - p.queuedAt;
    p.resolve(p.outcome);
  }

  /** One flush at a time per partition key, so a store's events keep their order. */
  function flush(key: string): Promise<void> {
    clearTimeout(timers.get(key));
    timers.delete(key);
    const next = (chains.get(key) ?? Promise.resolve()).then(async () => {
      const items = queues.get(key) ?? [];
      queues.delete(key);
      if (items.length > 0) await sendAll(key, items);
    });
    chains.set(key, next);
    return next;
  }

  return {
    get batchesSent() {
      return batchesSent;
    },
    send(r) {
      const key = r.properties?.storeId ?? '';
      return new Promise<EventOutcome>((resolve) => {
        const queue = queues.get(key) ?? [];
        queue.push({
          event: {
            body: Buffer.from(r.body, 'utf8'),
            contentType: r.contentType,
            properties: { ...r.properties },
          },
          queuedAt: Date.now(),
          outcome: { enqueued: false, attempts: 0, failures: 0, sendMs: null, error: null },
          resolve,
        });
        queues.set(key, queue);
        if (queue.length >= maxEvents) void flush(key);
        else if (!timers.has(key))
          timers.set(
            key,
            setTimeout(() => void flush(key), lingerMs),
          );
      });
    },
    async close() {
      await Promise.all([...queues.keys()].map(flush));
      await Promise.all(chains.values());
      await producer.close();
    },
  };
}
