// shared/replay/replayProblem.ts: RFC 9457 problem documents for the replay endpoint's refusals (same
// shape and URN scheme as ingest's, shared/ingest/problem.ts).
import type { Problem } from '../ingest/problem';

export const REPLAY_PROBLEM_TYPES = {
  'invalid-replay-request': { status: 400, title: 'Invalid replay request' },
  'unknown-batch': { status: 404, title: 'Unknown batch' },
  'nothing-to-replay': { status: 404, title: 'Nothing to replay' },
  'replay-in-progress': { status: 409, title: 'Batch still running' },
} as const;

export type ReplayProblemKind = keyof typeof REPLAY_PROBLEM_TYPES;

export function replayProblem(kind: ReplayProblemKind, detail: string): Problem {
  const { status, title } = REPLAY_PROBLEM_TYPES[kind];
  return { type: `urn:pos-hub:problem:${kind}`, title, status, detail };
}
