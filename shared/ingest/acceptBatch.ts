// shared/ingest/acceptBatch.ts: the one way a body enters the hub, whatever carried it (the ingest API,
// vendor webhooks, Event Hubs). It bounds and checks the body, masks card data, stores the scrubbed
// body in the raw zone (create-only), records the batch in the ledger and starts its orchestration.
// Nothing is acknowledged before it is durably stored, and nothing unscrubbed is ever written.
//
// Order matters for crash safety: ledger entry, then raw blob, then orchestration. Nothing is
// acknowledged before all three, and a crash between any two is repaired by the sender's retry: the
// ledger finds its entry, the raw blob is written if it is missing, and a missing orchestration is
// started.
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { scrubCardData } from '../privacy/cardNumbers';
import { textFormatOf } from '../pipeline/transformPayload';
import { adapterFor } from '../sources/registry';
import { RAW_HEADER_ALLOWLIST, rawBlobName, writeRaw } from '../lake/writeRaw';
import type { BatchLedger, BatchRecord } from '../stores/batchLedger';
import { acceptedMediaType, acceptedMediaTypes } from './bodyFormat';
import { batchIdOf, IDEMPOTENCY_KEY_RE } from './batchIdOf';
import { checkReadable } from './checkReadable';
import { problem, type Problem } from './problem';
import { storeHintOf } from './storeHint';

/** Durable Functions runtime statuses, as the client reports them. */
export type OrchestrationRuntimeStatus =
  | 'Pending'
  | 'Running'
  | 'Completed'
  | 'ContinuedAsNew'
  | 'Failed'
  | 'Canceled'
  | 'Terminated'
  | 'Suspended';

/** The `ingestBatch` orchestration's input: references only, never the payload. */
export interface IngestBatchInput {
  batchId: string;
  source: string;
  rawBlobName: string;
  contentType: string;
  receivedAt: string;
  /** Transport headers the adapters may need (e.g. Toast's restaurant id); never credentials. */
  headers: Record<string, string>;
}

export interface AcceptBatchDeps {
  lake: ContainerClient;
  ledger: BatchLedger;
  /** Largest body accepted, in bytes. */
  maxBodyBytes: number;
  /** The instance's runtime status, or null when there is no such instance. */
  orchestrationStatus(instanceId: string): Promise<OrchestrationRuntimeStatus | null>;
  /** Starts `ingestBatch` with this instance id (the Durable client lives in functions/). */
  startOrchestration(instanceId: string, input: IngestBatchInput): Promise<void>;
}

export interface AcceptBatchRequest {
  source: string;
  body: Buffer;
  contentType: string | undefined;
  /** Lower-case names. Only allow-listed, non-credential headers are kept. */
  headers: Readonly<Record<string, string | undefined>>;
  idempotencyKey?: string;
  receivedAt: Date;
}

export type AcceptBatchResult =
  | { ok: true; batchId: string; duplicate: boolean; rawBlobName: string }
  | { ok: false; problem: Problem };

// Instances in these states are doing or have done the work: a resend starts nothing new.
const LIVE: ReadonlySet<OrchestrationRuntimeStatus> = new Set(['Pending', 'Running', 'Completed', 'ContinuedAsNew', 'Suspended']);

const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|auth|token|secret|signature|hmac|key|password|session/i;

function keptHeaders(headers: AcceptBatchRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RAW_HEADER_ALLOWLIST) {
    const value = headers[name];
    if (value !== undefined && !CREDENTIAL_HEADER.test(name)) out[name] = value;
  }
  return out;
}

const fail = (p: Problem): AcceptBatchResult => ({ ok: false, problem: p });

export async function acceptBatch(deps: AcceptBatchDeps, req: AcceptBatchRequest): Promise<AcceptBatchResult> {
  const adapter = adapterFor(req.source);
  if (!adapter) return fail(problem('unknown-source', `no source named "${req.source.slice(0, 64)}"`));
  const source = adapter.name;
  const mediaType = acceptedMediaType(source, req.contentType);
  if (!mediaType) {
    return fail(problem('unsupported-media-type', `${source} takes ${acceptedMediaTypes(source).join(', ')} (UTF-8); got ${req.contentType ? JSON.stringify(req.contentType.slice(0, 100)) : 'no Content-Type'}`));
  }
  if (req.body.length > deps.maxBodyBytes) {
    return fail(problem('body-too-large', `the body has ${req.body.length} bytes; at most ${deps.maxBodyBytes} are accepted`));
  }
  if (req.idempotencyKey !== undefined && !IDEMPOTENCY_KEY_RE.test(req.idempotencyKey)) {
    return fail(problem('invalid-idempotency-key', 'Idempotency-Key must be 1-255 characters of A-Z a-z 0-9 . _ ~ + / = : -'));
  }
  const storeHint = storeHintOf(req.headers);
  if (!storeHint.ok) return fail(problem('invalid-store-id', storeHint.detail));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(req.body);
  } catch {
    return fail(problem('malformed-body', 'the body is not valid UTF-8'));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // Card data leaves before anything else looks at the body; the scrubbed text is all that is kept.
  const scrubbed = scrubCardData(text, textFormatOf(source)).text;
  const readable = checkReadable(source, adapter, scrubbed);
  if (!readable.ok) return fail(readable.problem);

  const body = Buffer.from(scrubbed, 'utf8');
  const sha256 = createHash('sha256').update(body).digest('hex');
  const batchId = batchIdOf(source, sha256, req.idempotencyKey);

  // The ledger entry first: its create-only insert is what tells a new batch from a resend in one round
  // trip, and a refused Idempotency-Key reuse has then stored nothing. The raw blob follows; the
  // orchestration, which reads it, starts only once it is there.
  const entry = { batchId, source, rawBlobName: rawBlobName(source, req.receivedAt, sha256, mediaType), sha256, contentType: mediaType, receivedAt: req.receivedAt.toISOString() };
  const created = (await deps.ledger.create(entry)) === 'created';
  const record: BatchRecord | null = created
    ? { ...entry, status: 'accepted', counts: null, findings: [], updatedAt: entry.receivedAt }
    : await deps.ledger.get(batchId);
  if (!record) throw new Error(`batch ${batchId}: the ledger refused a new entry but has none`);
  if (record.sha256 !== sha256) {
    // Only possible with an Idempotency-Key: content-derived ids embed the hash.
    return fail(problem('idempotency-key-reused', `Idempotency-Key was first used for another body (batch ${batchId}); use a new key for new content`));
  }
  const duplicate = !created;
  const storeRaw = (receivedAt: Date, contentType: string) => writeRaw(deps.lake, { source, body, receivedAt, contentType, headers: req.headers });
  if (created) await storeRaw(req.receivedAt, mediaType);

  if (record.status !== 'completed') {
    // A new entry has no orchestration yet: asking would be a wasted round trip on every new batch.
    const status = created ? null : await deps.orchestrationStatus(batchId);
    if (status === null || !LIVE.has(status)) {
      // A resend after a crash between the ledger entry and the raw write: store the body now, under
      // the name the entry holds (create-only; usually it is already there).
      if (!created) await storeRaw(new Date(record.receivedAt), record.contentType);
      const input: IngestBatchInput = {
        batchId,
        source,
        rawBlobName: record.rawBlobName,
        contentType: record.contentType,
        receivedAt: record.receivedAt,
        headers: keptHeaders(req.headers),
      };
      try {
        await deps.startOrchestration(batchId, input);
      } catch (err) {
        // A concurrent delivery of the same batch may have started it a moment ago: that is fine.
        const now = await deps.orchestrationStatus(batchId);
        if (now === null || !LIVE.has(now)) throw err;
      }
    }
  }
  return { ok: true, batchId, duplicate, rawBlobName: record.rawBlobName };
}
