// The Dataverse client against the stand-in (and, for exact 429 sequences, a scripted server): token
// refresh, Retry-After, transient retries, the 52-request cap and per-item $batch results.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { startDataverseStandIn, type DataverseStandIn } from '../../local/dataverse/startDataverseStandIn';
import { createDataverseClient, DataverseError, STORE_TABLE } from '../../shared/dataverse';

const started: DataverseStandIn[] = [];
async function standIn(...args: Parameters<typeof startDataverseStandIn>) {
  const dv = await startDataverseStandIn(...args);
  started.push(dv);
  return dv;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

/** A TokenCredential that mints tok-1, tok-2, ... and tells the stand-in to accept each. */
function fakeCredential(dv: DataverseStandIn, lifetime: () => Partial<AccessToken> = () => ({})) {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    async getToken(scope) {
      scopes.push(String(scope));
      const token = `tok-${scopes.length}`;
      dv.acceptToken(token);
      return { token, expiresOnTimestamp: Date.now() + 3_600_000, ...lifetime() };
    },
  };
  return { credential, scopes };
}

describe('tokens', () => {
  test('an expired token is answered 401 once, replaced, and the request succeeds (two token requests)', async () => {
    const dv = await standIn({ limits: { requestsPerWindow: 1000, windowMs: 1000, maxConcurrent: 52 } });
    const { credential, scopes } = fakeCredential(dv);
    const client = createDataverseClient({ environmentUrl: dv.url, credential });
    await client.upsert(STORE_TABLE, 'T1', { pos_name: 'T1' });
    expect(scopes).toEqual([`${dv.url}/.default`]);
    dv.expireToken('tok-1');
    await client.upsert(STORE_TABLE, 'T2', { pos_name: 'T2' });
    expect(scopes).toHaveLength(2);
    expect(dv.stats().unauthorized).toBe(1);
    expect(client.stats().authRetries).toBe(1);
    expect(dv.rows('pos_stores').map((r) => r.pos_hubstoreid).sort()).toEqual(['T1', 'T2']);
  });

  test('a token is refreshed before it expires, without a 401', async () => {
    const dv = await standIn();
    const { credential, scopes } = fakeCredential(dv, () => ({ refreshAfterTimestamp: Date.now() + 200 }));
    const client = createDataverseClient({ environmentUrl: dv.url, credential });
    await client.query('pos_stores', { top: 1 });
    await client.query('pos_stores', { top: 1 });
    expect(scopes).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 250));
    await client.query('pos_stores', { top: 1 });
    expect(scopes).toHaveLength(2);
    expect(dv.stats().unauthorized).toBe(0);
  });

  test('a loopback URL without a credential uses local-dev; a remote one without a credential is refused at once', () => {
    expect(() => createDataverseClient({ environmentUrl: 'https://contoso.crm.dynamics.com' })).toThrow(/TokenCredential is required/);
    expect(() => createDataverseClient({ environmentUrl: 'http://127.0.0.1:1' })).not.toThrow();
  });
});

describe('throttling', () => {
  test('after a 429 no request reaches the service before Retry-After has passed', async () => {
    const dv = await standIn({ limits: { requestsPerWindow: 3, windowMs: 2000, maxConcurrent: 52 } });
    const client = createDataverseClient({ environmentUrl: dv.url, maxConcurrency: 1 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => client.upsert(STORE_TABLE, `RA${i}`, { pos_name: `RA${i}` })));
    const log = dv.requestLog();
    const throttled = log.filter((e) => e.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((e) => e.code === '0x80072322' && e.retryAfterMs! >= 1000)).toBe(true);
    for (const e of throttled) {
      const next = log[log.indexOf(e) + 1]!;
      expect(next.at).toBeGreaterThanOrEqual(e.at + e.retryAfterMs!);
    }
    expect(dv.rows('pos_stores')).toHaveLength(7);
  });

  test('all three 429 codes are honoured; x-ms-dop-hint sets the parallelism', async () => {
    const script = ['0x80072322', '0x80072321', '0x80072326'];
    const arrivals: number[] = [];
    const server: Server = createServer((req, res) => {
      arrivals.push(Date.now());
      req.resume();
      const code = script.shift();
      if (code) {
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '1' });
        res.end(JSON.stringify({ error: { code, message: `throttled ${code}` } }));
        return;
      }
      res.writeHead(204, { 'x-ms-dop-hint': '3' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = createDataverseClient({ environmentUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await client.upsert(STORE_TABLE, 'Z', { pos_name: 'Z' });
      expect(arrivals).toHaveLength(4);
      for (let i = 1; i < 4; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(1000);
      const stats = client.stats();
      expect(stats.throttled).toEqual({ '0x80072322': 1, '0x80072321': 1, '0x80072326': 1 });
      expect(stats.gate.ceiling).toBe(3);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('transient failures', () => {
  test('a connection reset, a 503 and a timeout are retried; the row is written once', async () => {
    const dv = await standIn();
    const client = createDataverseClient({ environmentUrl: dv.url, timeoutMs: 300, backoff: { baseMs: 20, maxMs: 50 } });
    dv.injectFaults('reset', 'unavailable', 'stall');
    await client.upsert(STORE_TABLE, 'X1', { pos_name: 'X1' });
    expect(client.stats().transientRetries).toBe(3);
    expect(dv.rows('pos_stores').filter((r) => r.pos_hubstoreid === 'X1')).toHaveLength(1);
  });

  test('attempts are bounded: the last error comes back as a retryable DataverseError', async () => {
    const dv = await standIn();
    const client = createDataverseClient({ environmentUrl: dv.url, maxAttempts: 3, backoff: { baseMs: 10, maxMs: 20 } });
    dv.injectFaults('unavailable', 'unavailable', 'unavailable');
    const err = await client.upsert(STORE_TABLE, 'X2', { pos_name: 'X2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseError);
    expect(err).toMatchObject({ status: 503, code: '0x80040216', retryable: true });
    expect(dv.rows('pos_stores')).toHaveLength(0);
  });
});

describe('concurrency', () => {
  test('never more than 52 requests in flight, whatever the configuration and the dop hint say', async () => {
    const dv = await standIn({ latencyMs: 150, limits: { requestsPerWindow: 100_000, windowMs: 1000, maxConcurrent: 200, dopHint: 500 } });
    const client = createDataverseClient({ environmentUrl: dv.url, maxConcurrency: 500, initialConcurrency: 500 });
    await Promise.all(Array.from({ length: 400 }, (_, i) => client.upsert(STORE_TABLE, `C${i}`, { pos_name: `C${i}` })));
    // The gate's count is the client's own; the stand-in's is what reached the service at once. On two
    // shared cores the stand-in may never see all 52 together, but it must never see more.
    expect(client.stats().gate.maxInFlight).toBe(52);
    expect(dv.stats().maxInFlight).toBeLessThanOrEqual(52);
    expect(dv.stats().maxInFlight).toBeGreaterThan(26);
    expect(dv.rows('pos_stores')).toHaveLength(400);
  });

  test('at the service limit of 52 no request is refused for concurrency', async () => {
    const dv = await standIn({ latencyMs: 150, limits: { requestsPerWindow: 100_000, windowMs: 1000, maxConcurrent: 52 } });
    const client = createDataverseClient({ environmentUrl: dv.url, initialConcurrency: 52 });
    await Promise.all(Array.from({ length: 300 }, (_, i) => client.upsert(STORE_TABLE, `L${i}`, { pos_name: `L${i}` })));
    expect(dv.stats().throttled).toEqual({});
    expect(dv.stats().maxInFlight).toBeLessThanOrEqual(52);
    expect(dv.rows('pos_stores')).toHaveLength(300);
  });
});

describe('$batch', () => {
  test('with continue-on-error, exactly the failing items are reported, by Content-ID, with the service error', async () => {
    const dv = await standIn();
    const client = createDataverseClient({ environmentUrl: dv.url });
    const op = (key: string, body: unknown) => ({ method: 'PATCH' as const, url: `pos_stores(pos_hubstoreid='${key}')`, body });
    const results = await client.batch(
      [op('B1', { pos_name: 'B1' }), op('B2', { pos_name: 2 }), op('B3', { pos_name: 'B3' }), op('B4', {}), op('B5', { pos_name: 'B5' })],
      { continueOnError: true },
    );
    expect(results.map((r) => [r.contentId, r.status])).toEqual([
      ['1', 204],
      ['2', 400],
      ['3', 204],
      ['4', 400],
      ['5', 204],
    ]);
    expect(results.filter((r) => !r.ok).map((r) => r.error)).toEqual([
      { status: 400, code: '0x80044331', message: "Column 'pos_name' of table 'pos_store': cannot convert 2 to Edm.String." },
      { status: 400, code: '0x80044331', message: "A value for the required column 'pos_name' of table 'pos_store' is missing." },
    ]);
    expect(dv.rows('pos_stores').map((r) => r.pos_hubstoreid).sort()).toEqual(['B1', 'B3', 'B5']);
  });

  test('a failed change set reports its failing item and the rolled-back ones', async () => {
    const dv = await standIn();
    const client = createDataverseClient({ environmentUrl: dv.url });
    const results = await client.batch(
      [{ changeSet: [{ method: 'PATCH', url: "pos_stores(pos_hubstoreid='A1')", body: { pos_name: 'A1' } }, { method: 'PATCH', url: "pos_stores(pos_hubstoreid='A2')", body: {} }] }],
      { continueOnError: true },
    );
    expect(results.map((r) => [r.contentId, r.status, r.error?.code])).toEqual([
      ['1', 400, '0x80044331'],
      ['2', 400, '0x80044331'],
    ]);
    expect(results[0]!.error!.message).toMatch(/^rolled back: operation 2/);
    expect(dv.rows('pos_stores')).toHaveLength(0);
  });
});
