// test/webhooks/hubRuntime.ts: the real app (functions/index) in the local runtime for the webhook,
// stream and replay acceptance tests, and what they read back: batch status, the lake's curated rows
// and quarantine entries, table rows, blobs.
import { setTimeout as sleep } from 'node:timers/promises';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startRuntime, type Runtime } from '../../local/runtime';
import { listPartitions, readPartition } from '../../shared/lake';

export const BASE_SETTINGS: Record<string, string> = {
  POS_HUB_PSEUDONYM_KEY: 'acceptance-pseudonym-key-0123456789abcdef',
  POS_HUB_DEFAULT_CURRENCY: 'USD',
};

/**
 * Starts the runtime on `dataDir`. The runtime points the lake at its own Azurite and accepts its local
 * function key on the ingest, status and admin API (POS_HUB_INGEST_KEYS and POS_HUB_ADMIN_KEYS).
 */
export function startHub(dataDir: string, settings: Record<string, string>, logs: string[]): Promise<Runtime> {
  return startRuntime({ dataDir, settings: { ...BASE_SETTINGS, ...settings }, log: (m) => logs.push(m) });
}

export function lakeOf(runtime: Runtime): ContainerClient {
  return BlobServiceClient.fromConnectionString(runtime.storageConnectionString).getContainerClient('lake');
}

export function tableOf(runtime: Runtime, name: string): TableClient {
  return TableClient.fromConnectionString(runtime.storageConnectionString, name, { allowInsecureConnection: true });
}

export async function tableRows<T extends object>(runtime: Runtime, name: string): Promise<T[]> {
  const rows: T[] = [];
  try {
    for await (const e of tableOf(runtime, name).listEntities<T>()) rows.push(e);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
  return rows;
}

export async function blobNames(lake: ContainerClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  if (!(await lake.exists())) return names;
  for await (const b of lake.listBlobsFlat({ prefix })) names.push(b.name);
  return names.sort();
}

export interface BatchStatus {
  batchId: string;
  status: string;
  accepted: number;
  quarantined: number;
  transactions: number;
}

export async function batchStatus(runtime: Runtime, batchId: string): Promise<BatchStatus> {
  const res = await fetch(`${runtime.baseUrl}/api/v1/batches/${batchId}`, { headers: { 'x-functions-key': runtime.functionKey } });
  return (await res.json()) as BatchStatus;
}

/** Polls until the batch is completed or failed. */
export async function settledBatch(runtime: Runtime, batchId: string, logs: string[], timeoutMs = 30_000): Promise<BatchStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await batchStatus(runtime, batchId);
    if (s.status === 'completed' || s.status === 'failed') return s;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} still ${s.status}:\n${logs.slice(-20).join('\n')}`);
    await sleep(200);
  }
}

/** Polls the durable status of an instance until it has finished. */
export async function settledInstance(runtime: Runtime, instanceId: string, logs: string[], timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${runtime.baseUrl}/runtime/webhooks/durabletask/instances/${instanceId}`);
    const status = res.status === 404 ? 'Unknown' : ((await res.json()) as { runtimeStatus: string }).runtimeStatus;
    if (['Completed', 'Failed', 'Terminated'].includes(status)) return status;
    if (Date.now() > deadline) throw new Error(`instance ${instanceId} still ${status}:\n${logs.slice(-20).join('\n')}`);
    await sleep(200);
  }
}

/** Every live curated transaction row: transaction id -> batch ids that hold it (exactly one when all is well). */
export async function curatedTransactions(lake: ContainerClient): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!(await lake.exists())) return out;
  for (const partition of await listPartitions(lake, 'transactions')) {
    for (const row of (await readPartition(lake, 'transactions', partition)).rows) {
      const id = String(row.transaction_id);
      out.set(id, [...(out.get(id) ?? []), String(row.batch_id)]);
    }
  }
  return out;
}

/** Quarantined transactions: id -> error finding codes, across every quarantine blob. */
export async function quarantinedTransactions(lake: ContainerClient): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const name of await blobNames(lake, 'quarantine/')) {
    const text = (await lake.getBlobClient(name).downloadToBuffer()).toString('utf8');
    for (const line of text.split('\n').filter((l) => l.trim())) {
      const tx = JSON.parse(line) as { id: string; findings: { code: string; severity: string }[] };
      out.set(tx.id, tx.findings.filter((f) => f.severity === 'error').map((f) => f.code));
    }
  }
  return out;
}
