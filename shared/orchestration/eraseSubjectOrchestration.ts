// shared/orchestration/eraseSubjectOrchestration.ts: the `eraseSubject` orchestration (GDPR erasure of one
// person), framework-free like ingestBatch (functions/eraseSubject.ts binds it). The three zones are
// independent, so they run in parallel, each activity retried and idempotent: a re-run after a failure
// finds nothing left where it had finished. Deterministic: no clock, no randomness, no I/O here.
import type { CuratedErasure } from '../lake/eraseFromCurated';
import type { DataverseErasure } from '../dataverse/eraseContacts';
import type { RawZonesErasure } from '../privacy/eraseFromRawZones';

export const ERASE_SUBJECT = 'eraseSubject';
export const ERASE_ACTIVITIES = {
  curated: 'eraseCurated',
  rawZones: 'eraseRawZones',
  dataverse: 'eraseDataverse',
  record: 'recordErasure',
} as const;

/** The orchestration's input: references only; the request's clear identifiers never reach storage. */
export interface ErasureInput {
  refs: string[];
  dryRun: boolean;
}

export interface ErasureReport {
  dryRun: boolean;
  references: number;
  curated: CuratedErasure;
  rawZones: RawZonesErasure;
  /** Null when no Dataverse environment is configured. */
  dataverse: DataverseErasure | null;
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
  call(activity: string, input: ErasureInput | RecordErasureInput): T;
  all(tasks: T[]): T;
}

export function* eraseSubjectOrchestration<T>(steps: ErasureSteps<T>): Generator<T, ErasureReport, unknown> {
  const { input } = steps;
  const [curated, rawZones, dataverse] = (yield steps.all([
    steps.call(ERASE_ACTIVITIES.curated, input),
    steps.call(ERASE_ACTIVITIES.rawZones, input),
    steps.call(ERASE_ACTIVITIES.dataverse, input),
  ])) as [CuratedErasure, RawZonesErasure, DataverseErasure | null];
  const report: ErasureReport = { dryRun: input.dryRun, references: input.refs.length, curated, rawZones, dataverse };
  // The lasting record (counts only), after the zones: it says what was done, not what was planned.
  yield steps.call(ERASE_ACTIVITIES.record, { erasureId: steps.instanceId, finishedAt: steps.now().toISOString(), report });
  return report;
}
