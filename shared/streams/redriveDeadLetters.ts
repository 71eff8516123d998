// shared/streams/redriveDeadLetters.ts: runs Event Hubs dead letters through acceptance again, once
// their cause is gone (a limit raised, storage back after `accept-failed`): a streaming POS cannot send
// an event again. Each dead letter becomes the one-event trigger batch it came from (same hub, consumer
// group, partition, sequence number, properties and body), grouped and accepted by the stream's own
// functions, so it gets the batch id the stream gives a lone event: re-driving twice, or a dead letter
// whose event a redelivery accepted on its own, is the same batch and creates nothing twice. An event a
// redelivery accepted within a larger group is another batch, but its transactions load once all the
// same (loads are idempotent by transaction id). Bodies hold personal data: nothing here logs or returns
// one, nor any property but the source name.
import type { ContainerClient } from '@azure/storage-blob';
import { batchIdOf } from '../ingest/batchIdOf';
import { problem, type Problem } from '../ingest/problem';
import { storeHintOf } from '../ingest/storeHint';
import { blobBytes, isStatus } from '../lake/blobBytes';
import { groupStreamEvents, type IngestGroup, type StreamTriggerBatch } from './groupStreamEvents';
import { acceptStreamGroup, streamAcceptRequest, type StreamIngestDeps } from './ingestStreamBatch';

export const DEAD_LETTER_PREFIX = 'deadletter/eventhubs/';

/** The stream's acceptance (acceptBatch with its dependencies bound) and the lake holding the dead letters. */
export type RedriveDeps = Pick<StreamIngestDeps, 'lake' | 'maxBodyBytes' | 'accept' | 'log' | 'retryDelaysMs'> & { now?: () => Date };

export interface RedriveSelection {
  /** Enqueued date: only `deadletter/eventhubs/<date>/`. */
  date?: string;
  /** One dead letter by its blob name. */
  blob?: string;
  /** Continue after this blob name (the `next` of an earlier call): failing dead letters stay, so a loop needs it. */
  after?: string;
  dryRun: boolean;
  /** At most this many dead letters per call. */
  max: number;
}

export type RedriveOutcome =
  | { blob: string; outcome: 'accepted' | 'would-accept'; batchId: string; source: string; duplicate: boolean }
  | { blob: string; outcome: 'failing'; code: string; source: string | null };

export interface RedriveResult {
  dryRun: boolean;
  outcomes: RedriveOutcome[];
  /** Selected dead letters after the last one handled here. */
  remaining: number;
  /** The `after` for the next call while `remaining` > 0, else null. */
  next: string | null;
}

/** What a failing dead letter is marked with (the blob's first error stays in `errorcode`). */
export const REDRIVE_METADATA = { at: 'lastredriveat', code: 'lastredrivecode' } as const;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

interface DeadLetterDoc {
  batch: StreamTriggerBatch;
  code: string | null;
  body: string;
  source: string | null;
}

/** The one-event trigger batch a dead letter holds, or null when the document is not one writeDeadLetter writes. */
function readDeadLetter(bytes: Buffer): DeadLetterDoc | null {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const { eventHub, consumerGroup, partitionId, sequenceNumber, offset, enqueuedTimeUtc, properties, body, error } = doc;
  if (typeof eventHub !== 'string' || typeof consumerGroup !== 'string' || typeof partitionId !== 'string') return null;
  if (typeof sequenceNumber !== 'number' || typeof body !== 'string' || typeof enqueuedTimeUtc !== 'string') return null;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return null;
  const props = properties as Record<string, unknown>;
  return {
    batch: {
      eventHub,
      consumerGroup,
      partitionId,
      events: [{ body: Buffer.from(body, 'utf8'), properties: props, sequenceNumber, offset: String(offset ?? ''), enqueuedTimeUtc }],
    },
    code: text((error as { code?: unknown } | undefined)?.code),
    body,
    source: text(props.source),
  };
}

/** The group acceptance would take, or the code it refuses the event with (checks that need no write). */
function groupOf(deps: RedriveDeps, doc: DeadLetterDoc): { group: IngestGroup } | { code: string } {
  // writeDeadLetter decodes a non-UTF-8 body lossily: what it kept is not what was sent, so it stays.
  if (doc.code === 'malformed-body' && doc.body.includes('\uFFFD')) return { code: 'malformed-body' };
  const { groups, rejected } = groupStreamEvents(doc.batch, { maxEventBytes: deps.maxBodyBytes, maxBatchBytes: deps.maxBodyBytes });
  if (rejected.length > 0) return { code: rejected[0]!.error.code };
  return { group: groups[0]! };
}

/** Blob names selected, in listing order, after `after`. */
async function selected(lake: ContainerClient, sel: RedriveSelection): Promise<string[]> {
  const names: string[] = [];
  if (sel.blob !== undefined) {
    if (sel.after === undefined || sel.blob > sel.after) names.push(sel.blob);
    return names;
  }
  const prefix = sel.date === undefined ? DEAD_LETTER_PREFIX : `${DEAD_LETTER_PREFIX}${sel.date}/`;
  for await (const item of lake.listBlobsFlat({ prefix })) {
    if (sel.after === undefined || item.name > sel.after) names.push(item.name);
  }
  return names;
}

async function redriveOne(deps: RedriveDeps, name: string, dryRun: boolean): Promise<RedriveOutcome | null> {
  const blob = deps.lake.getBlobClient(name);
  const found = await blobBytes(blob);
  if (!found) return null; // accepted and deleted meanwhile, or erased
  const doc = readDeadLetter(found.bytes);
  const planned = doc ? groupOf(deps, doc) : { code: 'unreadable-dead-letter' };
  const source = doc?.source ?? null;
  let outcome: RedriveOutcome;
  if ('group' in planned) {
    const { group } = planned;
    // The raw zone's date comes from this: the event's own time, as near as the stream's would have been.
    const enqueued = new Date(doc!.batch.events[0]!.enqueuedTimeUtc);
    const receivedAt = Number.isNaN(enqueued.getTime()) ? (deps.now?.() ?? new Date()) : enqueued;
    if (dryRun) {
      // acceptBatch's own refusals that need no write; the stream always sends a key, so the id is the key's.
      const hint = storeHintOf(streamAcceptRequest(group, receivedAt).headers);
      outcome = hint.ok
        ? { blob: name, outcome: 'would-accept', batchId: batchIdOf(group.source, '', group.idempotencyKey), source: group.source, duplicate: false }
        : { blob: name, outcome: 'failing', code: 'invalid-store-id', source };
    } else {
      const accepted = await acceptStreamGroup(deps, group, receivedAt);
      outcome = accepted.ok
        ? { blob: name, outcome: 'accepted', batchId: accepted.batchId, source: group.source, duplicate: accepted.duplicate }
        : { blob: name, outcome: 'failing', code: accepted.error.code, source };
    }
  } else {
    outcome = { blob: name, outcome: 'failing', code: planned.code, source };
  }
  if (dryRun) return outcome;

  try {
    if (outcome.outcome === 'accepted') {
      // raw/ holds the body now. Guarded by the ETag read: a dead letter changed since (another re-drive
      // marked it) is left for the next call, which finds the same batch and deletes it then.
      await blob.delete({ conditions: { ifMatch: found.etag } });
    } else if (outcome.outcome === 'failing') {
      const at = (deps.now?.() ?? new Date()).toISOString();
      await blob.setMetadata({ ...found.metadata, [REDRIVE_METADATA.at]: at, [REDRIVE_METADATA.code]: outcome.code }, { conditions: { ifMatch: found.etag } });
    }
  } catch (err) {
    if (!isStatus(err, 404, 412)) throw err;
    deps.log(`dead letter ${name} changed while it was re-driven; left as it is now`);
  }
  return outcome;
}

export async function redriveDeadLetters(deps: RedriveDeps, sel: RedriveSelection): Promise<RedriveResult> {
  const names = await selected(deps.lake, sel);
  const take = names.slice(0, Math.max(1, sel.max));
  const outcomes: RedriveOutcome[] = [];
  for (const name of take) {
    const outcome = await redriveOne(deps, name, sel.dryRun);
    if (outcome) outcomes.push(outcome);
  }
  const remaining = names.length - take.length;
  return { dryRun: sel.dryRun, outcomes, remaining, next: remaining > 0 ? take[take.length - 1]! : null };
}

/** Dead letters one call re-drives by default: each is a few storage round trips and an orchestration start. */
export const REDRIVE_MAX_PER_CALL = 50;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
// A name writeDeadLetter gives: `deadletter/eventhubs/<date or unknown-date>/<partition>-<sequence>.json`.
const BLOB_RE = /^deadletter\/eventhubs\/[A-Za-z0-9._-]{1,64}\/[A-Za-z0-9._-]{1,200}\.json$/;

/**
 * The admin request `{ date?, blob?, after?, dryRun?, max? }` as a selection, or a 400 problem naming the
 * field. A blob must be a dead letter's name: nothing outside `deadletter/eventhubs/` is ever read.
 */
export function parseRedriveRequest(body: unknown): { ok: true; selection: RedriveSelection } | { ok: false; problem: Problem } {
  const invalid = (detail: string) => ({ ok: false as const, problem: problem('invalid-redrive-request', detail) });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return invalid('the body is a JSON object: `{ "date"?, "blob"?, "dryRun"? }`');
  const { date, blob, after, dryRun, max, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return invalid(`unknown field \`${unknown[0]!.slice(0, 40)}\`: the fields are date, blob, after, dryRun, max`);
  if (date !== undefined && (typeof date !== 'string' || !DATE_RE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date)) {
    return invalid('`date` is a date written YYYY-MM-DD');
  }
  const blobName = (field: string, v: unknown) =>
    v === undefined || (typeof v === 'string' && BLOB_RE.test(v) && !v.includes('..'))
      ? null
      : `\`${field}\` is a dead letter's blob name under ${DEAD_LETTER_PREFIX} (<date>/<partition>-<sequence>.json)`;
  const badBlob = blobName('blob', blob) ?? blobName('after', after);
  if (badBlob) return invalid(badBlob);
  if (date !== undefined && blob !== undefined) return invalid('give `date` or `blob`, not both');
  if (dryRun !== undefined && typeof dryRun !== 'boolean') return invalid('`dryRun` is true or false');
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > REDRIVE_MAX_PER_CALL)) {
    return invalid(`\`max\` is a whole number from 1 to ${REDRIVE_MAX_PER_CALL}`);
  }
  const selection: RedriveSelection = { dryRun: dryRun ?? false, max: (max as number | undefined) ?? REDRIVE_MAX_PER_CALL };
  if (date !== undefined) selection.date = date as string;
  if (blob !== undefined) selection.blob = blob as string;
  if (after !== undefined) selection.after = after as string;
  return { ok: true, selection };
}
