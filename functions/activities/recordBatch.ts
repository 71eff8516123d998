// functions/activities/recordBatch.ts: activity `recordBatch` of ingestBatch (outcome and counts in the ledger).
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { ingestServicesFor } from '../../shared/ingest/ingestServices';
import { ACTIVITIES } from '../../shared/orchestration/ingestBatchOrchestration';
import { recordBatch, type RecordBatchInput } from '../../shared/orchestration/recordBatch';
import { batchOutcomeEvent } from '../../shared/platform/operationEvents';
import { logOperationEvent } from '../logOperationEvent';

df.app.activity(ACTIVITIES.recordBatch, {
  handler: async (input: RecordBatchInput, context: InvocationContext) => {
    const services = ingestServicesFor(process.env);
    await recordBatch({ ledger: services.ledger, work: await services.work() }, input);
    logOperationEvent(context, batchOutcomeEvent(input));
    return null;
  },
});
