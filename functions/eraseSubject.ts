// functions/eraseSubject.ts: the `eraseSubject` orchestration and its activities (the wait for batches
// in flight, the three zones, then the lasting record), bound to durable-functions; the steps are in
// shared/orchestration/eraseSubjectOrchestration.ts.
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { eraseContacts } from '../shared/dataverse/eraseContacts';
import { ingestServicesFor } from '../shared/ingest/ingestServices';
import { eraseFromCurated } from '../shared/lake/eraseFromCurated';
import { ERASE_ACTIVITIES, ERASE_SUBJECT, eraseSubjectOrchestration, type ErasureInput, type RecordErasureInput } from '../shared/orchestration/eraseSubjectOrchestration';
import { inFlightBatches } from '../shared/orchestration/inFlightBatches';
import { eraseFromRawZones } from '../shared/privacy/eraseFromRawZones';
import { erasureOutcomeEvent, erasureRecordOf, writeErasureRecord } from '../shared/privacy/erasureRecord';
import { logOperationEvent } from './logOperationEvent';

// Three attempts, 10 s then 20 s apart; each activity is idempotent, so a retry finishes what a failed
// attempt left.
const retry = new df.RetryOptions(10_000, 3);
retry.backoffCoefficient = 2;

df.app.orchestration(ERASE_SUBJECT, function* (context: OrchestrationContext) {
  return yield* eraseSubjectOrchestration({
    input: context.df.getInput() as ErasureInput,
    instanceId: context.df.instanceId,
    now: () => context.df.currentUtcDateTime,
    call: (name, input) => context.df.callActivityWithRetry(name, retry, input),
    all: (tasks) => context.df.Task.all(tasks),
    timer: (at) => context.df.createTimer(at),
  });
});

// The durable client lists the unfinished ingestBatch instances: the orchestration cannot query them.
df.app.activity(ERASE_ACTIVITIES.inFlight, {
  extraInputs: [df.input.durableClient()],
  handler: async (input: { acceptedBefore: string }, context: InvocationContext) => inFlightBatches(df.getClient(context), new Date(input.acceptedBefore)),
});

df.app.activity(ERASE_ACTIVITIES.curated, {
  handler: async (input: ErasureInput) => {
    const services = ingestServicesFor(process.env);
    return eraseFromCurated(await services.lake(), new Set(input.refs), { dryRun: input.dryRun });
  },
});

df.app.activity(ERASE_ACTIVITIES.rawZones, {
  handler: async (input: ErasureInput) => {
    const services = ingestServicesFor(process.env);
    return eraseFromRawZones({ lake: await services.lake(), work: await services.work(), sourceContext: services.sourceContext }, new Set(input.refs), { dryRun: input.dryRun });
  },
});

df.app.activity(ERASE_ACTIVITIES.dataverse, {
  handler: async (input: ErasureInput) => {
    const services = ingestServicesFor(process.env);
    return services.dataverse ? eraseContacts(services.dataverse, new Set(input.refs), { dryRun: input.dryRun }) : null;
  },
});

df.app.activity(ERASE_ACTIVITIES.record, {
  handler: async (input: RecordErasureInput, context: InvocationContext) => {
    const services = ingestServicesFor(process.env);
    const record = erasureRecordOf(input.erasureId, input.finishedAt, input.report);
    const name = await writeErasureRecord(await services.lake(), record);
    logOperationEvent(context, erasureOutcomeEvent(record));
    return name;
  },
});
