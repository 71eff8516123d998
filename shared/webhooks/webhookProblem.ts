// shared/webhooks/webhookProblem.ts: RFC 9457 problem documents for the answers the webhook endpoint
// gives to bad deliveries. Same shape and `type` URNs as ingest's (shared/ingest/problem.ts); the kinds
// below are the webhook-only ones (listed in docs/webhooks.md).
import { problemOf, type Problem } from '../ingest/problem';

export const WEBHOOK_PROBLEM_TYPES = {
  'unknown-vendor': { status: 404, title: 'Unknown webhook vendor' },
  'missing-signature': { status: 401, title: 'Missing webhook signature' },
  'invalid-signature': { status: 401, title: 'Invalid webhook signature' },
  'stale-delivery': { status: 400, title: 'Stale webhook delivery' },
  'malformed-delivery': { status: 400, title: 'Malformed webhook delivery' },
  'body-too-large': { status: 413, title: 'Request body too large' },
} as const;

export type WebhookProblemKind = keyof typeof WEBHOOK_PROBLEM_TYPES;

export function webhookProblem(kind: WebhookProblemKind, detail: string): Problem {
  return problemOf(WEBHOOK_PROBLEM_TYPES, kind, detail);
}
