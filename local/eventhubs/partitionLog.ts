// local/eventhubs/partitionLog.ts: one partition's events, in memory and (with a file) on disk.
//
// File format: append-only records `[u32 length of message][f64 enqueued time ms][message]`, where message
// is the event as delivered (producer bytes plus the service annotations). A record's offset is its byte
// position in the file, as in Event Hubs, where offsets are positions in the partition's log; in memory the
// same arithmetic applies, so offsets never equal sequence numbers and code that mixes them up fails here too.
//
// fsync policy: records are written when they arrive and made durable with one fdatasync per group of
// concurrent appends (group commit). A send is acknowledged, and its events become visible to consumers,
// only after that fdatasync: nothing acknowledged or delivered is lost if the process dies. A torn record
// at the end of the file (a crash mid-write, never acknowledged) is cut off on reload.
import { closeSync, existsSync, fdatasync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { annotateEvent } from './annotateEvent';

const HEADER_BYTES = 12;

export interface StoredEvent {
  sequenceNumber: number;
  offset: number;
  enqueuedTimeMs: number;
  /** The event as delivered to receivers: producer bytes with the service annotations. */
  message: Buffer;
}

export interface IncomingEvent {
  encoded: Buffer;
  partitionKey?: string;
}

export interface PartitionLog {
  /** Durable, visible events; index i holds sequence number i (nothing expires locally). */
  readonly events: readonly StoredEvent[];
  /** Resolves once the events are durable and visible (in order across calls). */
  append(incoming: IncomingEvent[]): Promise<void>;
  close(): void;
}

export function openPartitionLog(file: string | undefined, onVisible: () => void): PartitionLog {
  const events: StoredEvent[] = file ? loadRecords(file) : [];
  const last = events[events.length - 1];
  let nextSequenceNumber = events.length;
  let nextOffset = last ? last.offset + HEADER_BYTES + last.message.length : 0;
  let lastTimeMs = last?.enqueuedTimeMs ?? 0;
  const fd = file ? openSync(file, 'a') : undefined;

  let waiting: { stored: StoredEvent[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  let syncing = false;

  function publish(stored: StoredEvent[]): void {
    for (const e of stored) events.push(e);
    onVisible();
  }

  function groupCommit(): void {
    if (syncing || waiting.length === 0 || fd === undefined) return;
    syncing = true;
    const group = waiting;
    waiting = [];
    fdatasync(fd, (err) => {
      syncing = false;
      for (const g of group) {
        if (err) g.reject(err);
        else {
          publish(g.stored);
          g.resolve();
        }
      }
      groupCommit();
    });
  }

  return {
    events,
    append(incoming) {
      // Enqueued times never go backwards, so enqueued-time filters can binary-search.
      lastTimeMs = Math.max(lastTimeMs, Date.now());
      const stored = incoming.map((e): StoredEvent => {
        const sys = { sequenceNumber: nextSequenceNumber++, offset: String(nextOffset), enqueuedTimeMs: lastTimeMs };
        const message = annotateEvent(e.encoded, e.partitionKey === undefined ? sys : { ...sys, partitionKey: e.partitionKey });
        const event = { sequenceNumber: sys.sequenceNumber, offset: nextOffset, enqueuedTimeMs: lastTimeMs, message };
        nextOffset += HEADER_BYTES + message.length;
        return event;
      });
      if (fd === undefined) {
        publish(stored);
        return Promise.resolve();
      }
      writeSync(fd, Buffer.concat(stored.flatMap(toRecord)));
      return new Promise((resolve, reject) => {
        waiting.push({ stored, resolve, reject });
        groupCommit();
      });
    },
    close() {
      if (fd !== undefined) closeSync(fd);
    },
  };
}

function toRecord(e: StoredEvent): Buffer[] {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(e.message.length, 0);
  header.writeDoubleBE(e.enqueuedTimeMs, 4);
  return [header, e.message];
}

function loadRecords(file: string): StoredEvent[] {
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) return [];
  const data = readFileSync(file);
  const events: StoredEvent[] = [];
  let pos = 0;
  while (pos + HEADER_BYTES <= data.length) {
    const length = data.readUInt32BE(pos);
    if (pos + HEADER_BYTES + length > data.length) break;
    const message = Buffer.from(data.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + length));
    events.push({ sequenceNumber: events.length, offset: pos, enqueuedTimeMs: data.readDoubleBE(pos + 4), message });
    pos += HEADER_BYTES + length;
  }
  if (pos < data.length) {
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, pos);
    closeSync(fd);
  }
  return events;
}
