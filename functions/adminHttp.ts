// functions/adminHttp.ts: what the admin endpoints (replay, erase) share: the caller check of ingest
// (a function key or an Entra ID token, checked in code, so the routes are anonymous at the host) and
// problem answers (RFC 9457).
import type { HttpRequest } from '@azure/functions';
import { ingestServicesFor, type IngestServices } from '../shared/ingest/ingestServices';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from '../shared/ingest/problem';

export function problemAnswer(p: Problem, headers: Record<string, string> = {}) {
  return { status: p.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers }, jsonBody: p };
}

/** The services, and the 401 answer when the caller is not let in (null when it is). */
export async function authorizeAdmin(req: HttpRequest): Promise<{ services: IngestServices; refusal: ReturnType<typeof problemAnswer> | null }> {
  const services = ingestServicesFor(process.env);
  const headers = Object.fromEntries([...req.headers].map(([k, v]) => [k.toLowerCase(), v]));
  const auth = await services.authorize({ headers, query: new URL(req.url).searchParams });
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
