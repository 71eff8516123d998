// shared/privacy/payloadMatchesSubject.ts: whether a stored body (raw payload, dead-lettered event) is
// about the erasure subject. The body holds clear identifiers and the subject is known only by its
// references, so the body is run through the same pure pipeline the transform activity runs and the
// resulting customers are compared: a body is the subject's exactly when ingesting it gave (or would
// give) a transaction with one of the subject's references.
import { transformPayload } from '../pipeline/transformPayload';
import { adapterFor } from '../sources/registry';
import type { SourceContext } from '../sources/types';
import { matchesSubject } from './erasureSubject';

/** 'unknown-source' and 'unreadable' bodies are left alone: they produced no transaction, so none with the subject's references. */
export type PayloadMatch = 'match' | 'no-match' | 'unknown-source' | 'unreadable';

export function payloadMatchesSubject(source: string, text: string, ctx: SourceContext, refs: ReadonlySet<string>, now: number): PayloadMatch {
  const adapter = adapterFor(source);
  if (!adapter) return 'unknown-source';
  let result;
  try {
    result = transformPayload(adapter, text, ctx, now);
  } catch {
    // The transform activity would have failed on it the same way: nothing of it was loaded.
    return 'unreadable';
  }
  if (result.transactions.some((t) => matchesSubject(t.customer, refs))) return 'match';
  return result.readable ? 'no-match' : 'unreadable';
}
