// shared/webhooks/toWebhookAnswer.ts: an outcome as the HTTP answer. Vendors only look at the status
// (any 2xx is success, anything else is retried), so every delivery the hub took care of, including
// duplicates, tests and ignored topics, gets a 2xx; bad deliveries a 4xx problem document.
import { PROBLEM_CONTENT_TYPE } from '../ingest/problem';
import type { WebhookOutcome } from './handleWebhook';

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const json = { 'content-type': 'application/json' };

export function toWebhookAnswer(outcome: WebhookOutcome, statusUrlOf: (batchId: string) => string): WebhookAnswer {
  switch (outcome.kind) {
    case 'accepted':
      return { status: 202, headers: json, body: { batchId: outcome.batchId, statusUrl: statusUrlOf(outcome.batchId) } };
    case 'duplicate':
      return {
        status: 200,
        headers: json,
        body: {
          status: 'duplicate',
          eventId: outcome.eventId,
          batchId: outcome.batchId,
          ...(outcome.batchId ? { statusUrl: statusUrlOf(outcome.batchId) } : { workItems: outcome.workItems }),
        },
      };
    case 'fetch_needed':
      return { status: 200, headers: json, body: { status: 'fetch_needed', eventId: outcome.eventId, workItems: outcome.workItems } };
    case 'test':
      return { status: 200, headers: json, body: { status: 'test_acknowledged' } };
    case 'ignored':
      return { status: 200, headers: json, body: { status: 'ignored', reason: outcome.reason } };
    case 'problem':
      return { status: outcome.problem.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body: { ...outcome.problem } };
  }
}
