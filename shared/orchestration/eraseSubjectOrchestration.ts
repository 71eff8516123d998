// shared/orchestration/eraseSubjectOrchestration.ts: the `eraseSubject` orchestration (GDPR erasure of one
// person), framework-free like ingestBatch (functions/eraseSubject.ts binds it). The three zones are
// independent, so they run in parallel, each activity retried and idempotent: a re-run after a failure
// finds nothing left where it had finished. Before them, it waits (bounded) for the batches accepted
// before the request to finish, so none of the person's loads after its zone was erased.
// Deterministic: no clock, no randomness, no I/O here.
import type { CuratedErasure } from '../lake/eraseFromCurated';
import type { DataverseErasure } from '../dataverse/eraseContacts';
import type { RawZonesErasure } from '../privacy/eraseFromRawZones';
import type { InFlightBatches } from './inFlightBatches';

export const ERASE_SUBJECT = 'eraseSubject';
export const ERASE_ACTIVITIES = {
  curated: 'eraseCurated',
  rawZones: 'eraseRawZones',
  dataverse: 'eraseDataverse',
  record: 'recordErasure',
  inFlight: 'erasureInFlightBatches',
} as const;

/**
 * The batches accepted before the request are looked at again after 10 s, then twice as long each time
 * up to 2 minutes (a long wait stays a short history), for an hour at most.
 */
export const IN_FLIGHT_POLL_MS = 10_000;
export const IN_FLIGHT_POLL_MAX_MS = 120_000;
export const IN_FLIGHT_MAX_WAIT_MS = 60 * 60_000;

/** The orchestration's input: references only; the request's clear identifiers never reach storage. */
export interface ErasureInput {
  refs: string[];
  dryRun: boolean;
  /** ISO instant of the request: batches accepted before it are waited for. Absent: no wait. */
  acceptedBefore?: string;
}

/** What the wait found: batches unfinished when it began, and those still unfinished when it ended. */
export interface InFlightWait {
  found: number;
  /** Non-zero only when the wait gave up after IN_FLIGHT_MAX_WAIT_MS: run the erasure again later. */
  stillRunning: number;
  /** The first few still running, to look at. */
  batchIds: string[];
}

export interface ErasureReport {
  dryRun: boolean;
  references: number;
  curated: CuratedErasure;
  rawZones: RawZonesErasure;
  /** Null when no Dataverse environment is configured. */
  dataverse: DataverseErasure | null;
  /** Null when the request named no instant to wait from (erasures started before the wait existed). */
  inFlight: InFlightWait | null;
}

/** What the `recordErasure` activity is given once the zones are done. */
export interface RecordErasureInput {
  erasureId: string;
  finishedAt: string;
  report: ErasureReport;
}

export interface ErasureSteps<T> {
  input: ErasureInput;
  instanceId: string;
  /** The orchestration's current time (context.df.currentUtcDateTime): the same on every replay. */
  now(): Date;
  /** callActivityWithRetry with the app's retry policy. */
  call(activity: string, input: ErasureInput | RecordErasureInput | { acceptedBefore: string }): T;
  all(tasks: T[]): T;
  /** A durable timer firing at `at`. */
  timer(at: Date): T;
}

function* waitForInFlight<T>(steps: ErasureSteps<T>, acceptedBefore: string): Generator<T, InFlightWait, unknown> {
  const giveUpAt = steps.now().getTime() + IN_FLIGHT_MAX_WAIT_MS;
  let found: number | null = null;
  let pause = IN_FLIGHT_POLL_MS;
  for (;;) {
    const left = (yield steps.call(ERASE_ACTIVITIES.inFlight, { acceptedBefore })) as InFlightBatches;
    found ??= left.count;
    const now = steps.now().getTime();
    if (left.count === 0 || now >= giveUpAt) return { found, stillRunning: left.count, batchIds: left.batchIds };
    yield steps.timer(new Date(Math.min(now + pause, giveUpAt)));
    pause = Math.min(pause * 2, IN_FLIGHT_POLL_MAX_MS);
  }
}

export function* eraseSubjectOrchestration<T>(steps: ErasureSteps<T>): Generator<T, ErasureReport, unknown> {
  const { input } = steps;
  const inFlight = input.acceptedBefore ? yield* waitForInFlight(steps, input.acceptedBefore) : null;
  const [curated, rawZones, dataverse] = (yield steps.all([
    steps.call(ERASE_ACTIVITIES.curated, input),
    steps.call(ERASE_ACTIVITIES.rawZones, input),
    steps.call(ERASE_ACTIVITIES.dataverse, input),
  ])) as [CuratedErasure, RawZonesErasure, DataverseErasure | null];
  const report: ErasureReport = { dryRun: input.dryRun, references: input.refs.length, curated, rawZones, dataverse, inFlight };
  // The lasting record (counts only), after the zones: it says what was done, not what was planned.
  yield steps.call(ERASE_ACTIVITIES.record, { erasureId: steps.instanceId, finishedAt: steps.now().toISOString(), report });
  return report;
}
