// shared/streams/ingestStreamBatch.ts: what the Event Hubs trigger does with one batch: group the events
// (groupStreamEvents), accept each group as one ingest batch, dead-letter what cannot be ingested. It
// never throws for a bad event; it throws only when an event could neither be accepted nor dead-lettered
// (storage down), so the host's retry policy runs the batch again rather than checkpoint past it.
import type { ContainerClient } from '@azure/storage-blob';
import { STORE_ID_HEADER } from '../ingest/storeHint';
import type { AcceptBatchRequest, AcceptBatchResult } from '../ingest/acceptBatch';
import { groupStreamEvents, type IngestGroup, type RejectedEvent, type StreamTriggerBatch } from './groupStreamEvents';
import { writeDeadLetter } from './writeDeadLetter';

export interface StreamIngestDeps {
  lake: ContainerClient;
  maxBodyBytes: number;
  /** acceptBatch with its dependencies bound. */
  accept(req: AcceptBatchRequest): Promise<AcceptBatchResult>;
  log(message: string): void;
  /** Delays between attempts of a group whose acceptance failed on infrastructure. */
  retryDelaysMs?: readonly number[];
}

export interface StreamIngestResult {
  batches: { batchId: string; source: string; events: number; duplicate: boolean }[];
  /** `source` is the event's own `source` property as sent (untrusted text), null when it has none. */
  deadLettered: { blobName: string; code: string; source: string | null }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function acceptWithRetry(deps: Pick<StreamIngestDeps, 'accept' | 'log' | 'retryDelaysMs'>, req: AcceptBatchRequest): Promise<AcceptBatchResult | { ok: 'error'; error: unknown }> {
  const delays = deps.retryDelaysMs ?? [200, 1000, 5000];
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.accept(req);
    } catch (error) {
      if (attempt >= delays.length) return { ok: 'error', error };
      deps.log(`accepting ${req.source} events failed (attempt ${attempt + 1}), retrying: ${error instanceof Error ? error.message : String(error)}`);
      await sleep(delays[attempt]!);
    }
  }
}

/** The acceptBatch request the stream makes for a group. */
export function streamAcceptRequest(group: IngestGroup, receivedAt: Date): AcceptBatchRequest {
  return {
    source: group.source,
    body: Buffer.from(group.body, 'utf8'),
    contentType: group.contentType,
    // The producer's `storeId` property is the same hint as the ingest API's header; acceptBatch
    // refuses a malformed one, and the group's events are then dead-lettered with that problem.
    headers: group.storeId === null ? {} : { [STORE_ID_HEADER]: group.storeId },
    idempotencyKey: group.idempotencyKey,
    receivedAt,
  };
}

/**
 * One group through acceptBatch as the stream sends it, retried on infrastructure errors. A refusal, or
 * a failure that outlasts the retries (`accept-failed`), comes back as the error its dead letters carry.
 * Shared with the re-drive of dead letters (redriveDeadLetters.ts), so both accept an event alike.
 */
export async function acceptStreamGroup(
  deps: Pick<StreamIngestDeps, 'accept' | 'log' | 'retryDelaysMs'>,
  group: IngestGroup,
  receivedAt: Date,
): Promise<{ ok: true; batchId: string; duplicate: boolean } | { ok: false; error: { code: string; message: string } }> {
  const accepted = await acceptWithRetry(deps, streamAcceptRequest(group, receivedAt));
  if (accepted.ok === true) return { ok: true, batchId: accepted.batchId, duplicate: accepted.duplicate };
  const error =
    accepted.ok === false
      ? { code: accepted.problem.type.replace(/^urn:pos-hub:problem:/, ''), message: accepted.problem.detail }
      : { code: 'accept-failed', message: accepted.error instanceof Error ? accepted.error.message : String(accepted.error) };
  return { ok: false, error };
}

export async function ingestStreamBatch(deps: StreamIngestDeps, batch: StreamTriggerBatch, receivedAt: Date): Promise<StreamIngestResult> {
  const { groups, rejected } = groupStreamEvents(batch, { maxEventBytes: deps.maxBodyBytes, maxBatchBytes: deps.maxBodyBytes });
  const result: StreamIngestResult = { batches: [], deadLettered: [] };
  const toDeadLetter: RejectedEvent[] = [...rejected];

  for (const group of groups) {
    const accepted = await acceptStreamGroup(deps, group, receivedAt);
    if (accepted.ok) {
      result.batches.push({ batchId: accepted.batchId, source: group.source, events: group.events.length, duplicate: accepted.duplicate });
      continue;
    }
    for (const event of group.events) toDeadLetter.push({ event, error: accepted.error });
  }

  for (const r of toDeadLetter) {
    const blobName = await writeDeadLetter(deps.lake, batch, r);
    const source = r.event.properties.source;
    result.deadLettered.push({ blobName, code: r.error.code, source: typeof source === 'string' ? source : null });
  }
  deps.log(
    `partition ${batch.partitionId}: ${batch.events.length} event(s) -> ${result.batches.length} batch(es), ${result.deadLettered.length} dead-lettered`,
  );
  return result;
}
