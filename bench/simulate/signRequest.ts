// bench/simulate/signRequest.ts: the headers a request goes out with: the function key for the ingest
// API, the vendor's signature for webhooks (Shopify: base64 HMAC-SHA256 of the body with the app secret;
// Square: base64 HMAC-SHA256 of notification URL + body with the signature key), and the delivery time
// stamps vendors set when they send. Keys and secrets go into headers only, never into the report.
import { createHmac } from 'node:crypto';
import type { PlannedRequest } from './planTraffic';

export interface Credentials {
  /** Function key for the ingest API (x-functions-key). */
  functionKey: string;
  shopifySecret?: string;
  squareSignatureKey?: string;
  /** The notification URL registered with Square (the hub's SQUARE_WEBHOOK_URL); default the URL posted to. */
  squareWebhookUrl?: string;
}

// What a forged delivery is signed with: anything the hub was not configured with.
const FORGED_SECRET = 'not-the-configured-secret';

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Square stamps the envelope when it sends; the hub refuses deliveries older than 72 hours. */
function stampSquareEnvelope(body: string, sentAt: Date): string {
  return body.replace(/"created_at":"[^"]*"(?=,"data":)/, `"created_at":"${sentAt.toISOString()}"`);
}

/** What was sent first, for resends: a redelivery carries the first delivery's bytes and time stamps. */
export interface FirstSend {
  body: string;
  sentAt: Date;
}

export function signRequest(
  r: PlannedRequest,
  baseUrl: string,
  creds: Credentials,
  now: Date,
  first?: FirstSend,
): OutgoingRequest {
  const url = `${baseUrl}${r.path}`;
  const sentAt = first?.sentAt ?? now;
  const body = first?.body ?? (r.stampSentAt ? stampSquareEnvelope(r.body, sentAt) : r.body);
  if (r.via === 'eventhubs') throw new Error('an event is not an HTTP request (see sendEvents)');
  const headers: Record<string, string> = { 'content-type': r.contentType, ...r.headers };
  if (r.via === 'ingest') {
    headers['x-functions-key'] = creds.functionKey;
  } else if (r.via === 'shopify') {
    const secret = r.forgeSignature ? FORGED_SECRET : creds.shopifySecret;
    if (!secret) throw new Error('a Shopify webhook needs the Shopify secret');
    headers['x-shopify-hmac-sha256'] = createHmac('sha256', secret).update(body, 'utf8').digest('base64');
    headers['x-shopify-triggered-at'] ??= sentAt.toISOString();
  } else {
    const key = r.forgeSignature ? FORGED_SECRET : creds.squareSignatureKey;
    if (!key) throw new Error('a Square webhook needs the Square signature key');
    const signedUrl = creds.squareWebhookUrl ?? url;
    headers['x-square-hmacsha256-signature'] = createHmac('sha256', key)
      .update(signedUrl, 'utf8')
      .update(body, 'utf8')
      .digest('base64');
  }
  return { url, headers, body };
}
