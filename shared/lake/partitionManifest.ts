// shared/lake/partitionManifest.ts: the `_manifest.json` of a curated partition, the only list of its live
// files. Every change is a compare-and-swap on the manifest blob's ETag (If-Match, or If-None-Match: *
// for the first one), retried on conflict, so two writers never lose each other's update and a reader
// that follows one manifest version sees one consistent set of files.
import { z } from 'zod';
import type { ContainerClient } from '@azure/storage-blob';
import { blobBytes, isStatus } from './blobBytes';

export const ManifestFile = z.object({
  /** Blob name relative to the partition folder. */
  name: z.string().min(1),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Batch id -> the transaction ids of that batch whose rows this file holds (only live rows). */
  batches: z.record(z.string(), z.array(z.string())),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const PartitionManifest = z.object({
  schemaVersion: z.literal(1),
  table: z.string(),
  businessDate: z.string(),
  storeId: z.string().nullable(),
  files: z.array(ManifestFile),
  /** Batch id -> hash of what that batch last loaded here; a reload with the same hash changes nothing. */
  batches: z.record(z.string(), z.object({ contentHash: z.string(), loadedAt: z.string() })),
});
export type PartitionManifest = z.infer<typeof PartitionManifest>;

export const MANIFEST_NAME = '_manifest.json';

export function manifestBlobName(dir: string): string {
  return `${dir}/${MANIFEST_NAME}`;
}

export interface ManifestVersion {
  manifest: PartitionManifest;
  etag: string;
}

/** The manifest of a partition folder, or null when the partition has none yet. */
export async function readManifest(container: ContainerClient, dir: string): Promise<ManifestVersion | null> {
  const found = await blobBytes(container.getBlobClient(manifestBlobName(dir)));
  if (!found) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(found.bytes.toString('utf8'));
  } catch (err) {
    throw new Error(`${manifestBlobName(dir)} is not JSON; refusing to overwrite it`, { cause: err });
  }
  const result = PartitionManifest.safeParse(parsed);
  if (!result.success) throw new Error(`${manifestBlobName(dir)} is not a valid manifest (${result.error.issues[0]?.message}); refusing to overwrite it`);
  return { manifest: result.data, etag: found.etag };
}

/**
 * Thrown by a planner that finds a file of the manifest it read already gone: a newer manifest has
 * replaced it (compaction or another load), so the plan is redone on that one.
 */
export class StaleManifestError extends Error {
  override name = 'StaleManifestError';
}

/** What a planner decides for one manifest version: a new manifest, or nothing to change. */
export type ManifestPlan<T> =
  | { next: PartitionManifest; result: T; discard?: () => Promise<void> }
  | { next: null; result: T };

export interface UpdateOptions {
  maxAttempts?: number;
}

/**
 * Reads the manifest, asks `plan` what it should become, and writes that on the condition that nobody
 * wrote in between. On a conflict the plan's `discard` cleans up what the lost attempt wrote, and the
 * plan runs again on the newer manifest. Returns the winning plan's result.
 */
export async function updateManifest<T>(
  container: ContainerClient,
  dir: string,
  plan: (current: PartitionManifest | null) => Promise<ManifestPlan<T>>,
  options: UpdateOptions = {},
): Promise<{ result: T; changed: boolean; etag: string | null }> {
  const blob = container.getBlockBlobClient(manifestBlobName(dir));
  const maxAttempts = options.maxAttempts ?? 30;
  for (let attempt = 1; ; attempt++) {
    const current = await readManifest(container, dir);
    let decided: ManifestPlan<T>;
    try {
      decided = await plan(current?.manifest ?? null);
    } catch (err) {
      if (!(err instanceof StaleManifestError) || attempt >= maxAttempts) throw err;
      continue;
    }
    if (decided.next === null) return { result: decided.result, changed: false, etag: current?.etag ?? null };
    const body = JSON.stringify(decided.next);
    try {
      const res = await blob.upload(body, Buffer.byteLength(body), {
        conditions: current ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return { result: decided.result, changed: true, etag: res.etag ?? null };
    } catch (err) {
      // 412: the ETag moved. 409: If-None-Match: * found that another writer created it first.
      if (!isStatus(err, 409, 412)) throw err;
      await decided.discard?.();
      if (attempt >= maxAttempts) throw new Error(`${manifestBlobName(dir)}: gave up after ${attempt} conflicting updates`, { cause: err });
      await new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** Math.min(attempt, 6)) * Math.random()));
    }
  }
}

/** The transaction ids whose rows a file holds, over all its batches. */
export function idsOfFile(file: ManifestFile): Set<string> {
  const ids = new Set<string>();
  for (const list of Object.values(file.batches)) for (const id of list) ids.add(id);
  return ids;
}
