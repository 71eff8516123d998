// functions/adminHttp.ts: what the admin endpoints (replay, erase, erasure reports, dead-letter
// re-drive) share: the admin caller check (an admin key or an Entra ID token with the admin app role,
// checked in code, so the routes are anonymous at the host) and problem answers (RFC 9457).
import type { HttpRequest, InvocationContext } from '@azure/functions';
import type { CallerRequest } from '../shared/ingest/authorizeCaller';
import { ingestServicesFor, type IngestServices } from '../shared/ingest/ingestServices';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from '../shared/ingest/problem';
import { adminRefusedEvent, callerToken } from '../shared/platform/operationEvents';
import { logOperationEvent } from './logOperationEvent';

export function problemAnswer(p: Problem, headers: Record<string, string> = {}) {
  return { status: p.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers }, jsonBody: p };
}

function callerOf(req: HttpRequest): CallerRequest {
  return { headers: Object.fromEntries([...req.headers].map(([k, v]) => [k.toLowerCase(), v])), query: new URL(req.url).searchParams };
}

/**
 * The services, the caller for the audit line (`key-<fingerprint>` or `token-<object id>`), and the
 * refusal when the caller is not an admin (null when it is): 403 `forbidden` for a credential that may
 * ingest (an ingest key, a token without the admin role), which says which kind of credential it is,
 * never the key, and is logged (`pos-hub.admin-refused`); 401 with the challenge for anyone else.
 */
export async function authorizeAdmin(
  req: HttpRequest,
  context: InvocationContext,
): Promise<{ services: IngestServices; caller: string; refusal: ReturnType<typeof problemAnswer> | null }> {
  const services = ingestServicesFor(process.env);
  const request = callerOf(req);
  const admin = await services.authorizeAdmin(request);
  if (admin.ok) return { services, caller: callerToken(admin), refusal: null };
  const ingest = await services.authorize(request);
  if (ingest.ok) {
    logOperationEvent(context, adminRefusedEvent(callerToken(ingest), context.functionName));
    const credential = ingest.caller === 'key' ? 'the function key is an ingest key: it' : `the bearer token does not carry the app role "${services.settings.adminAuth.role}": it`;
    return { services, caller: callerToken(ingest), refusal: problemAnswer(problem('forbidden', `${credential} may ingest but not administer; use an admin key (POS_HUB_ADMIN_KEYS) or a token with that role`)) };
  }
  return { services, caller: 'unknown', refusal: problemAnswer(admin.problem, { 'www-authenticate': admin.challenge }) };
}

/** The services, and the 401 answer unless the caller has an ingest or an admin credential. */
export async function authorizeIngestOrAdmin(req: HttpRequest): Promise<{ services: IngestServices; refusal: ReturnType<typeof problemAnswer> | null }> {
  const services = ingestServicesFor(process.env);
  const auth = await services.authorizeIngestOrAdmin(callerOf(req));
  return { services, refusal: auth.ok ? null : problemAnswer(auth.problem, { 'www-authenticate': auth.challenge }) };
}

/** Admin requests are a few identifiers or a batch id; anything near this size is not one. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/**
 * The request body as JSON (null when it is not JSON: the endpoint's own check then refuses it), or a
 * 413 answer for a body over MAX_ADMIN_BODY_BYTES: a declared length is refused before reading, and the
 * read stops at the limit, so an unbounded chunked body is not held in memory either.
 */
export async function jsonBodyOf(req: HttpRequest): Promise<{ ok: true; json: unknown } | { ok: false; answer: ReturnType<typeof problemAnswer> }> {
  const tooLarge = (bytes: string) =>
    ({ ok: false, answer: problemAnswer(problem('body-too-large', `the body has ${bytes} bytes; at most ${MAX_ADMIN_BODY_BYTES} are accepted`)) }) as const;
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_ADMIN_BODY_BYTES) return tooLarge(String(declared));
  const chunks: Uint8Array[] = [];
  let length = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > MAX_ADMIN_BODY_BYTES) {
        await reader.cancel();
        return tooLarge(`more than ${MAX_ADMIN_BODY_BYTES}`);
      }
      chunks.push(value);
    }
  }
  try {
    return { ok: true, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: true, json: null };
  }
}
