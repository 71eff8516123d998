// shared/webhooks/verifyDelivery.ts: which vendors the webhook endpoint serves, and whether a delivery
// carries that vendor's valid signature. Each vendor signs differently (shared/sources/*); every check
// accepts all currently valid secrets, so a secret is rotated by listing the new one beside the old one.
import type { Settings } from '../platform/settings';
import { verifyCloverAuth } from '../sources/clover';
import { verifyLightspeedXSignature } from '../sources/lightspeed-x';
import { verifyShopifySignature } from '../sources/shopify';
import { verifySquareSignature } from '../sources/square';

/** Route segment -> source adapter name (Lightspeed's webhooks are X-Series ones). */
export const WEBHOOK_VENDORS = {
  shopify: 'shopify',
  square: 'square',
  clover: 'clover',
  lightspeed: 'lightspeed-x',
} as const;

export type WebhookVendor = keyof typeof WEBHOOK_VENDORS;
export type WebhookSource = (typeof WEBHOOK_VENDORS)[WebhookVendor];

export function isWebhookVendor(name: string): name is WebhookVendor {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_VENDORS, name);
}

export interface DeliveryToVerify {
  vendor: WebhookVendor;
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The URL the request was made to; Square signs the notification URL it was configured with. */
  url: string;
}

/** The header that must be present for a vendor's check; its absence is reported as such. */
export const SIGNATURE_HEADER: Record<WebhookVendor, string> = {
  shopify: 'x-shopify-hmac-sha256',
  square: 'x-square-hmacsha256-signature',
  clover: 'x-clover-auth',
  lightspeed: 'x-signature',
};

export function verifyDelivery(d: DeliveryToVerify, webhooks: Settings['webhooks']): boolean {
  const header = d.headers[SIGNATURE_HEADER[d.vendor]];
  switch (d.vendor) {
    case 'shopify':
      return verifyShopifySignature(d.rawBody, header, webhooks.shopifySecrets);
    case 'square':
      // Behind a proxy or custom domain the request URL differs from the one Square signs: the
      // configured SQUARE_WEBHOOK_URL wins; the request URL is the fallback for local runs.
      return verifySquareSignature(d.rawBody, webhooks.squareWebhookUrl ?? d.url, header, webhooks.squareSignatureKeys);
    case 'clover':
      return verifyCloverAuth(header, webhooks.cloverAuthCodes);
    case 'lightspeed':
      return verifyLightspeedXSignature(d.rawBody, header, webhooks.lightspeedSecrets);
  }
}
