// shared/privacy/startErasure.ts: POST /api/v1/admin/erase. Turns the request's identifiers into
// references at once (the clear values go no further than this function) and starts the `eraseSubject`
// orchestration. The erasure id is derived from the references and the mode, so asking twice for the
// same person while an erasure runs answers the running one, and asking again later re-runs it (an
// erasure is idempotent: data that arrived since is erased too, nothing else changes).
import { createHash } from 'node:crypto';
import { problem, type Problem } from '../ingest/problem';
import { ERASE_SUBJECT, type ErasureInput } from '../orchestration/eraseSubjectOrchestration';
import { statusOrNull, type DurableClientLike } from '../orchestration/orchestrationControl';
import { ErasureRequest, subjectRefs } from './erasureSubject';
import type { Pseudonymizer } from './pseudonymize';

export const ERASURE_ID_RE = /^erasure-[0-9a-f]{32}$/;

export type StartErasureResult = { ok: true; erasureId: string; dryRun: boolean; references: number; started: boolean } | { ok: false; problem: Problem };

export function erasureIdOf(input: ErasureInput): string {
  const digest = createHash('sha256').update(JSON.stringify({ refs: input.refs, dryRun: input.dryRun })).digest('hex');
  return `erasure-${digest.slice(0, 32)}`;
}

/** `now` is the request's arrival: the erasure waits for the batches accepted before it. */
export async function startErasure(pseudonymize: Pseudonymizer, client: DurableClientLike, body: unknown, now: Date = new Date()): Promise<StartErasureResult> {
  const parsed = ErasureRequest.safeParse(body);
  if (!parsed.success) {
    // Paths and messages only: zod's issues for a string carry no input value unless asked to.
    const detail = parsed.error.issues.map((i) => `${i.path.join('/') || 'body'}: ${i.message}`).join('; ');
    return { ok: false, problem: problem('invalid-erasure-request', detail) };
  }
  const refs = subjectRefs(pseudonymize, parsed.data);
  if (!refs.ok) return { ok: false, problem: problem('invalid-erasure-request', refs.unusable.join('; ')) };
  const input: ErasureInput = { refs: refs.refs, dryRun: parsed.data.dryRun, acceptedBefore: now.toISOString() };
  const erasureId = erasureIdOf(input);
  const existing = await statusOrNull(client, erasureId);
  const running = existing?.runtimeStatus === 'Pending' || existing?.runtimeStatus === 'Running';
  if (!running) await client.startNew(ERASE_SUBJECT, { instanceId: erasureId, input });
  return { ok: true, erasureId, dryRun: input.dryRun, references: input.refs.length, started: !running };
}
