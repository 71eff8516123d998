// test/webhooks/signDelivery.ts: signs deliveries the way each vendor does, for tests.
import { createHmac } from 'node:crypto';

export const shopifyHmac = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('base64');

export const squareSignature = (key: string, url: string, body: Buffer | string) =>
  createHmac('sha256', key).update(url, 'utf8').update(body).digest('base64');

export const lightspeedSignature = (secret: string, body: Buffer | string) =>
  `signature=${createHmac('sha256', secret).update(body).digest('hex')},algorithm=HMAC-SHA256`;

export const formBody = (payload: unknown) =>
  new URLSearchParams({ environment: 'prod', domain_prefix: 'posHubDemo', payload: JSON.stringify(payload) }).toString();
