// functions/ingestStream.ts: POS streams on Event Hubs. One invocation per trigger batch; its events are
// grouped per source into few ingest batches, bad events dead-lettered (shared/streams, docs/webhooks.md).
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { ingestServicesFor } from '../shared/ingest/ingestServices';
import { deadLetterEvent } from '../shared/platform/operationEvents';
import type { StreamEvent } from '../shared/streams/groupStreamEvents';
import { ingestStreamBatch } from '../shared/streams/ingestStreamBatch';
import { logOperationEvent } from './logOperationEvent';
import { streamAcceptDeps } from './streamAcceptDeps';

interface BatchMetadata {
  partitionContext?: { eventHubName?: string; consumerGroup?: string; partitionId?: string };
  sequenceNumberArray?: number[];
  offsetArray?: (string | number)[];
  enqueuedTimeUtcArray?: string[];
  propertiesArray?: Record<string, unknown>[];
}

async function ingestStream(bodies: unknown[], context: InvocationContext) {
  const services = ingestServicesFor(process.env);
  const { settings } = services;
  const m = (context.triggerMetadata ?? {}) as BatchMetadata;
  const events: StreamEvent[] = bodies.map((body, i) => ({
    body,
    properties: m.propertiesArray?.[i] ?? {},
    sequenceNumber: Number(m.sequenceNumberArray?.[i]),
    offset: String(m.offsetArray?.[i] ?? ''),
    enqueuedTimeUtc: String(m.enqueuedTimeUtcArray?.[i] ?? new Date().toISOString()),
  }));
  const result = await ingestStreamBatch(
    await streamAcceptDeps(services, context),
    {
      eventHub: m.partitionContext?.eventHubName ?? settings.eventHubs.transactionsHub,
      consumerGroup: m.partitionContext?.consumerGroup ?? settings.eventHubs.consumerGroup,
      partitionId: m.partitionContext?.partitionId ?? 'unknown',
      events,
    },
    new Date(),
  );
  for (const d of result.deadLettered) logOperationEvent(context, deadLetterEvent(d));
}

// The host resolves %NAME% from app settings (Bicep sets both); a local run without them (npm start
// with no settings file) listens on the documented defaults instead of failing to start.
const bound = (name: string, fallback: string) => (process.env[name] ? `%${name}%` : fallback);

app.eventHub('ingestStream', {
  eventHubName: bound('POS_HUB_EVENTHUB_NAME', 'pos-transactions'),
  consumerGroup: bound('POS_HUB_EVENTHUB_CONSUMER_GROUP', '$Default'),
  connection: 'EventHubConnection',
  cardinality: 'many',
  // Bytes, not bodies the worker parsed: a JSON.parse would round ids beyond 2^53.
  ...{ dataType: 'binary' },
  // The trigger checkpoints even after a failed invocation: retry here, so an event that could be
  // neither accepted nor dead-lettered (storage down) is not skipped.
  retry: { strategy: 'exponentialBackoff', maxRetryCount: -1, minimumInterval: 5_000, maximumInterval: 300_000 },
  extraInputs: [df.input.durableClient()],
  handler: (events, context) => ingestStream(events as unknown[], context),
});
