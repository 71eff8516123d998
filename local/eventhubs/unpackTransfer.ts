// local/eventhubs/unpackTransfer.ts: turns one incoming transfer into the events it carries. The SDK always
// sends message format 0x80013700 (a batch envelope whose data sections each hold one encoded event, with
// the partition key in the envelope's annotations); other AMQP clients send plain messages (format 0).
import { message as amqpMessage, type Message } from 'rhea';
import { DATA, MESSAGE_ANNOTATIONS, mapEntries, readSections } from './amqpSections';

export const BATCH_FORMAT = 0x80013700;
export const PARTITION_KEY = 'x-opt-partition-key';

export interface UnpackedTransfer {
  events: Buffer[];
  partitionKey?: string;
  /** Size of the transfer as sent, which is what the 1 MB limit applies to. */
  size: number;
}

export function unpackTransfer(payload: Buffer | Message, format: number): UnpackedTransfer {
  // rhea decodes format-0 messages itself; re-encode to get bytes (exact for everything rhea can type).
  const encoded = Buffer.isBuffer(payload) ? payload : amqpMessage.encode(payload);
  const sections = readSections(encoded);
  const partitionKey = partitionKeyOf(sections);
  if (format !== BATCH_FORMAT) return { events: [encoded], size: encoded.length, ...(partitionKey !== undefined && { partitionKey }) };
  const events = sections.filter((s) => s.code === DATA).map((s) => s.typed.value as Buffer);
  return { events, size: encoded.length, ...(partitionKey !== undefined && { partitionKey }) };
}

function partitionKeyOf(sections: ReturnType<typeof readSections>): string | undefined {
  const annotations = sections.find((s) => s.code === MESSAGE_ANNOTATIONS);
  if (!annotations) return undefined;
  const value = mapEntries(annotations).find((e) => e.key === PARTITION_KEY)?.value;
  return value === undefined || value === null ? undefined : String(value);
}
