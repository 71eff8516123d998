// shared/lake/lakeContainer.ts: the lake's container. Callers build the ContainerClient from their own
// configuration (connection string locally, managed identity in Azure) and pass it in.
import type { ContainerClient } from '@azure/storage-blob';

export const LAKE_CONTAINER = 'lake';

/** Creates the container when missing (local runs; in Azure, Bicep creates it). */
export async function ensureLakeContainer(container: ContainerClient): Promise<ContainerClient> {
  await container.createIfNotExists();
  return container;
}
