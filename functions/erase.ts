// functions/erase.ts: GDPR erasure. POST /api/v1/admin/erase starts the `eraseSubject` orchestration for
// one person (docs/privacy.md); GET /api/v1/admin/erasures/{erasureId} tells where it stands and what it
// erased. Admin callers only (functions/adminHttp.ts): the check is in the code, so the routes are
// anonymous at the host. Neither logs the request body: it holds the person's identifiers.
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { erasureStatus } from '../shared/privacy/erasureStatus';
import { startErasure } from '../shared/privacy/startErasure';
import { adminActionEvent } from '../shared/platform/operationEvents';
import { authorizeAdmin, jsonBodyOf, problemAnswer } from './adminHttp';
import { logOperationEvent } from './logOperationEvent';

const statusUrl = (req: HttpRequest, erasureId: string) => new URL(`/api/v1/admin/erasures/${erasureId}`, req.url).toString();

async function erase(req: HttpRequest, context: InvocationContext) {
  const { services, caller, refusal } = await authorizeAdmin(req, context);
  if (refusal) return refusal;
  const body = await jsonBodyOf(req);
  if (!body.ok) return body.answer;
  const started = await startErasure(services.pseudonymize, df.getClient(context), body.json);
  if (!started.ok) return problemAnswer(started.problem);
  const { erasureId, dryRun, references } = started;
  logOperationEvent(context, adminActionEvent('erase', caller, { erasure: erasureId, dryRun, references, started: started.started }));
  return { status: 202, headers: { location: statusUrl(req, erasureId) }, jsonBody: { erasureId, dryRun, references, statusUrl: statusUrl(req, erasureId) } };
}

async function status(req: HttpRequest, context: InvocationContext) {
  const { services, refusal } = await authorizeAdmin(req, context);
  if (refusal) return refusal;
  // The lake holds each completed run's record: the answer once the purge removed the instance.
  const found = await erasureStatus(df.getClient(context), () => services.lake(), req.params.erasureId ?? '');
  if (!found.ok) return problemAnswer(found.problem);
  return { status: 200, jsonBody: found.status };
}

app.http('erase', { route: 'v1/admin/erase', methods: ['POST'], authLevel: 'anonymous', extraInputs: [df.input.durableClient()], handler: erase });
app.http('erasureStatus', { route: 'v1/admin/erasures/{erasureId}', methods: ['GET'], authLevel: 'anonymous', extraInputs: [df.input.durableClient()], handler: status });
