// shared/ingest/problem.ts: RFC 9457 problem documents for the answers ingest gives to bad input.
// `type` is a URN per kind of problem (listed in docs/ingest.md), so clients can branch on it.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEM_TYPES = {
  unauthorized: { status: 401, title: 'Unauthorized' },
  'unknown-source': { status: 404, title: 'Unknown source' },
  'unknown-batch': { status: 404, title: 'Unknown batch' },
  'body-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'empty-batch': { status: 400, title: 'Empty batch' },
  'malformed-body': { status: 400, title: 'Malformed body' },
  'hostile-xml': { status: 400, title: 'Refused XML' },
  'invalid-idempotency-key': { status: 400, title: 'Invalid Idempotency-Key' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with another body' },
  'invalid-batch-id': { status: 400, title: 'Invalid batch id' },
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

/** A problem document of a kind from a table of kinds (ingest's here, the webhooks' own elsewhere). */
export function problemOf<K extends string>(
  types: Readonly<Record<K, { status: number; title: string }>>,
  kind: K,
  detail: string,
): Problem {
  const { status, title } = types[kind];
  return { type: `urn:pos-hub:problem:${kind}`, title, status, detail };
}

export function problem(kind: ProblemKind, detail: string): Problem {
  return problemOf(PROBLEM_TYPES, kind, detail);
}
