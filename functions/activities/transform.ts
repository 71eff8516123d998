// functions/activities/transform.ts: activity `transform` of ingestBatch (raw blob -> canonical work blob).
import * as df from 'durable-functions';
import type { IngestBatchInput } from '../../shared/ingest/acceptBatch';
import { ingestServicesFor } from '../../shared/ingest/ingestServices';
import { ACTIVITIES } from '../../shared/orchestration/ingestBatchOrchestration';
import { transformBatch } from '../../shared/orchestration/transformBatch';

df.app.activity(ACTIVITIES.transform, {
  handler: async (input: IngestBatchInput) => {
    const services = ingestServicesFor(process.env);
    return transformBatch({ lake: await services.lake(), work: await services.work(), sourceContext: services.sourceContext }, input);
  },
});
