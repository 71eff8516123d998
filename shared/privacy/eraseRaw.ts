// shared/privacy/eraseRaw.ts: the raw zone's part of an erasure. A raw blob is the body as received, with
// the person's clear identifiers in it, so a body about the subject is deleted whole: there is no
// pseudonymized form of it to keep. Its other transactions stay in curated; the batch can no longer be
// replayed, which the report makes visible by naming the deleted blobs.
import type { ContainerClient } from '@azure/storage-blob';
import { blobBytes } from '../lake/blobBytes';
import type { SourceContext } from '../sources/types';
import type { ErasureOptions } from './erasureSubject';
import { forEachLimit } from './forEachLimit';
import { payloadMatchesSubject } from './payloadMatchesSubject';
import { rawHeadersOf } from '../lake/rawHeadersOf';

export interface RawErasureDeps {
  lake: ContainerClient;
  sourceContext(headers: Readonly<Record<string, string>>): SourceContext;
  now?: () => number;
  /** Bodies examined at once (each is held in memory while it is); default 4. */
  concurrency?: number;
}

export interface RawErasure {
  scanned: number;
  /** Blob names deleted (or, in a dry run, that would be). */
  deleted: string[];
}

/** The source a raw blob was ingested as: its metadata, else the `source=` folder of its name. */
function sourceOf(name: string, metadata: Readonly<Record<string, string>> | undefined): string | null {
  return metadata?.source ?? /^raw\/source=([^/]+)\//.exec(name)?.[1] ?? null;
}

export async function eraseRaw(deps: RawErasureDeps, refs: ReadonlySet<string>, options: ErasureOptions): Promise<RawErasure> {
  const out: RawErasure = { scanned: 0, deleted: [] };
  const listing = deps.lake.listBlobsFlat({ prefix: 'raw/', includeMetadata: true });
  await forEachLimit(listing, deps.concurrency ?? 4, async (item) => {
    out.scanned++;
    const source = sourceOf(item.name, item.metadata);
    if (!source) return;
    const blob = deps.lake.getBlobClient(item.name);
    const found = await blobBytes(blob);
    if (!found) return; // deleted since the listing (raw retention, another erasure)
    // Exactly what the transform activity reads: the stored bytes as UTF-8, with the stored headers.
    const ctx = deps.sourceContext(rawHeadersOf(found.metadata));
    const match = payloadMatchesSubject(source, found.bytes.toString('utf8'), ctx, refs, deps.now?.() ?? Date.now());
    if (match !== 'match') return;
    if (!options.dryRun) {
      // No ETag guard needed: the name is the content's hash, so whatever is stored under it (a body
      // re-sent since the read included) is this very body.
      const { succeeded } = await blob.deleteIfExists();
      if (!succeeded) return; // someone else deleted it: not this run's deletion
    }
    out.deleted.push(item.name);
  });
  out.deleted.sort();
  return out;
}
