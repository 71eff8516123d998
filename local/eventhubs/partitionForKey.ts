// local/eventhubs/partitionForKey.ts: which partition a partition key lands on. Stable across restarts
// (events with one key always share a partition, so their order holds), but not the service's own hash:
// code must not depend on which partition a key maps to, only that it is always the same one.
import { createHash } from 'node:crypto';

export function partitionForKey(partitionKey: string, partitionCount: number): number {
  return createHash('sha256').update(partitionKey, 'utf8').digest().readUInt32BE(0) % partitionCount;
}
