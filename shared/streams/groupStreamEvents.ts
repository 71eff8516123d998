// shared/streams/groupStreamEvents.ts: one Event Hubs trigger batch into few ingest batches. Events are
// grouped per source (and store) into one NDJSON body each instead of one orchestration per event; XML
// and CSV payloads, and JSON arrays, cannot be concatenated line-wise and make one batch each. Every
// event is checked on its own first, so one bad event is set aside (dead-lettered) without holding up
// the others. Pure: no I/O, so the same trigger batch always gives the same batches and ids.
import { createHash } from 'node:crypto';
import { checkReadable } from '../ingest/checkReadable';
import { acceptedMediaType } from '../ingest/bodyFormat';
import type { SourceName } from '../model';
import { textFormatOf } from '../pipeline/transformPayload';
import { scrubCardData } from '../privacy/cardNumbers';
import { adapterFor } from '../sources/registry';

export interface StreamEvent {
  /** Bytes (binary binding), text, or a value the worker already parsed from JSON. */
  body: unknown;
  properties: Readonly<Record<string, unknown>>;
  sequenceNumber: number;
  offset: string;
  enqueuedTimeUtc: string;
}

export interface StreamTriggerBatch {
  eventHub: string;
  consumerGroup: string;
  partitionId: string;
  events: readonly StreamEvent[];
}

export interface IngestGroup {
  source: SourceName;
  storeId: string | null;
  contentType: string;
  /** Scrubbed text of the events, one per line for JSON. */
  body: string;
  /** Derived from the partition and the events' sequence numbers: a redelivered trigger batch maps to the same batch ids. */
  idempotencyKey: string;
  events: readonly StreamEvent[];
}

export interface RejectedEvent {
  event: StreamEvent;
  error: { code: string; message: string };
}

export interface GroupedEvents {
  groups: IngestGroup[];
  rejected: RejectedEvent[];
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The event body's bytes; a value the worker parsed is serialized back (bind with dataType binary to avoid that). */
export function eventBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
}

function keyOf(batch: StreamTriggerBatch, group: { source: string; storeId: string | null; kind: string }, events: readonly StreamEvent[]): string {
  const first = events[0]!.sequenceNumber;
  const last = events[events.length - 1]!.sequenceNumber;
  // Hub, consumer group and store id may hold characters an Idempotency-Key may not: they go into a hash.
  const scope = createHash('sha256')
    .update(JSON.stringify([batch.eventHub, batch.consumerGroup, group.source, group.storeId, group.kind, events.map((e) => e.sequenceNumber)]))
    .digest('hex')
    .slice(0, 24);
  return `eventhubs:${batch.partitionId}:${first}-${last}:${scope}`;
}

interface Checked {
  event: StreamEvent;
  source: SourceName;
  storeId: string | null;
  text: string;
  /** A single JSON object that can be one NDJSON line. */
  line: boolean;
  bytes: number;
}

function check(event: StreamEvent, maxEventBytes: number): Checked | RejectedEvent {
  const reject = (code: string, message: string): RejectedEvent => ({ event, error: { code, message } });
  const sourceName = text(event.properties.source);
  if (!sourceName) return reject('missing-source', 'the event has no `source` application property');
  const adapter = adapterFor(sourceName);
  if (!adapter) return reject('unknown-source', `no source named "${sourceName.slice(0, 64)}"`);
  const contentType = text(event.properties.contentType);
  if (contentType && !acceptedMediaType(adapter.name, contentType)) {
    return reject('unsupported-media-type', `${adapter.name} payloads cannot be ${contentType.slice(0, 100)}`);
  }
  const bytes = eventBytes(event.body);
  if (bytes.length > maxEventBytes) return reject('body-too-large', `the event body has ${bytes.length} bytes; at most ${maxEventBytes} are accepted`);
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return reject('malformed-body', 'the event body is not valid UTF-8');
  }
  const format = textFormatOf(adapter.name);
  const scrubbed = scrubCardData(decoded, format).text;
  const readable = checkReadable(adapter.name, adapter, scrubbed);
  if (!readable.ok) return reject(readable.problem.type.replace(/^urn:pos-hub:problem:/, ''), readable.problem.detail);
  const trimmed = scrubbed.trim();
  // Raw line breaks in JSON text are whitespace only (inside strings they are escaped): joining the lines
  // makes any single object one NDJSON line without re-serializing it (which would round big ids).
  const line = format === 'json' && readable.payloads === 1 && trimmed.startsWith('{');
  return { event, source: adapter.name, storeId: text(event.properties.storeId), text: line ? trimmed.replace(/[\r\n]+/g, ' ') : trimmed, line, bytes: Buffer.byteLength(trimmed) };
}

const MEDIA_TYPE = { xml: 'application/xml', text: 'text/csv', json: 'application/json' } as const;

/**
 * Groups a trigger batch. `maxBatchBytes` bounds each group's body (ingest's body limit); a group that
 * would exceed it is split, in sequence order.
 */
export function groupStreamEvents(batch: StreamTriggerBatch, limits: { maxEventBytes: number; maxBatchBytes: number }): GroupedEvents {
  const rejected: RejectedEvent[] = [];
  const groups: IngestGroup[] = [];
  const open = new Map<string, Checked[]>();
  const openBytes = new Map<string, number>();

  const close = (key: string) => {
    const members = open.get(key);
    if (!members?.length) return;
    const { source, storeId } = members[0]!;
    const events = members.map((m) => m.event);
    // A producer's resend (the same bytes again) that lands in the same trigger batch is one payload:
    // in one NDJSON body it would be read as a second copy and quarantined as `duplicate.in_batch`.
    // The resend stays among the group's events (for the batch id and any dead letter).
    const lines = [...new Set(members.map((m) => m.text))];
    groups.push({
      source,
      storeId,
      contentType: lines.length > 1 ? 'application/x-ndjson' : 'application/json',
      body: lines.join('\n') + '\n',
      idempotencyKey: keyOf(batch, { source, storeId, kind: 'ndjson' }, events),
      events,
    });
    open.delete(key);
    openBytes.delete(key);
  };

  for (const event of batch.events) {
    const c = check(event, limits.maxEventBytes);
    if ('error' in c) {
      rejected.push(c);
      continue;
    }
    if (!c.line) {
      groups.push({
        source: c.source,
        storeId: c.storeId,
        contentType: MEDIA_TYPE[textFormatOf(c.source)],
        body: c.text,
        idempotencyKey: keyOf(batch, { source: c.source, storeId: c.storeId, kind: 'single' }, [event]),
        events: [event],
      });
      continue;
    }
    const key = JSON.stringify([c.source, c.storeId]);
    if ((openBytes.get(key) ?? 0) + c.bytes + 1 > limits.maxBatchBytes) close(key);
    const members = open.get(key) ?? [];
    members.push(c);
    open.set(key, members);
    openBytes.set(key, (openBytes.get(key) ?? 0) + c.bytes + 1);
  }
  for (const key of [...open.keys()]) close(key);
  return { groups, rejected };
}
