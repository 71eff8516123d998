// functions/webhooks.ts: POST /api/v1/webhooks/{vendor}. Anonymous at the host: vendors prove themselves
// with their own signatures, checked in shared/webhooks/handleWebhook.ts (docs/webhooks.md).
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { acceptBatch } from '../shared/ingest/acceptBatch';
import { ingestServicesFor } from '../shared/ingest/ingestServices';
import { orchestrationControl } from '../shared/orchestration/orchestrationControl';
import { handleWebhook } from '../shared/webhooks/handleWebhook';
import { toWebhookAnswer } from '../shared/webhooks/toWebhookAnswer';
import { webhookStoresFor } from '../shared/webhooks/webhookServices';

async function webhook(req: HttpRequest, context: InvocationContext) {
  const services = ingestServicesFor(process.env);
  const { settings } = services;
  const control = orchestrationControl(df.getClient(context));
  const headers = Object.fromEntries([...req.headers].map(([k, v]) => [k.toLowerCase(), v]));
  const outcome = await handleWebhook(
    {
      webhooks: settings.webhooks,
      maxBodyBytes: settings.defaults.maxBodyBytes,
      ...webhookStoresFor(settings),
      accept: async (batch) => acceptBatch({ lake: await services.lake(), ledger: services.ledger, maxBodyBytes: settings.defaults.maxBodyBytes, ...control }, batch),
    },
    { vendor: req.params.vendor ?? '', rawBody: Buffer.from(await req.arrayBuffer()), headers, url: req.url },
  );
  if (outcome.kind === 'problem') context.warn(`webhook ${req.params.vendor}: ${outcome.problem.status} ${outcome.problem.type}`);
  else context.log(`webhook ${req.params.vendor}: ${outcome.kind}${'batchId' in outcome ? ` ${outcome.batchId}` : ''}`);
  const answer = toWebhookAnswer(outcome, (batchId) => new URL(`/api/v1/batches/${batchId}`, req.url).toString());
  return { status: answer.status, headers: answer.headers, jsonBody: answer.body };
}

app.http('webhooks', {
  route: 'v1/webhooks/{vendor}',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: webhook,
});
