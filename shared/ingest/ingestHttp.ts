// shared/ingest/ingestHttp.ts: the HTTP answers of the ingest API (POST /api/v1/ingest/{source}) and of
// the batch status (GET /api/v1/batches/{batchId}), framework-free: functions/ turns the request into
// an IngestHttpRequest and the answer into the host's response.
import type { OrchestrationControl } from '../orchestration/orchestrationControl';
import { batchStatusOf } from '../orchestration/batchStatusOf';
import { BATCH_ID_RE } from '../lake/loadBatch';
import { acceptBatch } from './acceptBatch';
import { ACCEPTED_ENCODINGS, decodeBody } from './decodeBody';
import type { Authorizer } from './authorizeCaller';
import type { IngestServices } from './ingestServices';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem';

export interface IngestHttpRequest {
  /** The request URL as received (for the status URL's origin and `?code=`). */
  url: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Reads the body; not called when the request is refused before (auth, declared size). */
  body(): Promise<Buffer>;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function problemAnswer(p: Problem, headers: Record<string, string> = {}): HttpAnswer {
  return { status: p.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers }, body: JSON.stringify(p) };
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

async function authorized(authorize: Authorizer, req: IngestHttpRequest): Promise<HttpAnswer | null> {
  const auth = await authorize({ headers: req.headers, query: new URL(req.url).searchParams });
  return auth.ok ? null : problemAnswer(auth.problem, { 'www-authenticate': auth.challenge });
}

/** The headers of a decoded body: its encoding and length no longer describe it. */
function withoutEncoding(headers: IngestHttpRequest['headers']): IngestHttpRequest['headers'] {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'content-encoding' && name !== 'content-length'));
}

export async function answerIngest(
  services: IngestServices,
  control: OrchestrationControl,
  source: string,
  req: IngestHttpRequest,
  receivedAt: Date,
): Promise<HttpAnswer & { batchId?: string; duplicate?: boolean }> {
  const denied = await authorized(services.authorize, req);
  if (denied) return denied;
  const max = services.settings.defaults.maxBodyBytes;
  // A declared length over the limit is refused before the body is read.
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    return problemAnswer(problem('body-too-large', `the body has ${declared} bytes; at most ${max} are accepted`));
  }
  // Decompressed before anything looks at the body: scrubbing, hashing and the raw blob see the text,
  // so a compressed body and its plain version are the same batch.
  const decoded = await decodeBody(await req.body(), req.headers['content-encoding'], max);
  if (!decoded.ok) {
    // RFC 7694: a refused coding is answered with the codings the server takes.
    const refusedCoding: Record<string, string> = decoded.problem.status === 415 ? { 'accept-encoding': ACCEPTED_ENCODINGS.join(', ') } : {};
    return problemAnswer(decoded.problem, refusedCoding);
  }
  const result = await acceptBatch(
    { lake: await services.lake(), ledger: services.ledger, maxBodyBytes: max, ...control },
    {
      source,
      body: decoded.body,
      contentType: req.headers['content-type'],
      headers: decoded.encoding ? withoutEncoding(req.headers) : req.headers,
      idempotencyKey: req.headers['idempotency-key'],
      receivedAt,
    },
  );
  if (!result.ok) return problemAnswer(result.problem);
  const statusUrl = `${new URL(req.url).origin}/api/v1/batches/${result.batchId}`;
  return { ...json(202, { batchId: result.batchId, statusUrl }, { location: statusUrl, 'retry-after': '2' }), batchId: result.batchId, duplicate: result.duplicate };
}

/** Ingest or admin credentials: a POS polls its batch, an operator looks at one after a replay. */
export async function answerBatchStatus(services: IngestServices, control: OrchestrationControl, batchId: string, req: IngestHttpRequest): Promise<HttpAnswer> {
  const denied = await authorized(services.authorizeIngestOrAdmin, req);
  if (denied) return denied;
  if (!BATCH_ID_RE.test(batchId)) return problemAnswer(problem('invalid-batch-id', 'a batch id is 1-128 characters of A-Z a-z 0-9 . _ -'));
  const status = await batchStatusOf({ ledger: services.ledger, orchestrationStatus: control.orchestrationStatus }, batchId);
  if (!status) return problemAnswer(problem('unknown-batch', `no batch with id ${batchId}`));
  return json(200, status, status.status === 'pending' || status.status === 'running' ? { 'retry-after': '2' } : {});
}
