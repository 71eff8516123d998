// functions/batchStatus.ts: GET /api/v1/batches/{batchId}: a batch's status and counts. Same callers as
// ingest (function key or Entra ID token, checked in the code).
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
    const answer = await answerBatchStatus(ingestServicesFor(process.env), orchestrationControl(df.getClient(context)), request.params.batchId ?? '', {
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: async () => Buffer.alloc(0),
    });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  },
});
