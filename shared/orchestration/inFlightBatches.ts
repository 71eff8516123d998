// shared/orchestration/inFlightBatches.ts: the `ingestBatch` instances accepted before a given instant
// that have not finished. An erasure waits for them (eraseSubjectOrchestration): a batch of the person's
// accepted just before the request would otherwise load after the erasure had passed its zone.
import { INGEST_BATCH } from './ingestBatchOrchestration';

/** The part of the durable client's instance query used here (durable-functions' getStatusBy). */
export interface InstanceLister {
  getStatusBy(filter: { createdTimeTo?: Date; runtimeStatus?: string[] }): Promise<{ name?: string; instanceId?: string }[]>;
}

export interface InFlightBatches {
  count: number;
  /** The first few, in order, for the report: batch ids name no person. */
  batchIds: string[];
}

const LISTED = 20;

export async function inFlightBatches(client: InstanceLister, acceptedBefore: Date): Promise<InFlightBatches> {
  // Suspended too: it resumes and loads. Finished ones (Completed, Failed, Terminated) have loaded all
  // they ever will.
  const unfinished = await client.getStatusBy({ createdTimeTo: acceptedBefore, runtimeStatus: ['Pending', 'Running', 'Suspended'] });
  const ids = unfinished
    .filter((s) => s.name === INGEST_BATCH && typeof s.instanceId === 'string')
    .map((s) => s.instanceId!)
    .sort();
  return { count: ids.length, batchIds: ids.slice(0, LISTED) };
}
