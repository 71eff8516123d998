// The client pacing itself by the request-count limit it learned from a 429, against the stand-in, and
// never sending before Retry-After even when its own window says there is room.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDataverseStandIn, type DataverseStandIn } from '../../local/dataverse/startDataverseStandIn';
import { createDataverseClient, STORE_TABLE } from '../../shared/dataverse';

let dv: DataverseStandIn | undefined;
afterAll(async () => {
  await dv?.stop();
});

test('after the first 429 teaches the limit, no request is refused again and none leaves before Retry-After', async () => {
  dv = await startDataverseStandIn({ limits: { requestsPerWindow: 8, windowMs: 1000, maxConcurrent: 52 } });
  const client = createDataverseClient({ environmentUrl: dv.url, initialConcurrency: 4, maxConcurrency: 4 });
  await Promise.all(Array.from({ length: 30 }, (_, i) => client.upsert(STORE_TABLE, `P${i}`, { pos_name: `P${i}` })));

  const log = dv.requestLog();
  const refused = log.filter((e) => e.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((e) => e.code === '0x80072322')).toBe(true);
  // One wave: the requests already on their way when the first refusal came back, at most the parallelism.
  expect(refused.length).toBeLessThanOrEqual(4);
  const lastRefusal = refused[refused.length - 1]!;
  const resumed = log.filter((e) => e.at > lastRefusal.at);
  expect(resumed.length).toBeGreaterThan(0);
  expect(resumed[0]!.at).toBeGreaterThanOrEqual(lastRefusal.at + lastRefusal.retryAfterMs!);
  expect(client.stats().gate.window.limit).toEqual({ requests: 8, windowMs: 1000 });
  expect(client.stats().gate.paced).toBeGreaterThan(0);
  // The service's own count: never more than 8 accepted in any 1 s.
  const accepted = log.filter((e) => e.status === 204).map((e) => e.at);
  for (let i = 8; i < accepted.length; i++) expect(accepted[i]! - accepted[i - 8]!).toBeGreaterThanOrEqual(1000);
  expect(dv.rows('pos_stores')).toHaveLength(30);
}, 20_000);

test('Retry-After wins over the window: no request before it, though the learned limit leaves room', async () => {
  const arrivals: number[] = [];
  let refusals = 1;
  const server: Server = createServer((req, res) => {
    arrivals.push(Date.now());
    req.resume();
    if (refusals-- > 0) {
      // The limit stated is generous, so only Retry-After holds the client back.
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '2' });
      res.end(JSON.stringify({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 1000 over time window of 300 seconds.' } }));
      return;
    }
    res.writeHead(204);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const client = createDataverseClient({ environmentUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    await client.upsert(STORE_TABLE, 'R', { pos_name: 'R' });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(2000);
    // Refused while holding nothing (another client's requests filled the window): the budget stays whole.
    expect(client.stats().gate.window).toMatchObject({ limit: { requests: 1000, windowMs: 300_000 }, budget: 1000 });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
