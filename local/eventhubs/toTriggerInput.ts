// local/eventhubs/toTriggerInput.ts: what the Functions host hands an Event Hubs-triggered function:
// the input (bodies) and `context.triggerMetadata`, with the camel-cased keys the Node worker produces.
import type { PartitionContext, ReceivedEventData } from '@azure/event-hubs';

export interface TriggerInput {
  input: unknown;
  triggerMetadata: Record<string, unknown>;
}

/** cardinality 'many': one invocation for the whole batch. */
export function toBatchTriggerInput(events: ReceivedEventData[], partition: PartitionContext, dataType?: string): TriggerInput {
  return {
    input: events.map((e) => toBody(e.body, dataType)),
    triggerMetadata: {
      partitionContext: partitionContextOf(partition),
      offsetArray: events.map((e) => e.offset),
      sequenceNumberArray: events.map((e) => e.sequenceNumber),
      enqueuedTimeUtcArray: events.map((e) => e.enqueuedTimeUtc.toISOString()),
      // The host drops events without a key from this array, so it can be shorter than the batch.
      partitionKeyArray: events.map((e) => e.partitionKey).filter((k): k is string => typeof k === 'string' && k !== ''),
      propertiesArray: events.map((e) => e.properties ?? {}),
      systemPropertiesArray: events.map(systemPropertiesOf),
    },
  };
}

/** cardinality 'one': one invocation per event. */
export function toSingleTriggerInput(event: ReceivedEventData, partition: PartitionContext, dataType?: string): TriggerInput {
  return {
    input: toBody(event.body, dataType),
    triggerMetadata: {
      partitionContext: partitionContextOf(partition),
      offset: event.offset,
      sequenceNumber: event.sequenceNumber,
      enqueuedTimeUtc: event.enqueuedTimeUtc.toISOString(),
      ...(event.partitionKey ? { partitionKey: event.partitionKey } : {}),
      properties: event.properties ?? {},
      systemProperties: systemPropertiesOf(event),
    },
  };
}

/**
 * Bodies arrive as raw bytes (the consumer runs with skipParsingBodyAsJson, like the host): binary
 * bindings get the Buffer, others a string, parsed when it is JSON, as the Node worker does.
 */
export function toBody(body: unknown, dataType?: string): unknown {
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
    const bytes = Buffer.from(body);
    return dataType === 'binary' ? bytes : parseIfJson(bytes.toString('utf8'));
  }
  return typeof body === 'string' && dataType !== 'binary' ? parseIfJson(body) : body;
}

function parseIfJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function partitionContextOf(p: PartitionContext) {
  return {
    fullyQualifiedNamespace: p.fullyQualifiedNamespace,
    eventHubName: p.eventHubName,
    consumerGroup: p.consumerGroup,
    partitionId: p.partitionId,
  };
}

function systemPropertiesOf(e: ReceivedEventData): Record<string, unknown> {
  return {
    'x-opt-sequence-number': e.sequenceNumber,
    'x-opt-offset': e.offset,
    'x-opt-enqueued-time': e.enqueuedTimeUtc.toISOString(),
    ...(e.partitionKey ? { 'x-opt-partition-key': e.partitionKey } : {}),
    sequenceNumber: e.sequenceNumber,
    offset: e.offset,
    partitionKey: e.partitionKey ?? null,
    enqueuedTimeUtc: e.enqueuedTimeUtc.toISOString(),
    ...e.systemProperties,
  };
}
