// functions/activities/recordBatch.ts: activity `recordBatch` of ingestBatch (outcome and counts in the ledger).
import * as df from 'durable-functions';
import { ingestServicesFor } from '../../shared/ingest/ingestServices';
import { ACTIVITIES } from '../../shared/orchestration/ingestBatchOrchestration';
import { recordBatch, type RecordBatchInput } from '../../shared/orchestration/recordBatch';

df.app.activity(ACTIVITIES.recordBatch, {
  handler: async (input: RecordBatchInput) => {
    const services = ingestServicesFor(process.env);
    await recordBatch({ ledger: services.ledger, work: await services.work() }, input);
    return null;
  },
});
