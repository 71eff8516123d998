// shared/stores/batchLedger.ts: the ingest ledger, one Azure Tables entity per batch: what was
// received (source, raw blob, content hash, time), where the batch is, and its final counts. Ingest
// creates the entity; the orchestration's last activity records the outcome. Partition key = batch id,
// so every read and write is a point operation (no hot partition).
import { RestError, type TableClient } from '@azure/data-tables';
import type { Finding } from '../model';
import { tableOnce } from './tableOnce';

export const BATCH_LEDGER_TABLE = 'PosHubBatches';

export type BatchLedgerStatus = 'accepted' | 'completed' | 'failed';

export interface BatchCounts {
  /** Canonical transactions the body produced. */
  transactions: number;
  /** Transactions loaded to the curated zone. */
  accepted: number;
  /** Transactions in the quarantine zone. */
  quarantined: number;
  /** Valid transactions Dataverse confirmed / that went to quarantine with the service's error. */
  dataverseLoaded: number;
  dataverseFailed: number;
}

export interface BatchRecord {
  batchId: string;
  source: string;
  rawBlobName: string;
  /** SHA-256 of the stored (scrubbed) body. */
  sha256: string;
  contentType: string;
  receivedAt: string;
  status: BatchLedgerStatus;
  counts: BatchCounts | null;
  /** Findings about the body as a whole (payload level). */
  findings: Finding[];
  /** When the status last changed. */
  updatedAt: string;
}

export interface BatchLedger {
  get(batchId: string): Promise<BatchRecord | null>;
  /** Creates the entry; `exists` when one is already there (a concurrent or earlier delivery). */
  create(record: Omit<BatchRecord, 'status' | 'counts' | 'findings' | 'updatedAt'>): Promise<'created' | 'exists'>;
  /** Records the outcome of a run (idempotent: the same outcome written twice is the same entity). */
  recordOutcome(batchId: string, outcome: { status: BatchLedgerStatus; counts: BatchCounts | null; findings: Finding[] }, at: Date): Promise<void>;
}

const ROW = 'batch';
// A string property holds at most 32K UTF-16 characters; findings beyond that are summarized.
const MAX_FINDINGS_CHARS = 30_000;

interface Entity {
  partitionKey: string;
  rowKey: string;
  source: string;
  rawBlobName: string;
  sha256: string;
  contentType: string;
  receivedAt: string;
  status: string;
  counts?: string;
  findings?: string;
  updatedAt: string;
}

function findingsText(findings: Finding[]): string {
  let kept = findings;
  let text = JSON.stringify(kept);
  while (text.length > MAX_FINDINGS_CHARS && kept.length > 0) {
    kept = kept.slice(0, Math.floor(kept.length / 2));
    const dropped = findings.length - kept.length;
    text = JSON.stringify([...kept, { code: 'ledger.findings_truncated', severity: 'warning', path: '', message: `${dropped} more finding(s) not kept in the ledger` }]);
  }
  return text;
}

function toRecord(e: Entity): BatchRecord {
  return {
    batchId: e.partitionKey,
    source: e.source,
    rawBlobName: e.rawBlobName,
    sha256: e.sha256,
    contentType: e.contentType,
    receivedAt: e.receivedAt,
    status: e.status as BatchLedgerStatus,
    counts: e.counts ? (JSON.parse(e.counts) as BatchCounts) : null,
    findings: e.findings ? (JSON.parse(e.findings) as Finding[]) : [],
    updatedAt: e.updatedAt,
  };
}

const isStatus = (err: unknown, status: number) => err instanceof RestError && err.statusCode === status;

export function createBatchLedger(table: TableClient): BatchLedger {
  const ensureTable = tableOnce(table);

  return {
    async get(batchId) {
      await ensureTable();
      try {
        return toRecord(await table.getEntity<Entity>(batchId, ROW));
      } catch (err) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
    },
    async create(record) {
      await ensureTable();
      const entity: Entity = {
        partitionKey: record.batchId,
        rowKey: ROW,
        source: record.source,
        rawBlobName: record.rawBlobName,
        sha256: record.sha256,
        contentType: record.contentType,
        receivedAt: record.receivedAt,
        status: 'accepted',
        updatedAt: record.receivedAt,
      };
      try {
        await table.createEntity(entity);
        return 'created';
      } catch (err) {
        if (isStatus(err, 409)) return 'exists';
        throw err;
      }
    },
    async recordOutcome(batchId, outcome, at) {
      await ensureTable();
      await table.updateEntity(
        {
          partitionKey: batchId,
          rowKey: ROW,
          status: outcome.status,
          counts: outcome.counts ? JSON.stringify(outcome.counts) : '',
          findings: findingsText(outcome.findings),
          updatedAt: at.toISOString(),
        },
        'Merge',
      );
    },
  };
}
