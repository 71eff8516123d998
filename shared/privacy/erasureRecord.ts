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
  return { level: 'info', message: [OPERATION_EVENTS.erasureOutcome, `erasure=${r.erasureId}`, ...counts].join(' ') };
}
