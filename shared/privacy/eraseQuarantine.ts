// shared/privacy/eraseQuarantine.ts: the quarantine zone's part of an erasure. Quarantine entries are
// canonical transactions (pseudonymized, one JSON per line, as writeQuarantine and the Dataverse load
// write them): an entry of the subject keeps its sale and loses its customer (set to null). Every other
// line is kept as it was, byte for byte, and the blob keeps its metadata, with the content hash
// recomputed the way writeQuarantine computes it (so a reload with the same content is still a no-op).
import type { ContainerClient } from '@azure/storage-blob';
import type { CustomerRefs } from '../model';
import type { BlobBytes } from '../lake/blobBytes';
import { quarantineContentHash } from '../lake/writeQuarantine';
import { matchesSubject, type ErasureOptions } from './erasureSubject';
import { forEachLimit } from './forEachLimit';
import { rewriteGuarded, type BlobEdit } from './rewriteGuarded';

export interface QuarantineErasure {
  /** Entries whose customer was set to null (or, in a dry run, would be). */
  entries: number;
  /** Blob names rewritten (or that would be). */
  rewritten: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The blob without the subject's customer references, or null when no entry is the subject's. */
export function eraseQuarantineText(found: BlobBytes, refs: ReadonlySet<string>): BlobEdit | null {
  let erased = 0;
  const lines = found.bytes.toString('utf8').split('\n');
  const out = lines.map((line) => {
    if (line.trim() === '') return line;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return line; // not an entry this code can read: not the subject's as far as anyone can tell
    }
    if (!isObject(entry) || !matchesSubject(entry.customer as CustomerRefs | null | undefined, refs)) return line;
    erased++;
    // Spread keeps the key order, so the line is what writeQuarantine would write for this entry without a customer.
    return JSON.stringify({ ...entry, customer: null });
  });
  if (erased === 0) return null;
  const body = out.join('\n');
  return {
    body: Buffer.from(body, 'utf8'),
    metadata: {
      ...found.metadata,
      contenthash: quarantineContentHash(body),
      count: String(out.filter((l) => l.trim() !== '').length),
    },
    contentType: 'application/x-ndjson',
    erased,
  };
}

export async function eraseQuarantineBlob(lake: ContainerClient, blobName: string, refs: ReadonlySet<string>, options: ErasureOptions): Promise<number> {
  const change = await rewriteGuarded(lake.getBlockBlobClient(blobName), (found) => eraseQuarantineText(found, refs), options.dryRun);
  return change?.erased ?? 0;
}

export async function eraseQuarantine(lake: ContainerClient, refs: ReadonlySet<string>, options: ErasureOptions & { concurrency?: number }): Promise<QuarantineErasure> {
  const out: QuarantineErasure = { entries: 0, rewritten: [] };
  await forEachLimit(lake.listBlobsFlat({ prefix: 'quarantine/' }), options.concurrency ?? 4, async (item) => {
    if (!item.name.endsWith('.ndjson')) return;
    const erased = await eraseQuarantineBlob(lake, item.name, refs, options);
    if (erased === 0) return;
    out.entries += erased;
    out.rewritten.push(item.name);
  });
  out.rewritten.sort();
  return out;
}
