// shared/webhooks/readDelivery.ts: what the hub needs to know about a verified delivery, per vendor:
// the vendor's id for it (the de-duplication key), when the vendor sent it, and the payload text the
// source adapter reads. Vendors without a delivery id (Clover, Lightspeed) resend the same bytes, so
// the body's SHA-256 serves as theirs.
import { createHash } from 'node:crypto';
import { problem, type Problem } from '../ingest/problem';
import { lightspeedXPayloadFromForm } from '../sources/lightspeed-x';
import { parseJson } from '../sources/json';
import type { WebhookVendor } from './verifyDelivery';

export interface Delivery {
  /** The vendor's id of this delivery; the same on every redelivery. */
  eventId: string;
  /** When the vendor says it sent the event; null when the vendor states no time. */
  sentAt: Date | null;
  /** The payload as the source adapter reads it (Lightspeed's form field, the others' body). */
  payloadText: string;
  payload: unknown;
  /** The vendor's own marker of a test delivery (Shopify's "Send test notification"). */
  test: boolean;
  /** Shopify's topic (`orders/create`); null for other vendors. */
  topic: string | null;
}

export type DeliveryResult = { ok: true; delivery: Delivery } | { ok: false; problem: Problem };

const sha256 = (bytes: Buffer) => `sha256-${createHash('sha256').update(bytes).digest('hex')}`;

function timeOf(value: unknown): Date | null {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{10,15}$/.test(value))) return new Date(Number(value));
  if (typeof value !== 'string' || value.trim() === '') return null;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? null : t;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const malformed = (detail: string): DeliveryResult => ({ ok: false, problem: problem('malformed-delivery', detail) });

function utf8(rawBody: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    return null;
  }
}

/** Clover batches events per merchant, each with its epoch-millisecond `ts`: the newest one counts. */
function newestCloverTs(payload: Record<string, unknown>): Date | null {
  let newest: number | null = null;
  for (const events of Object.values(isObject(payload.merchants) ? payload.merchants : {})) {
    for (const e of Array.isArray(events) ? events : []) {
      const t = isObject(e) ? timeOf(e.ts)?.getTime() : undefined;
      if (t !== undefined && !Number.isNaN(t) && (newest === null || t > newest)) newest = t;
    }
  }
  return newest === null ? null : new Date(newest);
}

export function readDelivery(vendor: WebhookVendor, rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>): DeliveryResult {
  const text = utf8(rawBody);
  if (text === null) return malformed('the body is not valid UTF-8');
  let payloadText = text;
  if (vendor === 'lightspeed') {
    const form = lightspeedXPayloadFromForm(text);
    if (!form.ok) return malformed(form.finding.message);
    payloadText = new URLSearchParams(text).get('payload') ?? '';
  }
  const parsed = parseJson(payloadText);
  if (!parsed.ok) return malformed(parsed.finding.message);
  if (!isObject(parsed.value)) return malformed(`a ${vendor} webhook body is a JSON object`);
  const payload = parsed.value;
  const base = { payloadText, payload, test: false, topic: null };

  switch (vendor) {
    case 'shopify': {
      const webhookId = headers['x-shopify-webhook-id']?.trim();
      return {
        ok: true,
        delivery: {
          ...base,
          eventId: webhookId || sha256(rawBody),
          sentAt: timeOf(headers['x-shopify-triggered-at']),
          test: headers['x-shopify-test']?.trim().toLowerCase() === 'true',
          topic: headers['x-shopify-topic']?.trim().toLowerCase() || null,
        },
      };
    }
    case 'square': {
      if (typeof payload.event_id !== 'string' || payload.event_id === '' || typeof payload.type !== 'string') {
        return malformed('a Square webhook event has `event_id` and `type`');
      }
      return { ok: true, delivery: { ...base, eventId: payload.event_id, sentAt: timeOf(payload.created_at) } };
    }
    case 'clover':
      return { ok: true, delivery: { ...base, eventId: sha256(rawBody), sentAt: newestCloverTs(payload) } };
    case 'lightspeed':
      return { ok: true, delivery: { ...base, eventId: sha256(rawBody), sentAt: null } };
  }
}
