// local/eventhubs/annotateEvent.ts: stamps an event with what the service adds on enqueue. Every other
// section keeps the producer's exact bytes, so body, properties and application properties arrive as sent.
import { types } from 'rhea';
import { MESSAGE_ANNOTATIONS, encodeMapSection, mapEntries, readSections } from './amqpSections';
import { PARTITION_KEY } from './unpackTransfer';

export interface SystemProperties {
  sequenceNumber: number;
  /** Offsets are strings on the wire (service and SDK 6 treat them as opaque). */
  offset: string;
  enqueuedTimeMs: number;
  partitionKey?: string;
}

const SERVICE_KEYS = new Set(['x-opt-sequence-number', 'x-opt-offset', 'x-opt-enqueued-time', PARTITION_KEY]);

export function annotateEvent(encoded: Buffer, sys: SystemProperties): Buffer {
  const sections = readSections(encoded);
  const existing = sections.find((s) => s.code === MESSAGE_ANNOTATIONS);
  const items: unknown[] = [];
  for (const e of existing ? mapEntries(existing) : []) {
    if (!SERVICE_KEYS.has(e.key)) items.push(e.typedKey, e.typedValue);
  }
  items.push(types.wrap_symbol('x-opt-sequence-number'), types.wrap_long(sys.sequenceNumber));
  items.push(types.wrap_symbol('x-opt-offset'), types.wrap_string(sys.offset));
  items.push(types.wrap_symbol('x-opt-enqueued-time'), types.wrap_timestamp(sys.enqueuedTimeMs));
  if (sys.partitionKey !== undefined) items.push(types.wrap_symbol(PARTITION_KEY), types.wrap_string(sys.partitionKey));
  const annotations = encodeMapSection(MESSAGE_ANNOTATIONS, items);

  // Sections have a fixed order: header, delivery annotations, message annotations, then the rest.
  const before = sections.filter((s) => s.code < MESSAGE_ANNOTATIONS).map((s) => s.bytes);
  const after = sections.filter((s) => s.code > MESSAGE_ANNOTATIONS).map((s) => s.bytes);
  return Buffer.concat([...before, annotations, ...after]);
}
