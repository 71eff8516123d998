// functions/replay.ts: POST /api/v1/admin/replay `{ batchId }` or `{ businessDate }`: re-runs quarantined
// batches once their cause is fixed (shared/replay, docs/webhooks.md). Admin callers only
// (functions/adminHttp.ts): the check is in the code, so the route is anonymous at the host.
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationControl } from '../shared/orchestration/orchestrationControl';
import { parseReplayRequest, replayBatches } from '../shared/replay/replayBatches';
import { replayCounterFor } from '../shared/replay/replayServices';
import { adminActionEvent } from '../shared/platform/operationEvents';
import { authorizeAdmin, jsonBodyOf, problemAnswer } from './adminHttp';
import { logOperationEvent } from './logOperationEvent';

async function replay(req: HttpRequest, context: InvocationContext) {
  const { services, caller, refusal } = await authorizeAdmin(req, context);
  if (refusal) return refusal;
  const body = await jsonBodyOf(req);
  if (!body.ok) return body.answer;
  const parsed = parseReplayRequest(body.json);
  if (!parsed.ok) return problemAnswer(parsed.problem);
  const result = await replayBatches(
    { lake: await services.lake(), ledger: services.ledger, replays: replayCounterFor(services.settings), ...orchestrationControl(df.getClient(context)) },
    parsed.request,
  );
  if (!result.ok) return problemAnswer(result.problem);
  context.log(`replay: started ${result.replays.map((r) => r.replayId).join(', ') || 'nothing'}; skipped ${result.skipped.length}`);
  const scope = 'batchId' in parsed.request ? { batch: parsed.request.batchId } : { businessDate: parsed.request.businessDate };
  logOperationEvent(context, adminActionEvent('replay', caller, { ...scope, replays: result.replays.length, skipped: result.skipped.length }));
  const statusUrl = (batchId: string) => new URL(`/api/v1/batches/${batchId}`, req.url).toString();
  return { status: 202, jsonBody: { replays: result.replays.map((r) => ({ ...r, statusUrl: statusUrl(r.batchId) })), skipped: result.skipped } };
}

app.http('replay', {
  route: 'v1/admin/replay',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: replay,
});
