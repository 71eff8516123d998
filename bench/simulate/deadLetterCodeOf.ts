// bench/simulate/deadLetterCodeOf.ts: what the hub's Event Hubs trigger will make of one event on its own,
// worked out with the hub's own pure grouping (groupStreamEvents: source and media type properties,
// size, UTF-8, readability): null when it will be ingested, else the error code of its dead letter.
// Each event is checked alone there, so a one-event batch gives the same verdict as any real one.
import { groupStreamEvents } from '../../shared/streams/groupStreamEvents';

// The hub's default POS_HUB_MAX_BODY_BYTES (4 MiB); simulated payloads are far below it.
const MAX_EVENT_BYTES = 4 * 1024 * 1024;

export function deadLetterCodeOf(body: string, properties: Readonly<Record<string, string>>): string | null {
  const { rejected } = groupStreamEvents(
    {
      eventHub: 'pos-transactions',
      consumerGroup: '$Default',
      partitionId: '0',
      events: [
        {
          body: Buffer.from(body, 'utf8'),
          properties,
          sequenceNumber: 0,
          offset: '0',
          enqueuedTimeUtc: new Date(0).toISOString(),
        },
      ],
    },
    { maxEventBytes: MAX_EVENT_BYTES, maxBatchBytes: MAX_EVENT_BYTES },
  );
  return rejected[0]?.error.code ?? null;
}
