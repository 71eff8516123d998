// shared/ingest/batchIdOf.ts: batch ids. A batch is one body as received; its id comes from the
// content hash (a resend of the same body is the same batch) or from the sender's Idempotency-Key,
// scoped per source either way. Ids are also Durable instance ids and part of blob names, so they are
// hashes in a fixed alphabet whatever the key holds.
import { createHash } from 'node:crypto';

/** What an Idempotency-Key may hold: printable token characters (UUIDs, base64, ULIDs), 1-255 long. */
export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9._~+/=:-]{1,255}$/;

/** Batch ids ingest makes: `<source>-c-<32 hex>` (content) or `<source>-k-<32 hex>` (key). */
export const INGEST_BATCH_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}-[ck]-[0-9a-f]{32}$/;

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);

export function batchIdOf(source: string, contentSha256: string, idempotencyKey?: string): string {
  return idempotencyKey === undefined ? `${source}-c-${digest(source, contentSha256)}` : `${source}-k-${digest(source, idempotencyKey)}`;
}
