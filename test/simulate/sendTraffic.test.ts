// The sender against a stand-in hub on 127.0.0.1 that drops connections and answers 503 now and then:
// every request is resent until answered, resends carry the same bytes (so the same batch), webhooks
// carry valid vendor signatures, the rate is kept, and a hub that never answers is given up on in time.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyShopifySignature } from '../../shared/sources/shopify';
import { verifySquareSignature } from '../../shared/sources/square';
import { planTraffic } from '../../bench/simulate/planTraffic';
import { sendTraffic, type Target } from '../../bench/simulate/sendTraffic';
import { summarizeRun } from '../../bench/simulate/summarizeRun';

const SQUARE_URL = 'https://hub.example.test/api/v1/webhooks/square';
let server: Server;
let baseUrl: string;
let seen = 0;
const bodies: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = ++seen;
      const body = Buffer.concat(chunks);
      // The 2nd and 5th requests die with their connection (the hub was killed); the 8th gets a 503.
      if (n === 2 || n === 5) return req.socket.destroy();
      if (n === 8) return res.writeHead(503).end();
      const ok = req.url!.startsWith('/api/v1/ingest/')
        ? req.headers['x-functions-key'] === 'local-key'
        : req.url === '/api/v1/webhooks/shopify'
          ? verifyShopifySignature(body, req.headers['x-shopify-hmac-sha256'] as string, ['shop-secret'])
          : verifySquareSignature(body, SQUARE_URL, req.headers['x-square-hmacsha256-signature'] as string, [
              'square-key',
            ]);
      if (!ok) return res.writeHead(401).end();
      bodies.push(body.toString('utf8'));
      // Square and Shopify batches follow the vendor's event id, ingest batches the content.
      const id =
        (req.headers['x-shopify-webhook-id'] as string | undefined) ??
        (/"event_id":"([^"]+)"/.exec(body.toString())?.[1] ||
          createHash('sha256').update(body).digest('hex'));
      res
        .writeHead(202, { 'content-type': 'application/json' })
        .end(JSON.stringify({ batchId: `b-${createHash('sha256').update(id).digest('hex').slice(0, 12)}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('dropped connections and 503s are resent until answered; resends get the first batch id', async () => {
  const plan = planTraffic({
    stores: 2,
    minutes: 1,
    rate: 100,
    seed: 5,
    maxPayloads: 40,
    webhooks: { shopify: true, square: true },
    now: Date.now(),
    shares: { malformed: 0, duplicate: 0.15 },
  });
  const target: Target = {
    baseUrl,
    credentials: {
      functionKey: 'local-key',
      shopifySecret: 'shop-secret',
      squareSignatureKey: 'square-key',
      squareWebhookUrl: SQUARE_URL,
    },
  };
  const t0 = Date.now();
  const sent = await sendTraffic(plan.requests, target, { rate: 100, concurrency: 4 });
  const elapsed = Date.now() - t0;
  expect(elapsed).toBeGreaterThanOrEqual(390); // request 39 is due 390 ms after the start
  expect(sent.results.map((r) => r.status)).toEqual(Array(40).fill(202));
  expect(sent.results.reduce((a, r) => a + r.connectionFailures, 0)).toBe(2);
  expect(sent.results.flatMap((r) => r.retriedStatuses)).toEqual([503]);
  expect(sent.results.reduce((a, r) => a + r.attempts, 0)).toBe(43);
  expect(seen).toBe(43);

  const summary = summarizeRun(plan, sent.results, baseUrl, elapsed / 1000);
  expect(summary.unexpected).toEqual([]);
  expect(summary.duplicateMismatches).toEqual([]);
  const duplicates = plan.requests.filter((r) => r.purpose === 'duplicate').length;
  expect(duplicates).toBeGreaterThanOrEqual(2);
  expect(summary.acceptedBatchIds).toHaveLength(40 - duplicates);
  expect(summary.requests).toMatchObject({
    planned: 40,
    answered: 40,
    gaveUp: 0,
    attempts: 43,
    connectionFailures: 2,
    retriedStatuses: 1,
    byStatus: { '202': 40 },
  });
  const expected = plan.requests.reduce(
    (a, r) => a + (r.purpose === 'duplicate' ? 0 : r.transactions.length),
    0,
  );
  expect(summary.transactions.curated.length + summary.transactions.quarantine.length).toBe(expected);
  // Nothing secret in what the simulator prints.
  const printed = JSON.stringify(summary);
  for (const secret of ['local-key', 'shop-secret', 'square-key']) expect(printed).not.toContain(secret);
  for (const r of plan.requests)
    for (const c of r.plantedCards) expect(printed.replace(/[ -]/g, '')).not.toContain(c.pan);
});

test('a hub that never answers is given up on after the retry budget', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const plan = planTraffic({
    stores: 1,
    minutes: 1,
    rate: 50,
    seed: 9,
    maxPayloads: 2,
    webhooks: { shopify: false, square: false },
    now: Date.now(),
  });
  const sent = await sendTraffic(
    plan.requests,
    { baseUrl: `http://127.0.0.1:${port}`, credentials: { functionKey: 'k' } },
    { rate: 50, retryForMs: 400 },
  );
  expect(sent.results.map((r) => r.status)).toEqual([null, null]);
  for (const r of sent.results) {
    expect(r.attempts).toBeGreaterThanOrEqual(3);
    expect(r.connectionFailures).toBe(r.attempts);
    expect(r.elapsedMs).toBeLessThan(3000);
  }
  const summary = summarizeRun(plan, sent.results, 'x', 1);
  expect(summary.requests.gaveUp).toBe(2);
  expect(summary.unexpected.map((u) => u.got)).toEqual([null, null]);
});
