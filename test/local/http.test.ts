// The local HTTP host, driven over real HTTP against a fixture app: routes, auth, limits, conversion.
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { startRuntime, type Runtime } from '../../local/runtime';

const BODY_LIMIT = 1024;
let runtime: Runtime;
let dataDir: string;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-http-'));
  runtime = await startRuntime({
    dataDir,
    entry: path.join(__dirname, '../fixtures/apps/http/index'),
    settings: { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(BODY_LIMIT) },
    log: (m) => logs.push(m),
  });
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const url = (p: string) => `${runtime.baseUrl}${p}`;
const key = () => ({ 'x-functions-key': runtime.functionKey });

describe('routes', () => {
  test('an int-constrained parameter reaches the handler as a string, with query, headers and context', async () => {
    const res = await fetch(url('/api/v1/orders/42?expand=lines'), {
      headers: { ...key(), 'X-Custom': 'hello' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      params: { id: '42' },
      expand: 'lines',
      custom: 'hello',
      functionName: 'orderById',
      invocationId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      triggerType: 'httpTrigger',
      url: `${runtime.baseUrl}/api/v1/orders/42?expand=lines`,
    });
  });

  test('a value failing the constraint falls through to the unconstrained route (ASP.NET precedence)', async () => {
    const res = await fetch(url('/api/v1/orders/latest'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ params: { name: 'latest' } });
    // 2^31 is not an int: the anonymous route answers, not the keyed one.
    expect(await (await fetch(url('/api/v1/orders/2147483648'))).json()).toEqual({
      params: { name: '2147483648' },
    });
  });

  test('an optional parameter is absent when missing and present when given', async () => {
    expect(await (await fetch(url('/api/items'))).json()).toEqual({ params: {} });
    expect(await (await fetch(url('/api/items/7'))).json()).toEqual({ params: { id: '7' } });
  });

  test('a catch-all takes the rest of the path, decoded', async () => {
    expect(await (await fetch(url('/api/files/a/b%20c/d.txt'))).text()).toBe('path=a/b c/d.txt');
    expect(await (await fetch(url('/api/files'))).text()).toBe('path=(none)');
  });

  test('literal segments match case-insensitively', async () => {
    expect(await (await fetch(url('/API/Items/3'))).json()).toEqual({ params: { id: '3' } });
  });

  test('without route or methods a function is served at its name for GET and POST only', async () => {
    expect(await (await fetch(url('/api/defaults'))).text()).toBe('GET');
    expect(await (await fetch(url('/api/defaults'), { method: 'POST', body: 'x' })).text()).toBe('POST');
    expect((await fetch(url('/api/defaults'), { method: 'PUT', body: 'x' })).status).toBe(404);
  });

  test('unknown routes, missing prefix and wrong methods answer 404 with an empty body', async () => {
    for (const [method, p] of [
      ['GET', '/api/nope'],
      ['GET', '/items'],
      ['GET', '/api/echo'],
      ['DELETE', '/api/items/1'],
      ['GET', '/api/v1/orders/1/2'],
    ] as const) {
      const res = await fetch(url(p), { method });
      expect([method, p, res.status, await res.text()]).toEqual([method, p, 404, '']);
    }
  });
});

describe('function keys', () => {
  test('no key and a wrong key answer 401 with an empty body', async () => {
    const none = await fetch(url('/api/v1/orders/1'));
    expect([none.status, await none.text()]).toEqual([401, '']);
    const wrong = await fetch(url('/api/v1/orders/1'), { headers: { 'x-functions-key': 'not-the-key' } });
    expect([wrong.status, await wrong.text()]).toEqual([401, '']);
  });

  test('?code= is accepted', async () => {
    const res = await fetch(url(`/api/v1/orders/1?code=${encodeURIComponent(runtime.functionKey)}`));
    expect(res.status).toBe(200);
  });

  test('the header wins over ?code=', async () => {
    const wrongHeader = await fetch(url(`/api/v1/orders/1?code=${encodeURIComponent(runtime.functionKey)}`), {
      headers: { 'x-functions-key': 'nope' },
    });
    expect(wrongHeader.status).toBe(401);
    const rightHeader = await fetch(url('/api/v1/orders/1?code=nope'), { headers: key() });
    expect(rightHeader.status).toBe(200);
  });

  test('anonymous functions need no key', async () => {
    expect((await fetch(url('/api/items/1'))).status).toBe(200);
  });

  test('the key is never written to the log', () => {
    expect(logs.some((l) => l.includes(runtime.functionKey))).toBe(false);
  });
});

describe('bodies', () => {
  test('a body at the limit reaches the handler byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: BODY_LIMIT }, (_, i) => i % 256));
    const res = await fetch(url('/api/echo'), {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': 'application/x-test' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/x-test');
    expect(res.headers.get('x-method')).toBe('PUT');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  test('a declared body over the limit answers 413', async () => {
    const res = await fetch(url('/api/echo'), { method: 'POST', body: Buffer.alloc(BODY_LIMIT + 1, 1) });
    expect([res.status, await res.text()]).toEqual([413, '']);
  });

  test('a chunked body over the limit answers 413', async () => {
    const chunks = [Buffer.alloc(600, 1), Buffer.alloc(600, 2)];
    const res = await fetch(url('/api/echo'), {
      method: 'POST',
      body: Readable.toWeb(Readable.from(chunks)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect([res.status, await res.text()]).toEqual([413, '']);
  });
});

describe('responses', () => {
  test('headers, cookies and jsonBody are written as the host writes them', async () => {
    const res = await fetch(url('/api/cookies'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-powered-by-test')).toBe('yes');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.getSetCookie()).toEqual([
      'session=abc123; max-age=3600; path=/; secure; samesite=strict; httponly',
      'theme=dark; expires=Wed, 02 Jan 2030 03:04:05 GMT; path=/api',
    ]);
    expect(await res.json()).toEqual({ ok: true });
  });

  test('header names are lower-case on the wire', async () => {
    const rawNames = await new Promise<string[]>((resolve, reject) => {
      httpRequest(url('/api/cookies'), (res) => {
        res.resume();
        resolve(res.rawHeaders.filter((_, i) => i % 2 === 0));
      })
        .on('error', reject)
        .end();
    });
    expect(rawNames).toEqual(
      expect.arrayContaining([
        'x-powered-by-test',
        'cache-control',
        'content-type',
        'set-cookie',
        'content-length',
      ]),
    );
  });

  test('a stream body is sent whole', async () => {
    const res = await fetch(url('/api/stream'));
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(await res.text()).toBe('alpha,beta,gamma');
  });

  test('no result answers 204', async () => {
    const res = await fetch(url('/api/nothing'));
    expect([res.status, await res.text()]).toEqual([204, '']);
  });

  test('a throwing handler answers 500 with an empty body and is logged', async () => {
    const res = await fetch(url('/api/boom'));
    expect([res.status, await res.text()]).toEqual([500, '']);
    expect(logs.some((l) => l.includes('[boom] failed: Error: handler failure (expected by the test)'))).toBe(
      true,
    );
  });
});
