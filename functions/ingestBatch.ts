// functions/ingestBatch.ts: the `ingestBatch` orchestration (one instance per batch, instance id = batch
// id), bound to durable-functions; its steps are in shared/orchestration/ingestBatchOrchestration.ts.
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { IngestBatchInput } from '../shared/ingest/acceptBatch';
import { INGEST_BATCH, ingestBatchOrchestration } from '../shared/orchestration/ingestBatchOrchestration';

// Three attempts, 5 s then 10 s apart: rides out a storage or Dataverse hiccup; every activity is idempotent.
const retry = new df.RetryOptions(5000, 3);
retry.backoffCoefficient = 2;

df.app.orchestration(INGEST_BATCH, function* (context: OrchestrationContext) {
  return yield* ingestBatchOrchestration({
    input: context.df.getInput() as IngestBatchInput,
    call: (name, input) => context.df.callActivityWithRetry(name, retry, input),
    all: (tasks) => context.df.Task.all(tasks),
    setStatus: (status) => context.df.setCustomStatus(status),
  });
});
