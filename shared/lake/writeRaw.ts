// shared/lake/writeRaw.ts: the raw zone. The body as received (after card scrubbing, which the caller
// does), stored create-only under a name made of source, received date and content hash, so a
// redelivery of the same body finds its blob instead of making a second one.
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { isStatus } from './blobBytes';

/** Headers worth keeping for lineage and replay (vendor event ids, topics, tracing). */
export const RAW_HEADER_ALLOWLIST: readonly string[] = [
  'content-type',
  'user-agent',
  'x-request-id',
  'traceparent',
  'x-shopify-topic',
  'x-shopify-webhook-id',
  'x-shopify-shop-domain',
  'x-shopify-api-version',
  'x-shopify-triggered-at',
  'toast-restaurant-external-id',
  // The caller's store hint (shared/ingest/storeHint.ts): a replay must read the payload the same way.
  'x-pos-hub-store-id',
];

// Never stored, whatever a caller allows: credentials, and anything that signs or authenticates.
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|auth|token|secret|signature|hmac|key|password|session/i;

export interface RawPayload {
  source: string;
  body: Buffer | string;
  receivedAt: Date;
  contentType: string;
  headers?: Readonly<Record<string, string | undefined>>;
  /** Header names to keep (lower case); defaults to RAW_HEADER_ALLOWLIST. Credential headers are dropped anyway. */
  keepHeaders?: readonly string[];
}

export interface RawWriteResult {
  blobName: string;
  sha256: string;
  /** stored: this call created the blob; already-stored: the same content was there (a redelivery). */
  status: 'stored' | 'already-stored';
}

function extensionOf(contentType: string): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
  if (type.endsWith('/json') || type.endsWith('+json')) return 'json';
  if (type.endsWith('/xml') || type.endsWith('+xml')) return 'xml';
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'text/plain') return 'txt';
  return 'bin';
}

// Blob metadata values travel as HTTP headers: ASCII without control characters.
const headerSafe = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value));

export function rawBlobName(source: string, receivedAt: Date, sha256: string, contentType: string): string {
  return `raw/source=${source}/received_date=${receivedAt.toISOString().slice(0, 10)}/${sha256}.${extensionOf(contentType)}`;
}

/** The metadata name a (lower-case) header is kept under: metadata names must be C# identifiers. */
export function headerMetadataName(lowerCaseHeader: string): string {
  return `h_${lowerCaseHeader.replace(/[^a-z0-9_]/g, '_')}`;
}

export async function writeRaw(container: ContainerClient, payload: RawPayload): Promise<RawWriteResult> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(payload.source)) throw new RangeError(`not a source name: ${JSON.stringify(payload.source)}`);
  if (Number.isNaN(payload.receivedAt.getTime())) throw new RangeError('receivedAt is not a valid time');
  const body = typeof payload.body === 'string' ? Buffer.from(payload.body, 'utf8') : payload.body;
  const sha256 = createHash('sha256').update(body).digest('hex');
  const blobName = rawBlobName(payload.source, payload.receivedAt, sha256, payload.contentType);

  const metadata: Record<string, string> = {
    source: payload.source,
    sha256,
    receivedat: payload.receivedAt.toISOString(),
    contenttype: headerSafe(payload.contentType),
  };
  const keep = new Set((payload.keepHeaders ?? RAW_HEADER_ALLOWLIST).map((h) => h.toLowerCase()));
  for (const [name, value] of Object.entries(payload.headers ?? {})) {
    const lower = name.toLowerCase();
    if (value === undefined || !keep.has(lower) || CREDENTIAL_HEADER.test(lower)) continue;
    metadata[headerMetadataName(lower)] = headerSafe(value);
  }

  try {
    await container.getBlockBlobClient(blobName).uploadData(body, {
      conditions: { ifNoneMatch: '*' },
      blobHTTPHeaders: { blobContentType: payload.contentType },
      metadata,
    });
    return { blobName, sha256, status: 'stored' };
  } catch (err) {
    // The name holds the content hash: an existing blob has this very content.
    if (isStatus(err, 409, 412)) return { blobName, sha256, status: 'already-stored' };
    throw err;
  }
}
