// functions/activities/validate.ts: activity `validate` of ingestBatch (batch-level quality rules, routes).
import * as df from 'durable-functions';
import { ingestServicesFor } from '../../shared/ingest/ingestServices';
import { ACTIVITIES } from '../../shared/orchestration/ingestBatchOrchestration';
import { validateBatch } from '../../shared/orchestration/validateBatch';

df.app.activity(ACTIVITIES.validate, {
  handler: async (input: { batchId: string; ref: string }) => validateBatch({ work: await ingestServicesFor(process.env).work() }, input),
});
