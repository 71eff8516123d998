// shared/ingest/problem.ts: RFC 9457 problem documents for the answers the hub's endpoints (ingest,
// webhooks, replay) give to bad input. `type` is a URN per kind of problem (listed in docs/ingest.md and
// docs/webhooks.md), so clients can branch on it; one table keeps a kind's status and title the same
// wherever it is answered.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEM_TYPES = {
  // Ingest (and, for the body limit and unknown batches, webhooks and replay too).
  unauthorized: { status: 401, title: 'Unauthorized' },
  // Admin endpoints: a valid ingest credential that is not an admin one.
  forbidden: { status: 403, title: 'Forbidden' },
  'unknown-source': { status: 404, title: 'Unknown source' },
  'unknown-batch': { status: 404, title: 'Unknown batch' },
  'body-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'unsupported-encoding': { status: 415, title: 'Unsupported content encoding' },
  'malformed-encoding': { status: 400, title: 'Malformed compressed body' },
  'empty-batch': { status: 400, title: 'Empty batch' },
  'malformed-body': { status: 400, title: 'Malformed body' },
  'hostile-xml': { status: 400, title: 'Refused XML' },
  'invalid-idempotency-key': { status: 400, title: 'Invalid Idempotency-Key' },
  'invalid-store-id': { status: 400, title: 'Invalid store id' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with another body' },
  'invalid-batch-id': { status: 400, title: 'Invalid batch id' },
  // Webhooks.
  'unknown-vendor': { status: 404, title: 'Unknown webhook vendor' },
  'missing-signature': { status: 401, title: 'Missing webhook signature' },
  'invalid-signature': { status: 401, title: 'Invalid webhook signature' },
  'stale-delivery': { status: 400, title: 'Stale webhook delivery' },
  'malformed-delivery': { status: 400, title: 'Malformed webhook delivery' },
  // Replay.
  'invalid-replay-request': { status: 400, title: 'Invalid replay request' },
  'nothing-to-replay': { status: 404, title: 'Nothing to replay' },
  'replay-in-progress': { status: 409, title: 'Batch still running' },
  // Erasure.
  'invalid-erasure-request': { status: 400, title: 'Invalid erasure request' },
  'unknown-erasure': { status: 404, title: 'Unknown erasure' },
  // Dead-letter re-drive.
  'invalid-redrive-request': { status: 400, title: 'Invalid re-drive request' },
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export function problem(kind: ProblemKind, detail: string): Problem {
  const { status, title } = PROBLEM_TYPES[kind];
  return { type: `urn:pos-hub:problem:${kind}`, title, status, detail };
}
