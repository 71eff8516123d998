// test/lake/lakeFixture.ts: a real Azurite with a `lake` container, and DuckDB as the independent reader.
// DuckDB cannot reach Azurite offline, so the blobs a reader would read are downloaded to a temp folder
// first, keeping their lake paths (Hive partition folders included).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { startAzurite, type AzuriteInstance } from '../../local/azurite';
import { listPartitions, readManifest, partitionDir, type CuratedTableName } from '../../shared/lake';

export interface Lake {
  azurite: AzuriteInstance;
  container: ContainerClient;
  /** A fresh container per test keeps tests independent on one Azurite. */
  fresh(): Promise<ContainerClient>;
  duck: DuckDBConnection;
  tmp: string;
  stop(): Promise<void>;
}

let counter = 0;

export async function startLake(): Promise<Lake> {
  const azurite = await startAzurite();
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const fresh = async () => {
    const c = service.getContainerClient(`lake${++counter}x${process.pid}`);
    await c.create();
    return c;
  };
  const container = await fresh();
  const db = await DuckDBInstance.create(':memory:');
  const duck = await db.connect();
  const tmp = mkdtempSync(path.join(tmpdir(), 'lake-test-'));
  return {
    azurite,
    container,
    fresh,
    duck,
    tmp,
    async stop() {
      duck.closeSync();
      db.closeSync();
      rmSync(tmp, { recursive: true, force: true });
      await azurite.stop();
    },
  };
}

/** Every blob with its ETag, sorted: two equal listings mean nothing was written in between. */
export async function listing(container: ContainerClient, prefix = ''): Promise<Array<{ name: string; etag: string }>> {
  const out: Array<{ name: string; etag: string }> = [];
  for await (const b of container.listBlobsFlat({ prefix })) out.push({ name: b.name, etag: b.properties.etag! });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Downloads the files the manifests of `table` list (what a manifest-honouring reader reads); returns local paths. */
export async function downloadLive(lake: Lake, container: ContainerClient, table: CuratedTableName): Promise<string[]> {
  const root = mkdtempSync(path.join(lake.tmp, `${table}-`));
  const files: string[] = [];
  for (const partition of await listPartitions(container, table)) {
    const dir = partitionDir(table, partition);
    const version = await readManifest(container, dir);
    for (const f of version?.manifest.files ?? []) {
      const local = path.join(root, dir, f.name);
      mkdirSync(path.dirname(local), { recursive: true });
      writeFileSync(local, await container.getBlobClient(`${dir}/${f.name}`).downloadToBuffer());
      files.push(local);
    }
  }
  return files.sort();
}

export async function query(lake: Lake, sql: string): Promise<Array<Record<string, unknown>>> {
  const reader = await lake.duck.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
}

/** DuckDB SQL list literal of local file paths. */
export const fileList = (files: string[]) => `[${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}]`;
