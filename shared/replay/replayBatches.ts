// shared/replay/replayBatches.ts: re-runs batches through the ingest pipeline after the cause of their
// quarantine was fixed (a store's time zone configured, a mapping added). A replay is a new instance of
// the same `ingestBatch` orchestration, `replay-<batchId>-<n>`, on the batch's raw blob and under the
// batch's own id: the lake load replaces what the batch loaded before (its quarantine entries leave,
// its now-valid transactions arrive), and every sink is idempotent by transaction id, so transactions
// that had already loaded are not loaded twice.
import type { ContainerClient } from '@azure/storage-blob';
import type { IngestBatchInput, OrchestrationRuntimeStatus } from '../ingest/acceptBatch';
import { problem, type Problem } from '../ingest/problem';
import { isStatus } from '../lake/blobBytes';
import { rawHeadersOf } from '../lake/rawHeadersOf';
import { BATCH_ID_RE } from '../lake/loadBatch';
import type { BatchLedger } from '../stores/batchLedger';
import type { ReplayCounter } from './replayCounter';

export interface ReplayDeps {
  lake: ContainerClient;
  ledger: BatchLedger;
  replays: ReplayCounter;
  orchestrationStatus(instanceId: string): Promise<OrchestrationRuntimeStatus | null>;
  startOrchestration(instanceId: string, input: IngestBatchInput): Promise<void>;
  now?: () => Date;
}

export type ReplayRequest = { batchId: string } | { businessDate: string };

export interface ReplayStarted {
  batchId: string;
  replayId: string;
}

export type ReplayResult =
  | { ok: true; replays: ReplayStarted[]; skipped: { batchId: string; reason: string }[] }
  | { ok: false; problem: Problem };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const BUSY: ReadonlySet<OrchestrationRuntimeStatus> = new Set(['Pending', 'Running', 'ContinuedAsNew', 'Suspended']);

/** `{ batchId }` or `{ businessDate: "YYYY-MM-DD" }`, exactly one of them. */
export function parseReplayRequest(body: unknown): { ok: true; request: ReplayRequest } | { ok: false; problem: Problem } {
  const invalid = (detail: string) => ({ ok: false as const, problem: problem('invalid-replay-request', detail) });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('the body is a JSON object with `batchId` or `businessDate`');
  const { batchId, businessDate } = body as Record<string, unknown>;
  if ((batchId === undefined) === (businessDate === undefined)) return invalid('give exactly one of `batchId` and `businessDate`');
  if (batchId !== undefined) {
    if (typeof batchId !== 'string' || !BATCH_ID_RE.test(batchId)) return invalid('`batchId` is not a batch id');
    return { ok: true, request: { batchId } };
  }
  if (typeof businessDate !== 'string' || !DATE_RE.test(businessDate) || Number.isNaN(Date.parse(`${businessDate}T00:00:00Z`))) {
    return invalid('`businessDate` is a date written YYYY-MM-DD');
  }
  return { ok: true, request: { businessDate } };
}

/**
 * Batch ids with quarantine entries on a business date: `quarantine/business_date=<d>/source=<s>/batch-<id>.ndjson`
 * from the lake load, and `batch-<id>.dataverse.ndjson` for what Dataverse refused or never received.
 */
export async function batchesQuarantinedOn(lake: ContainerClient, businessDate: string): Promise<string[]> {
  const ids = new Set<string>();
  for await (const blob of lake.listBlobsFlat({ prefix: `quarantine/business_date=${businessDate}/` })) {
    const id = /\/batch-([^/]+?)(\.dataverse)?\.ndjson$/.exec(blob.name)?.[1];
    if (id && BATCH_ID_RE.test(id)) ids.add(id);
  }
  return [...ids].sort();
}

/**
 * The transport headers the original run had, as writeRaw kept them in the raw blob's metadata; null
 * when the raw blob is gone (erased for a data subject, or removed by raw retention).
 */
async function headersOf(lake: ContainerClient, rawBlobName: string): Promise<Record<string, string> | null> {
  let metadata: Record<string, string>;
  try {
    metadata = (await lake.getBlobClient(rawBlobName).getProperties()).metadata ?? {};
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
  return rawHeadersOf(metadata);
}

/** Why a batch cannot be replayed right now (its original run or a replay is still going), or null. */
async function busyReason(deps: ReplayDeps, batchId: string): Promise<string | null> {
  const last = (await deps.replays.list(batchId)).at(-1);
  for (const instanceId of [batchId, ...(last ? [last] : [])]) {
    const status = await deps.orchestrationStatus(instanceId);
    if (status && BUSY.has(status)) return `${instanceId} is ${status}; replay it once it has finished`;
  }
  return null;
}

async function replayOne(deps: ReplayDeps, batchId: string): Promise<ReplayStarted | { problem: Problem }> {
  const record = await deps.ledger.get(batchId);
  if (!record) return { problem: problem('unknown-batch', `no batch ${batchId}`) };
  const busy = await busyReason(deps, batchId);
  if (busy) return { problem: problem('replay-in-progress', busy) };
  const headers = await headersOf(deps.lake, record.rawBlobName);
  // Without its body the batch cannot run again; starting it would only fail in the transform activity.
  if (!headers) return { problem: problem('nothing-to-replay', `raw payload erased or missing: ${record.rawBlobName}`) };
  const input: IngestBatchInput = {
    batchId,
    source: record.source,
    rawBlobName: record.rawBlobName,
    contentType: record.contentType,
    receivedAt: record.receivedAt,
    headers,
  };
  const replayId = await deps.replays.next(batchId, deps.now?.() ?? new Date());
  await deps.startOrchestration(replayId, input);
  return { batchId, replayId };
}

export async function replayBatches(deps: ReplayDeps, request: ReplayRequest): Promise<ReplayResult> {
  if ('batchId' in request) {
    const one = await replayOne(deps, request.batchId);
    return 'problem' in one ? { ok: false, problem: one.problem } : { ok: true, replays: [one], skipped: [] };
  }
  const batchIds = await batchesQuarantinedOn(deps.lake, request.businessDate);
  if (batchIds.length === 0) {
    return { ok: false, problem: problem('nothing-to-replay', `no quarantined transactions on ${request.businessDate}`) };
  }
  const result: ReplayResult = { ok: true, replays: [], skipped: [] };
  for (const batchId of batchIds) {
    const one = await replayOne(deps, batchId);
    if ('problem' in one) result.skipped.push({ batchId, reason: one.problem.detail });
    else result.replays.push(one);
  }
  return result;
}
