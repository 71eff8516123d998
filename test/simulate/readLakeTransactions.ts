// test/simulate/readLakeTransactions.ts: what the hub stored, read back the way its own readers do:
// curated transaction ids through the partition manifests (shared/lake), quarantined ones from the
// quarantine NDJSON blobs, and every stored blob's bytes for card-number checks.
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { CURATED_TABLE_NAMES, listPartitions, readPartition } from '../../shared/lake';

export interface LakeTransactions {
  /** One entry per live curated row (a transaction id twice means two rows). */
  curated: string[];
  /** One entry per record the lake load quarantined. */
  quarantine: string[];
  /**
   * Records the Dataverse load could not deliver (`batch-<id>.dataverse.ndjson`): transactions the lake
   * routed on their own, held for a Dataverse re-drive; not a second lake copy.
   */
  dataverseQuarantine: string[];
  /** Every live curated row of every table, as JSON text (Parquet pages may be compressed on disk). */
  curatedText: string;
}

export function lakeContainer(storageConnectionString: string, name = 'lake'): ContainerClient {
  return BlobServiceClient.fromConnectionString(storageConnectionString).getContainerClient(name);
}

/** The id of a quarantine record: canonical JSON with findings, or a record wrapping the transaction. */
function idOf(record: unknown): string | null {
  if (typeof record !== 'object' || record === null) return null;
  const r = record as { id?: unknown; transaction?: { id?: unknown } };
  if (typeof r.id === 'string') return r.id;
  if (typeof r.transaction?.id === 'string') return r.transaction.id;
  return null;
}

export async function readLakeTransactions(container: ContainerClient): Promise<LakeTransactions> {
  const curated: string[] = [];
  const texts: string[] = [];
  for (const table of CURATED_TABLE_NAMES) {
    for (const partition of await listPartitions(container, table)) {
      const { rows } = await readPartition(container, table, partition);
      if (table === 'transactions') for (const row of rows) curated.push(String(row.transaction_id));
      texts.push(JSON.stringify(rows));
    }
  }
  const quarantine: string[] = [];
  const dataverseQuarantine: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: 'quarantine/' })) {
    if (!blob.name.endsWith('.ndjson')) continue;
    const text = (await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const id = idOf(JSON.parse(line));
      if (id === null)
        throw new Error(`quarantine record without a transaction id in ${blob.name}: ${line.slice(0, 200)}`);
      (blob.name.endsWith('.dataverse.ndjson') ? dataverseQuarantine : quarantine).push(id);
    }
  }
  return { curated, quarantine, dataverseQuarantine, curatedText: texts.join('\n') };
}

/**
 * Names of blobs under `prefixes` whose text contains one of `needles` (also with spaces and dashes
 * removed). Text zones only: curated Parquet pages may be compressed, so curated rows are checked
 * decoded (LakeTransactions.curatedText).
 */
export async function blobsContaining(
  container: ContainerClient,
  needles: string[],
  prefixes = ['raw/', 'quarantine/'],
): Promise<string[]> {
  const hits: string[] = [];
  for (const prefix of prefixes)
    for await (const blob of container.listBlobsFlat({ prefix })) {
      const text = (await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8');
      const digits = text.replace(/[ -]/g, '');
      if (needles.some((n) => text.includes(n) || digits.includes(n))) hits.push(blob.name);
    }
  return hits;
}
