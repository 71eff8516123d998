// functions/purgeHistory.ts: once a day, deletes the histories of orchestrations that finished and were
// created more than POS_HUB_HISTORY_RETENTION_DAYS ago (shared/orchestration/purgeFinishedHistory.ts).
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { ingestServicesFor } from '../shared/ingest/ingestServices';
import { purgeFinishedHistory } from '../shared/orchestration/purgeFinishedHistory';

async function purgeHistory(_timer: Timer, context: InvocationContext): Promise<void> {
  const { settings } = ingestServicesFor(process.env);
  const finished = [df.OrchestrationRuntimeStatus.Completed, df.OrchestrationRuntimeStatus.Failed, df.OrchestrationRuntimeStatus.Terminated];
  const { instancesDeleted, createdBefore } = await purgeFinishedHistory(df.getClient(context), finished, settings.historyRetentionDays, new Date());
  context.log(`purgeHistory: purged ${instancesDeleted} finished instance(s) created before ${createdBefore.toISOString()}`);
}

// Once a day (03:15 UTC): a deletion by one filter, light work for the task hub.
app.timer('purgeHistory', { schedule: '0 15 3 * * *', extraInputs: [df.input.durableClient()], handler: purgeHistory });
