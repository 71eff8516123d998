// shared/webhooks/deliveryAge.ts: refuses deliveries too old or too far in the future to be genuine.
// Vendors retry for a day or two (Square up to 24 h, Shopify up to 48 h), so anything older than 72 h is
// a replayed capture, not a retry; a timestamp ahead of our clock by more than the skew is forged or
// from a broken clock. Redeliveries keep their original time, so a slow retry is still inside the window.

export const MAX_DELIVERY_AGE_MS = 72 * 60 * 60 * 1000;
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export type DeliveryAge = { ok: true } | { ok: false; detail: string };

export function checkDeliveryAge(sentAt: Date | null, now: Date): DeliveryAge {
  if (sentAt === null) return { ok: true };
  const age = now.getTime() - sentAt.getTime();
  if (age > MAX_DELIVERY_AGE_MS) {
    return { ok: false, detail: `sent at ${sentAt.toISOString()}, more than 72 hours ago; deliveries are accepted for 72 hours` };
  }
  if (-age > MAX_CLOCK_SKEW_MS) {
    return { ok: false, detail: `sent at ${sentAt.toISOString()}, more than 5 minutes in the future` };
  }
  return { ok: true };
}
