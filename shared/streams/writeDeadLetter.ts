// shared/streams/writeDeadLetter.ts: an event the hub cannot ingest, kept with the reason. In Azure the
// trigger checkpoints after every batch, failed or not, so an event not kept here would be skipped for
// good. The blob name is the event's position (partition and sequence number) under its enqueued date:
// a redelivered event finds its blob (create-only) instead of writing a second one.
import type { ContainerClient } from '@azure/storage-blob';
import { isStatus } from '../lake/blobBytes';
import { scrubCardData } from '../privacy/cardNumbers';
import { eventBytes, type RejectedEvent, type StreamTriggerBatch } from './groupStreamEvents';

export function deadLetterBlobName(enqueuedTimeUtc: string, partitionId: string, sequenceNumber: number): string {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(enqueuedTimeUtc)?.[0] ?? 'unknown-date';
  return `deadletter/eventhubs/${date}/${partitionId}-${sequenceNumber}.json`;
}

function formatOf(text: string): 'json' | 'xml' | 'text' {
  const start = text.trimStart()[0];
  return start === '<' ? 'xml' : start === '{' || start === '[' ? 'json' : 'text';
}

/** The document stored: the error, where the event was, its properties and its body, card data masked. */
export function toDeadLetter(batch: StreamTriggerBatch, rejected: RejectedEvent): Record<string, unknown> {
  const { event, error } = rejected;
  // Lossy decoding on purpose: an unreadable body is kept as far as it can be read, never dropped.
  const body = eventBytes(event.body).toString('utf8');
  const properties = JSON.parse(scrubCardData(JSON.stringify(event.properties ?? {}), 'json').text) as unknown;
  return {
    error,
    eventHub: batch.eventHub,
    consumerGroup: batch.consumerGroup,
    partitionId: batch.partitionId,
    sequenceNumber: event.sequenceNumber,
    offset: event.offset,
    enqueuedTimeUtc: event.enqueuedTimeUtc,
    properties,
    body: scrubCardData(body, formatOf(body)).text,
  };
}

export async function writeDeadLetter(lake: ContainerClient, batch: StreamTriggerBatch, rejected: RejectedEvent): Promise<string> {
  const name = deadLetterBlobName(rejected.event.enqueuedTimeUtc, batch.partitionId, rejected.event.sequenceNumber);
  const doc = Buffer.from(JSON.stringify(toDeadLetter(batch, rejected), null, 2) + '\n', 'utf8');
  try {
    await lake.getBlockBlobClient(name).uploadData(doc, {
      conditions: { ifNoneMatch: '*' },
      blobHTTPHeaders: { blobContentType: 'application/json' },
      metadata: { errorcode: rejected.error.code },
    });
  } catch (err) {
    // Already dead-lettered by an earlier delivery of the same event.
    if (!isStatus(err, 409, 412)) throw err;
  }
  return name;
}
