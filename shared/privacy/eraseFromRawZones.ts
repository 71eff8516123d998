// shared/privacy/eraseFromRawZones.ts: the erasure of one person from the zones that hold payloads: raw
// bodies and dead-lettered events (clear identifiers: deleted whole when they are the subject's), the
// quarantine zone and the orchestration scratch (canonical transactions: the subject's lose their
// customer). Only references reach this code; what it reports is counts and blob names (content hashes,
// batch ids, event positions), never an identifier.
import type { ContainerClient } from '@azure/storage-blob';
import type { SourceContext } from '../sources/types';
import { eraseDeadLetters } from './eraseDeadLetters';
import { eraseQuarantine } from './eraseQuarantine';
import { eraseRaw } from './eraseRaw';
import { eraseWorkBlobs } from './eraseWorkBlobs';
import type { ErasureOptions } from './erasureSubject';

export interface RawZonesErasure {
  rawScanned: number;
  /** Raw blobs deleted (or, in a dry run, that would be); their batches can no longer be replayed. */
  rawDeleted: string[];
  /** Quarantine entries whose customer was set to null (or would be). */
  quarantineEntries: number;
  quarantineBlobsRewritten: string[];
  deadLettersScanned: number;
  deadLettersDeleted: string[];
  /** Work blobs scanned; 0 when no work container was given. */
  workScanned: number;
  workBlobsRewritten: string[];
}

export interface RawZonesDeps {
  lake: ContainerClient;
  /** The source context the transform activity builds from a batch's headers (same pseudonymization key). */
  sourceContext(headers: Readonly<Record<string, string>>): SourceContext;
  /** The orchestration scratch container (ingest-work); its blobs outlive their batch by days. */
  work?: ContainerClient;
  now?: () => number;
  /** Blobs examined at once per zone; default 4. */
  concurrency?: number;
}

export async function eraseFromRawZones(deps: RawZonesDeps, refs: ReadonlySet<string>, options: ErasureOptions): Promise<RawZonesErasure> {
  // No references, no subject: nothing may match (and nothing is read).
  if (refs.size === 0) {
    return { rawScanned: 0, rawDeleted: [], quarantineEntries: 0, quarantineBlobsRewritten: [], deadLettersScanned: 0, deadLettersDeleted: [], workScanned: 0, workBlobsRewritten: [] };
  }
  const { dryRun } = options;
  const concurrency = deps.concurrency;
  const [raw, quarantine, deadLetters, work] = await Promise.all([
    eraseRaw(deps, refs, { dryRun }),
    eraseQuarantine(deps.lake, refs, { dryRun, concurrency }),
    eraseDeadLetters(deps, refs, { dryRun }),
    deps.work ? eraseWorkBlobs(deps.work, refs, { dryRun, concurrency }) : Promise.resolve({ scanned: 0, rewritten: [] }),
  ]);
  return {
    rawScanned: raw.scanned,
    rawDeleted: raw.deleted,
    quarantineEntries: quarantine.entries,
    quarantineBlobsRewritten: quarantine.rewritten,
    deadLettersScanned: deadLetters.scanned,
    deadLettersDeleted: deadLetters.deleted,
    workScanned: work.scanned,
    workBlobsRewritten: work.rewritten,
  };
}
