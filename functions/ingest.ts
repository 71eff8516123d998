// functions/ingest.ts: POST /api/v1/ingest/{source}: one payload, a JSON array or NDJSON of a source's
// format. Stores the scrubbed body, starts the batch's orchestration, answers 202 with the status URL.
// Registered anonymous: the code checks function keys and Entra ID tokens itself (docs/ingest.md).
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { answerIngest } from '../shared/ingest/ingestHttp';
import { ingestServicesFor } from '../shared/ingest/ingestServices';
import { orchestrationControl } from '../shared/orchestration/orchestrationControl';

app.http('ingest', {
  route: 'v1/ingest/{source}',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext) => {
    const receivedAt = new Date();
    const source = request.params.source ?? '';
    const answer = await answerIngest(ingestServicesFor(process.env), orchestrationControl(df.getClient(context)), source, {
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: async () => Buffer.from(await request.arrayBuffer()),
    }, receivedAt);
    if (answer.batchId) context.log(`ingest ${source}: batch ${answer.batchId} accepted${answer.duplicate ? ' (resend)' : ''}`);
    else context.log(`ingest ${source.slice(0, 64)}: refused with ${answer.status}`);
    return { status: answer.status, headers: answer.headers, body: answer.body };
  },
});
