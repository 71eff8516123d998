// functions/adminHttp.ts: what the admin endpoints (replay, erase) share: the caller check of ingest
// (a function key or an Entra ID token, checked in code, so the routes are anonymous at the host) and
// problem answers (RFC 9457).
import type { HttpRequest } from '@azure/functions';
import { ingestServicesFor, type IngestServices } from '../shared/ingest/ingestServices';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../shared/ingest/problem';

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

/** The request body as JSON, or null when it is not JSON (the endpoint's own check then refuses it). */
export async function jsonBodyOf(req: HttpRequest): Promise<unknown> {
  try {
    return JSON.parse(await req.text());
  } catch {
    return null;
  }
}
