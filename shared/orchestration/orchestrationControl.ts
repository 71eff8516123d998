// shared/orchestration/orchestrationControl.ts: what acceptBatch and the status endpoint need of the
// Durable client (status, start), typed by shape so shared/ does not import durable-functions.
import type { IngestBatchInput, OrchestrationRuntimeStatus } from '../ingest/acceptBatch';
import { INGEST_BATCH } from './ingestBatchOrchestration';

/** The part of durable-functions' DurableClient used here. */
export interface DurableClientLike {
  getStatus(instanceId: string): Promise<{ runtimeStatus: string; output?: unknown }>;
  startNew(orchestratorName: string, options: { instanceId: string; input: unknown }): Promise<string>;
}

export interface OrchestrationControl {
  orchestrationStatus(instanceId: string): Promise<OrchestrationRuntimeStatus | null>;
  startOrchestration(instanceId: string, input: IngestBatchInput): Promise<void>;
}

/** An instance's status, or null when there is no such instance. */
export async function statusOrNull(client: DurableClientLike, instanceId: string): Promise<{ runtimeStatus: string; output?: unknown } | null> {
  try {
    return await client.getStatus(instanceId);
  } catch (err) {
    // The library reports an unknown instance only as an error naming the HTTP 404.
    if (err instanceof Error && /HTTP 404 response/.test(err.message)) return null;
    throw err;
  }
}

export function orchestrationControl(client: DurableClientLike): OrchestrationControl {
  return {
    async orchestrationStatus(instanceId) {
      return ((await statusOrNull(client, instanceId))?.runtimeStatus ?? null) as OrchestrationRuntimeStatus | null;
    },
    async startOrchestration(instanceId, input) {
      await client.startNew(INGEST_BATCH, { instanceId, input });
    },
  };
}
