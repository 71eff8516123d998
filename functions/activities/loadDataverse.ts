// functions/activities/loadDataverse.ts: activity `loadDataverse` of ingestBatch (valid transactions upserted;
// refused ones quarantined with the service's error).
import * as df from 'durable-functions';
import { ingestServicesFor } from '../../shared/ingest/ingestServices';
import { ACTIVITIES } from '../../shared/orchestration/ingestBatchOrchestration';
import { loadDataverseBatch } from '../../shared/orchestration/loadDataverseBatch';

df.app.activity(ACTIVITIES.loadDataverse, {
  handler: async (input: { batchId: string; ref: string; final?: boolean }) => {
    const services = ingestServicesFor(process.env);
    return loadDataverseBatch({ dataverse: services.dataverse, lake: await services.lake(), work: await services.work() }, input);
  },
});
