// functions/fetchWorkItems.ts: the work-item fetcher on a timer (POS_HUB_FETCH_SCHEDULE, every minute by
// default). Notification-only webhooks (Square order.updated, every Clover notification) left pending
// rows in `workItems`; each run fetches the notified orders from the vendors' APIs and ingests them
// (shared/fetchers/workOffItems.ts, docs/webhooks.md), then, once an hour, deletes the rows settled
// longer ago than the retention period (shared/fetchers/sweepWorkItems.ts) and the webhook delivery
// ledger entries received longer ago than theirs (shared/fetchers/sweepDeliveryLedger.ts).
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { deliveryRetentionFor } from '../shared/fetchers/deliveryRetentionFor';
import { workItemQueueFor } from '../shared/fetchers/workItemQueueFor';
import { fetchScheduleOf } from '../shared/fetchers/fetchSchedule';
import { sweepAfterFetch } from '../shared/fetchers/sweepAfterFetch';
import { sweepDeliveryLedger } from '../shared/fetchers/sweepDeliveryLedger';
import { sweepWorkItems } from '../shared/fetchers/sweepWorkItems';
import { workOffItems } from '../shared/fetchers/workOffItems';
import { acceptBatch } from '../shared/ingest/acceptBatch';
import { ingestServicesFor } from '../shared/ingest/ingestServices';
import { orchestrationControl } from '../shared/orchestration/orchestrationControl';
import { fetchOutcomeEvent } from '../shared/platform/operationEvents';
import { logOperationEvent } from './logOperationEvent';

async function fetchWorkItems(_timer: Timer, context: InvocationContext): Promise<void> {
  const services = ingestServicesFor(process.env);
  const { settings } = services;
  const control = orchestrationControl(df.getClient(context));
  const queue = workItemQueueFor(settings);
  const report = await workOffItems({
    queue,
    fetcher: settings.fetcher,
    accept: async (batch) =>
      acceptBatch(
        {
          lake: await services.lake(),
          ledger: services.ledger,
          maxBodyBytes: settings.defaults.maxBodyBytes,
          ...control,
        },
        batch,
      ),
    log: (m) => context.log(m),
    warn: (m) => context.warn(m),
  });
  const { fetched, gone, skipped, failed, retrying, rateLimited, waiting, deferred } = report;
  if (fetched + gone + skipped + failed + retrying + rateLimited + waiting + deferred > 0) logOperationEvent(context, fetchOutcomeEvent(report));
  // After the work: the sweeps never delay a fetch, and their failure does not hide the summary above.
  await sweepAfterFetch({
    sweepWorkItems: () => sweepWorkItems({ queue, retention: settings.fetcher }),
    sweepDeliveries: () =>
      sweepDeliveryLedger({
        ledger: deliveryRetentionFor(settings),
        retentionDays: settings.fetcher.deliveryRetentionDays,
      }),
    log: (m) => context.log(m),
    warn: (m) => context.warn(m),
  });
}

app.timer('fetchWorkItems', {
  schedule: fetchScheduleOf(process.env),
  extraInputs: [df.input.durableClient()],
  handler: fetchWorkItems,
});
