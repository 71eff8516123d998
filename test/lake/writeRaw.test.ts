// The raw zone: scrubbed body, create-only, named by source, received date and content hash.
import { createHash } from 'node:crypto';
import { writeRaw } from '../../shared/lake';
import { listing, startLake, type Lake } from './lakeFixture';

let lake: Lake;
beforeAll(async () => {
  lake = await startLake();
}, 60_000);
afterAll(async () => {
  await lake?.stop();
});

const body = '{"id":"820982911946154508","total_price":"409.94","card":"************4242"}';
const sha = createHash('sha256').update(body).digest('hex');
const receivedAt = new Date('2026-11-30T23:59:59.500Z');
const headers = {
  'Content-Type': 'application/json',
  'X-Shopify-Topic': 'orders/create',
  'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  'X-Shopify-Hmac-Sha256': 'c2lnbmF0dXJl',
  Authorization: 'Bearer secret-token',
  'x-functions-key': 'secret-key',
  Cookie: 'session=1',
  'User-Agent': 'Shopify-Captain-Hook',
};

test('stores the body once under source/received date/sha256 with lineage metadata and no credentials', async () => {
  const container = await lake.fresh();
  const first = await writeRaw(container, { source: 'shopify', body, receivedAt, contentType: 'application/json', headers });
  expect(first).toEqual({ blobName: `raw/source=shopify/received_date=2026-11-30/${sha}.json`, sha256: sha, status: 'stored' });
  const blob = container.getBlobClient(first.blobName);
  expect((await blob.downloadToBuffer()).toString()).toBe(body);
  const props = await blob.getProperties();
  expect(props.contentType).toBe('application/json');
  expect(props.metadata).toEqual({
    source: 'shopify',
    sha256: sha,
    receivedat: '2026-11-30T23:59:59.500Z',
    contenttype: 'application/json',
    h_content_type: 'application/json',
    h_x_shopify_topic: 'orders/create',
    h_x_shopify_webhook_id: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    h_user_agent: 'Shopify-Captain-Hook',
  });
});

test('a second write of the same content reports already stored and changes nothing', async () => {
  const container = await lake.fresh();
  await writeRaw(container, { source: 'shopify', body, receivedAt, contentType: 'application/json' });
  const before = await listing(container);
  const again = await writeRaw(container, { source: 'shopify', body: Buffer.from(body), receivedAt: new Date('2026-11-30T01:00:00Z'), contentType: 'application/json', headers });
  expect(again.status).toBe('already-stored');
  expect(await listing(container)).toEqual(before);
  expect((await container.getBlobClient(again.blobName).getProperties()).metadata?.receivedat).toBe('2026-11-30T23:59:59.500Z');
});

test('credential headers are dropped even when a caller asks to keep them', async () => {
  const container = await lake.fresh();
  const r = await writeRaw(container, {
    source: 'square',
    body: '<x/>',
    receivedAt,
    contentType: 'application/xml',
    headers: { ...headers, 'X-Square-HmacSha256-Signature': 'abc', 'X-Note': 'café' },
    keepHeaders: ['authorization', 'x-functions-key', 'x-square-hmacsha256-signature', 'cookie', 'x-note'],
  });
  expect(r.blobName).toMatch(/^raw\/source=square\/received_date=2026-11-30\/[0-9a-f]{64}\.xml$/);
  expect((await container.getBlobClient(r.blobName).getProperties()).metadata).toMatchObject({ h_x_note: 'caf%C3%A9' });
  const keys = Object.keys((await container.getBlobClient(r.blobName).getProperties()).metadata ?? {});
  expect(keys.sort()).toEqual(['contenttype', 'h_x_note', 'receivedat', 'sha256', 'source']);
});

test('a source that is not a name is refused', async () => {
  const container = await lake.fresh();
  await expect(writeRaw(container, { source: '../etc', body, receivedAt, contentType: 'application/json' })).rejects.toThrow('not a source name: "../etc"');
});
