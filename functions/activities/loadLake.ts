// functions/activities/loadLake.ts: activity `loadLake` of ingestBatch (curated Parquet + quarantine, idempotent).
import * as df from 'durable-functions';
import { ingestServicesFor } from '../../shared/ingest/ingestServices';
import { ACTIVITIES } from '../../shared/orchestration/ingestBatchOrchestration';
import { loadLakeBatch } from '../../shared/orchestration/loadLakeBatch';

df.app.activity(ACTIVITIES.loadLake, {
  handler: async (input: { batchId: string; ref: string }) => {
    const services = ingestServicesFor(process.env);
    return loadLakeBatch({ lake: await services.lake(), work: await services.work() }, input);
  },
});
