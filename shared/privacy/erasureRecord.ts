// shared/privacy/erasureRecord.ts: the lasting record of an erasure run (GDPR Art. 5(2), accountability):
// which erasure ran, when, in which mode and how much it changed in each zone. Counts only: no blob name,
// contact key or reference, since those would keep a trace of the person the erasure removed. Written to
// the lake under `audit/erasures/`, which no lifecycle rule deletes, so it outlives the orchestration
// history that the daily purge removes.
import type { ContainerClient } from '@azure/storage-blob';
import type { ErasureReport } from '../orchestration/eraseSubjectOrchestration';
import { OPERATION_EVENTS, type OperationLogLine } from '../platform/operationEvents';

export interface ErasureRecord {
  erasureId: string;
  /** The orchestration's time at the end of the run (deterministic on replay). */
  finishedAt: string;
  dryRun: boolean;
  references: number;
  curatedTransactions: number;
  curatedFilesRewritten: number;
  rawBlobsDeleted: number;
  quarantineEntries: number;
  deadLettersDeleted: number;
  workBlobsRewritten: number;
  /** Null when no Dataverse environment is configured. */
  contactsDeleted: number | null;
  transactionsUnlinked: number | null;
  /**
   * Batches accepted before the request and unfinished when the run began, and those still unfinished
   * when it stopped waiting (non-zero: run the erasure again once they settle). Null for a run that did
   * not wait (started before the wait existed).
   */
  batchesWaitedFor: number | null;
  batchesStillRunning: number | null;
}

export function erasureRecordOf(erasureId: string, finishedAt: string, report: ErasureReport): ErasureRecord {
  return {
    erasureId,
    finishedAt,
    dryRun: report.dryRun,
    references: report.references,
    curatedTransactions: report.curated.transactions,
    curatedFilesRewritten: report.curated.filesRewritten,
    rawBlobsDeleted: report.rawZones.rawDeleted.length,
    quarantineEntries: report.rawZones.quarantineEntries,
    deadLettersDeleted: report.rawZones.deadLettersDeleted.length,
    workBlobsRewritten: report.rawZones.workBlobsRewritten.length,
    contactsDeleted: report.dataverse?.contactsDeleted.length ?? null,
    transactionsUnlinked: report.dataverse?.transactionsUnlinked ?? null,
    batchesWaitedFor: report.inFlight?.found ?? null,
    batchesStillRunning: report.inFlight?.stillRunning ?? null,
  };
}

/** One blob per run: the same run retried writes the same name and content. */
export function erasureRecordBlobName(record: Pick<ErasureRecord, 'erasureId' | 'finishedAt'>): string {
  return `audit/erasures/${record.erasureId}/${record.finishedAt.replace(/[:.]/g, '-')}.json`;
}

export async function writeErasureRecord(lake: ContainerClient, record: ErasureRecord): Promise<string> {
  const name = erasureRecordBlobName(record);
  const text = JSON.stringify(record, null, 2) + '\n';
  await lake.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'application/json' } });
  return name;
}

export function erasureOutcomeEvent(r: ErasureRecord): OperationLogLine {
  const counts = Object.entries(r)
    .filter(([k]) => k !== 'erasureId' && k !== 'finishedAt')
    .map(([k, v]) => `${k}=${String(v)}`);
  // A run that gave up on batches still loading may have missed what they bring: someone must re-run it.
  const level = (r.batchesStillRunning ?? 0) > 0 ? 'warn' : 'info';
  return { level, message: [OPERATION_EVENTS.erasureOutcome, `erasure=${r.erasureId}`, ...counts].join(' ') };
}

/** A record is a few hundred bytes; a blob far larger under audit/erasures/ is not one, and is not read. */
const MAX_RECORD_BYTES = 64 * 1024;
const COUNTS = ['references', 'curatedTransactions', 'curatedFilesRewritten', 'rawBlobsDeleted', 'quarantineEntries', 'deadLettersDeleted', 'workBlobsRewritten'] as const;
/** Counts that may be null: no Dataverse configured, or a run from before the in-flight wait (absent). */
const NULLABLE_COUNTS = ['contactsDeleted', 'transactionsUnlinked', 'batchesWaitedFor', 'batchesStillRunning'] as const;

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The record in `value` when it is one of `erasureId`'s, with only the record's own fields; else null. */
function recordOf(value: unknown, erasureId: string): ErasureRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.erasureId !== erasureId || typeof v.finishedAt !== 'string' || typeof v.dryRun !== 'boolean') return null;
  if (!COUNTS.every((k) => isCount(v[k])) || !NULLABLE_COUNTS.every((k) => v[k] === null || v[k] === undefined || isCount(v[k]))) return null;
  const pick = <K extends keyof ErasureRecord>(k: K) => v[k] as ErasureRecord[K];
  const nullable = (k: (typeof NULLABLE_COUNTS)[number]) => (v[k] ?? null) as number | null;
  return {
    erasureId,
    finishedAt: pick('finishedAt'),
    dryRun: pick('dryRun'),
    references: pick('references'),
    curatedTransactions: pick('curatedTransactions'),
    curatedFilesRewritten: pick('curatedFilesRewritten'),
    rawBlobsDeleted: pick('rawBlobsDeleted'),
    quarantineEntries: pick('quarantineEntries'),
    deadLettersDeleted: pick('deadLettersDeleted'),
    workBlobsRewritten: pick('workBlobsRewritten'),
    contactsDeleted: nullable('contactsDeleted'),
    transactionsUnlinked: nullable('transactionsUnlinked'),
    batchesWaitedFor: nullable('batchesWaitedFor'),
    batchesStillRunning: nullable('batchesStillRunning'),
  };
}

/**
 * The record of the newest run of `erasureId` that reads as one, or null when there is none. A blob that
 * does not (JSON that does not parse, another shape, another erasure's id, gone since the listing) counts
 * as absent, so one damaged blob makes the answer older or empty, never an error; a storage failure
 * still throws. `erasureId` must already be checked (ERASURE_ID_RE): it becomes a blob prefix.
 */
export async function newestErasureRecord(lake: ContainerClient, erasureId: string): Promise<ErasureRecord | null> {
  const blobs: { name: string; bytes: number }[] = [];
  for await (const b of lake.listBlobsFlat({ prefix: `audit/erasures/${erasureId}/` })) blobs.push({ name: b.name, bytes: b.properties.contentLength ?? 0 });
  // Named after finishedAt (ISO 8601, fixed width, UTC): by name is by the time the runs finished.
  blobs.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  for (const blob of blobs) {
    if (blob.bytes > MAX_RECORD_BYTES) continue;
    let text: string;
    try {
      text = (await lake.getBlobClient(blob.name).downloadToBuffer()).toString('utf8');
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) continue;
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    const record = recordOf(parsed, erasureId);
    if (record) return record;
  }
  return null;
}
