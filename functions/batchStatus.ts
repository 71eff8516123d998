// functions/batchStatus.ts: GET /api/v1/batches/{batchId}: a batch's status and counts. An ingest or an
// admin credential (function key or Entra ID token, checked in the code): a POS polls its batch, an
// operator looks at one after a replay.
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { answerBatchStatus } from '../shared/ingest/ingestHttp';
import { ingestServicesFor } from '../shared/ingest/ingestServices';
import { orchestrationControl } from '../shared/orchestration/orchestrationControl';

app.http('batchStatus', {
  route: 'v1/batches/{batchId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext) => {
    const services = ingestServicesFor(process.env);
    const answer = await answerBatchStatus(services, orchestrationControl(df.getClient(context)), request.params.batchId ?? '', {
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: async () => Buffer.alloc(0),
    });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  },
});
