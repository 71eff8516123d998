// functions/streamAcceptDeps.ts: how the Event Hubs trigger and the dead-letter re-drive accept an event
// (shared/streams/ingestStreamBatch.ts StreamIngestDeps): the same acceptBatch, lake, ledger, body limit
// and durable client, so a re-driven dead letter is accepted exactly as the stream would have.
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { acceptBatch } from '../shared/ingest/acceptBatch';
import type { IngestServices } from '../shared/ingest/ingestServices';
import { orchestrationControl } from '../shared/orchestration/orchestrationControl';
import type { StreamIngestDeps } from '../shared/streams/ingestStreamBatch';

export async function streamAcceptDeps(services: IngestServices, context: InvocationContext): Promise<StreamIngestDeps> {
  const lake = await services.lake();
  const maxBodyBytes = services.settings.defaults.maxBodyBytes;
  const control = orchestrationControl(df.getClient(context));
  return {
    lake,
    maxBodyBytes,
    accept: (req) => acceptBatch({ lake, ledger: services.ledger, maxBodyBytes, ...control }, req),
    log: (message) => context.log(message),
  };
}
