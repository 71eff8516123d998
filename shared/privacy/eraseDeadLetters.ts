// shared/privacy/eraseDeadLetters.ts: the dead letters' part of an erasure. A dead letter keeps an event
// the hub could not ingest: its body as sent (clear identifiers included, card data masked), its
// properties and the error. One whose body, read as its `source` property says, gives a transaction of
// the subject is deleted whole. One without a known source, or whose body cannot be read, cannot be
// tied to references and is left (counted as scanned only).
import { blobBytes, isStatus } from '../lake/blobBytes';
import { STORE_ID_HEADER } from '../ingest/storeHint';
import type { RawErasure, RawErasureDeps } from './eraseRaw';
import type { ErasureOptions } from './erasureSubject';
import { forEachLimit } from './forEachLimit';
import { payloadMatchesSubject } from './payloadMatchesSubject';

/** The same as the raw zone's: both scan blobs of bodies in clear and delete the subject's whole. */
export type DeadLetterErasureDeps = RawErasureDeps;
export type DeadLetterErasure = RawErasure;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Whether a dead letter's document is about the subject; its store hint is passed as ingestStreamBatch passes it. */
function deadLetterMatches(bytes: Buffer, deps: DeadLetterErasureDeps, refs: ReadonlySet<string>): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false;
  }
  if (typeof doc !== 'object' || doc === null) return false;
  const { properties, body } = doc as { properties?: Record<string, unknown>; body?: unknown };
  const source = text(properties?.source);
  if (!source || typeof body !== 'string') return false;
  const storeId = text(properties?.storeId);
  const ctx = deps.sourceContext(storeId === null ? {} : { [STORE_ID_HEADER]: storeId });
  return payloadMatchesSubject(source, body, ctx, refs, deps.now?.() ?? Date.now()) === 'match';
}

export async function eraseDeadLetters(deps: DeadLetterErasureDeps, refs: ReadonlySet<string>, options: ErasureOptions): Promise<DeadLetterErasure> {
  const out: DeadLetterErasure = { scanned: 0, deleted: [] };
  await forEachLimit(deps.lake.listBlobsFlat({ prefix: 'deadletter/' }), deps.concurrency ?? 4, async (item) => {
    out.scanned++;
    const blob = deps.lake.getBlobClient(item.name);
    for (let attempt = 1; ; attempt++) {
      const found = await blobBytes(blob);
      if (!found || !deadLetterMatches(found.bytes, deps, refs)) return;
      if (options.dryRun) break;
      try {
        // Guarded: what is deleted is the document just read and found to be the subject's.
        await blob.delete({ conditions: { ifMatch: found.etag } });
        break;
      } catch (err) {
        if (isStatus(err, 404)) return; // deleted by someone else meanwhile
        if (!isStatus(err, 412) || attempt >= 5) throw err;
      }
    }
    out.deleted.push(item.name);
  });
  out.deleted.sort();
  return out;
}
