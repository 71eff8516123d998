// functions/activities/protect.ts: activity `protect` of ingestBatch (final card scan, customer references only).
import * as df from 'durable-functions';
import { ingestServicesFor } from '../../shared/ingest/ingestServices';
import { ACTIVITIES } from '../../shared/orchestration/ingestBatchOrchestration';
import { protectBatch } from '../../shared/orchestration/protectBatch';

df.app.activity(ACTIVITIES.protect, {
  handler: async (input: { batchId: string; ref: string }) => protectBatch({ work: await ingestServicesFor(process.env).work() }, input),
});
