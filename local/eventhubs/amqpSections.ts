// local/eventhubs/amqpSections.ts: walks the top-level sections of an encoded AMQP message, keeping each
// section's exact bytes. The server stores and forwards events byte for byte as the producer encoded them
// (decoding and re-encoding with rhea would lose AMQP types such as symbol vs string or long vs int), and
// only rewrites the message-annotations section.
import { types } from 'rhea';

// rhea's typings declare Reader, Writer and the Map32 constructor but do not expose them on `types`.
interface AmqpCodec {
  Reader: new (buffer: Buffer) => { position: number; read(): unknown; remaining(): number };
  Writer: new () => { write(typed: unknown): void; toBuffer(): Buffer };
  Map32(items: unknown[]): unknown;
}
const codec = types as unknown as AmqpCodec;

export const MESSAGE_ANNOTATIONS = 0x72;
export const DATA = 0x75;

const SYMBOLIC_CODES: Record<string, number> = {
  'amqp:header:list': 0x70,
  'amqp:delivery-annotations:map': 0x71,
  'amqp:message-annotations:map': 0x72,
  'amqp:properties:list': 0x73,
  'amqp:application-properties:map': 0x74,
  'amqp:data:binary': 0x75,
  'amqp:amqp-sequence:list': 0x76,
  'amqp:value:*': 0x77,
  'amqp:footer:map': 0x78,
};

export interface AmqpSection {
  code: number;
  bytes: Buffer;
  /** The section's value as rhea reads it: a map's `value` is [key, value, key, value, ...] (each typed). */
  typed: { value: unknown };
}

export function readSections(encoded: Buffer): AmqpSection[] {
  const reader = new codec.Reader(encoded);
  const sections: AmqpSection[] = [];
  while (reader.remaining() > 0) {
    const start = reader.position;
    // rhea returns a described value as the value itself with a `descriptor` property.
    const section = reader.read() as { descriptor?: { value: unknown }; value: unknown };
    const descriptor = section.descriptor?.value;
    const code = typeof descriptor === 'string' ? (SYMBOLIC_CODES[descriptor] ?? -1) : Number(descriptor);
    sections.push({ code, bytes: encoded.subarray(start, reader.position), typed: section });
  }
  return sections;
}

export interface MapEntry {
  key: string;
  typedKey: unknown;
  typedValue: unknown;
  value: unknown;
}

/** The typed [key, value, ...] entries of a map section; keys are symbols or strings. */
export function mapEntries(section: AmqpSection): MapEntry[] {
  const items = (section.typed.value ?? []) as { value: unknown }[];
  const entries: MapEntry[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    const k = items[i]!;
    const v = items[i + 1]!;
    entries.push({ key: String(k.value), typedKey: k, typedValue: v, value: types.unwrap(v) as unknown });
  }
  return entries;
}

/** Encodes a described map section (e.g. message annotations) from typed [key, value, ...] items. */
export function encodeMapSection(code: number, items: unknown[]): Buffer {
  const writer = new codec.Writer();
  writer.write(types.described(types.wrap_ulong(code), codec.Map32(items)));
  return writer.toBuffer();
}
