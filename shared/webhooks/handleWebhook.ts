// shared/webhooks/handleWebhook.ts: one vendor webhook delivery, from raw bytes to an outcome. The order
// of the checks is the contract: nothing is read before the signature is proven, nothing is stored for
// a delivery that fails a check, and a redelivery is answered from the delivery ledger without new work.
import { randomBytes } from 'node:crypto';
import type { AcceptBatchRequest, AcceptBatchResult } from '../ingest/acceptBatch';
import { problem, type Problem } from '../ingest/problem';
import type { Settings } from '../platform/settings';
import { createPseudonymizer } from '../privacy/pseudonymize';
import { scrubCardData } from '../privacy/cardNumbers';
import { parseJson } from '../sources/json';
import { adapterFor } from '../sources/registry';
import type { WorkItem } from '../sources/types';
import { checkDeliveryAge } from './deliveryAge';
import type { DeliveryLedger } from './deliveryLedger';
import { readDelivery, type Delivery } from './readDelivery';
import { tableKey } from './tableKey';
import { isWebhookVendor, SIGNATURE_HEADER, verifyDelivery, WEBHOOK_VENDORS, type WebhookVendor } from './verifyDelivery';
import type { WorkItemStore } from './workItemStore';

export interface WebhookRequest {
  vendor: string;
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  url: string;
}

export interface WebhookDeps {
  webhooks: Settings['webhooks'];
  maxBodyBytes: number;
  deliveries: DeliveryLedger;
  workItems: WorkItemStore;
  /** acceptBatch with its dependencies bound. */
  accept(req: AcceptBatchRequest): Promise<AcceptBatchResult>;
  now?: () => Date;
}

export type WebhookOutcome =
  | { kind: 'accepted'; batchId: string; eventId: string }
  | { kind: 'duplicate'; batchId: string | null; workItems: number; eventId: string }
  | { kind: 'fetch_needed'; workItems: number; eventId: string }
  | { kind: 'test' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'problem'; problem: Problem };

const problemOutcome = (p: Problem): WebhookOutcome => ({ kind: 'problem', problem: p });

// Only the shape of the adapter's answer matters here (work items or not), never its references, so a
// throwaway key is fine; the orchestration pseudonymizes with the deployment's key.
const classifyContext = { timeZone: null, currency: null, pseudonymize: createPseudonymizer(randomBytes(32)) };

/** Clover's one unsigned request: `{ verificationCode }`, sent when the webhook URL is saved. */
function isCloverVerification(rawBody: Buffer): boolean {
  try {
    const value = JSON.parse(rawBody.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as { verificationCode?: unknown }).verificationCode === 'string';
  } catch {
    return false;
  }
}

/** Shopify topics whose body is an order or a refund; `orders/delete` carries only the id. */
const isTransactionTopic = (topic: string | null) => topic === null || (/^(orders|refunds)\//.test(topic) && topic !== 'orders/delete');

function classify(vendor: WebhookVendor, delivery: Delivery): { kind: 'transactions' } | { kind: 'test' } | { kind: 'fetch'; items: WorkItem[] } | { kind: 'ignored'; reason: string } {
  if (delivery.test) return { kind: 'test' };
  if (!isTransactionTopic(delivery.topic)) return { kind: 'ignored', reason: `topic ${delivery.topic} carries no transaction` };
  const adapter = adapterFor(WEBHOOK_VENDORS[vendor])!;
  const result = adapter.toCanonical(delivery.payload, classifyContext);
  const items = result.workItems ?? [];
  if (result.transactions.length === 0 && items.length > 0) {
    return items.every((i) => i.kind === 'test_notification') ? { kind: 'test' } : { kind: 'fetch', items: items.filter((i) => i.kind === 'fetch_needed') };
  }
  const unsupported = result.findings.find((f) => f.code === 'source.square.unsupported_event');
  if (result.transactions.length === 0 && unsupported) return { kind: 'ignored', reason: unsupported.message };
  return { kind: 'transactions' };
}

export async function handleWebhook(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookOutcome> {
  const now = deps.now?.() ?? new Date();
  if (!isWebhookVendor(req.vendor)) {
    return problemOutcome(problem('unknown-vendor', `no webhook vendor named "${req.vendor.slice(0, 64)}" (known: ${Object.keys(WEBHOOK_VENDORS).join(', ')})`));
  }
  const vendor = req.vendor;
  if (req.rawBody.length > deps.maxBodyBytes) {
    return problemOutcome(problem('body-too-large', `the body has ${req.rawBody.length} bytes; at most ${deps.maxBodyBytes} are accepted`));
  }
  // Clover sends the verification code unsigned (the auth code is issued only after it): acknowledge,
  // store nothing. The code is for the person setting up the webhook and is never logged here.
  if (vendor === 'clover' && req.headers[SIGNATURE_HEADER.clover] === undefined && isCloverVerification(req.rawBody)) {
    return { kind: 'test' };
  }
  const header = req.headers[SIGNATURE_HEADER[vendor]];
  if (header === undefined || header.trim() === '') {
    return problemOutcome(problem('missing-signature', `a ${vendor} delivery must carry the ${SIGNATURE_HEADER[vendor]} header`));
  }
  if (!verifyDelivery({ vendor, rawBody: req.rawBody, headers: req.headers, url: req.url }, deps.webhooks)) {
    return problemOutcome(problem('invalid-signature', `the ${SIGNATURE_HEADER[vendor]} header does not match any configured ${vendor} secret`));
  }

  const read = readDelivery(vendor, req.rawBody, req.headers);
  if (!read.ok) return problemOutcome(read.problem);
  const delivery = read.delivery;
  const seen = await deps.deliveries.find(vendor, delivery.eventId);
  if (seen) return { kind: 'duplicate', batchId: seen.batchId, workItems: seen.workItems, eventId: delivery.eventId };
  const age = checkDeliveryAge(delivery.sentAt, now);
  if (!age.ok) return problemOutcome(problem('stale-delivery', age.detail));

  // The payload is classified from its scrubbed text: nothing unscrubbed reaches an adapter here either.
  const scrubbed = scrubCardData(delivery.payloadText, 'json').text;
  const reparsed = scrubbed === delivery.payloadText ? null : parseJson(scrubbed);
  const what = classify(vendor, reparsed?.ok ? { ...delivery, payload: reparsed.value } : delivery);
  if (what.kind === 'test') return { kind: 'test' };
  if (what.kind === 'ignored') return { kind: 'ignored', reason: what.reason };
  const receivedAt = now.toISOString();
  if (what.kind === 'fetch') {
    const count = await deps.workItems.recordPending(what.items, now);
    const recorded = await deps.deliveries.record({ vendor, eventId: delivery.eventId, outcome: 'fetch_needed', batchId: null, workItems: count, receivedAt });
    return { kind: 'fetch_needed', workItems: recorded.workItems, eventId: delivery.eventId };
  }

  const accepted = await deps.accept({
    source: WEBHOOK_VENDORS[vendor],
    body: Buffer.from(delivery.payloadText, 'utf8'),
    contentType: 'application/json',
    headers: req.headers,
    // The batch id follows the vendor's event id: a redelivery that arrives before the ledger entry
    // was written (or after a crash) lands on the same batch.
    idempotencyKey: `${vendor}:${tableKey(delivery.eventId)}`,
    receivedAt: now,
  });
  if (!accepted.ok) return problemOutcome(accepted.problem);
  const recorded = await deps.deliveries.record({ vendor, eventId: delivery.eventId, outcome: 'accepted', batchId: accepted.batchId, workItems: 0, receivedAt });
  return { kind: 'accepted', batchId: recorded.batchId ?? accepted.batchId, eventId: delivery.eventId };
}
