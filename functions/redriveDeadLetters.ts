// functions/redriveDeadLetters.ts: POST /api/v1/admin/dead-letters/redrive `{ date?, blob?, dryRun? }`:
// runs Event Hubs dead letters through the stream's acceptance again once their cause is fixed
// (shared/streams/redriveDeadLetters.ts, docs/operations.md). Same callers and checks as replay; the
// answer holds blob names, batch ids and error codes only, never a body.
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { adminActionEvent, redriveOutcomeEvent } from '../shared/platform/operationEvents';
import { parseRedriveRequest, redriveDeadLetters } from '../shared/streams/redriveDeadLetters';
import { authorizeAdmin, jsonBodyOf, problemAnswer } from './adminHttp';
import { logOperationEvent } from './logOperationEvent';
import { streamAcceptDeps } from './streamAcceptDeps';

async function redrive(req: HttpRequest, context: InvocationContext) {
  const { services, caller, refusal } = await authorizeAdmin(req, context);
  if (refusal) return refusal;
  const body = await jsonBodyOf(req);
  if (!body.ok) return body.answer;
  const parsed = parseRedriveRequest(body.json);
  if (!parsed.ok) return problemAnswer(parsed.problem);
  const result = await redriveDeadLetters(await streamAcceptDeps(services, context), parsed.selection);
  const accepted = result.outcomes.flatMap((o) => (o.outcome === 'failing' ? [] : [{ blob: o.blob, batchId: o.batchId }]));
  const failing = result.outcomes.flatMap((o) => (o.outcome === 'failing' ? [{ blob: o.blob, code: o.code }] : []));
  logOperationEvent(context, redriveOutcomeEvent({ accepted: accepted.length, failing: failing.length, remaining: result.remaining, dryRun: result.dryRun }));
  const { date, blob } = parsed.selection;
  const scope = blob !== undefined ? { blob } : date !== undefined ? { date } : {};
  logOperationEvent(context, adminActionEvent('redrive', caller, { ...scope, dryRun: result.dryRun, accepted: accepted.length, failing: failing.length }));
  return { status: 200, jsonBody: { dryRun: result.dryRun, accepted, failing, remaining: result.remaining, next: result.next } };
}

app.http('redriveDeadLetters', {
  route: 'v1/admin/dead-letters/redrive',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: redrive,
});
