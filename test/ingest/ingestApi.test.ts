// The ingest API's answers to every class of bad input and to each way of authenticating, through the
// real app in the local runtime. Bad input gets its exact 4xx problem and stores nothing (the lake
// container and the batch ledger are listed before and after); nothing yields a 5xx.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startRuntime, type Runtime } from '../../local/runtime';

jest.setTimeout(60_000);

// jose is an ES module only: loaded with a dynamic import, as the app does.
type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type CryptoKey = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];
let jose: Jose;

const TENANT = '3b0f2e4c-7a61-4d2b-9e8f-0c1d2e3f4a5b';
const AUDIENCE = 'api://pos-hub-test';
const MAX = 64 * 1024;
let runtime: Runtime;
let dataDir: string;
let lake: ContainerClient;
let ledger: TableClient;
let issuerServer: Server;
let issuer: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));

beforeAll(async () => {
  jose = await import('jose');
  const pair = await jose.generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await jose.generateKeyPair('RS256')).privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await jose.exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] });
  // A local token issuer: the JWKS of a key pair made here, as Entra ID serves its signing keys.
  issuerServer = createServer((req, res) => {
    if (req.url === '/keys') res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  issuer = `${origin}/${TENANT}/v2.0`;
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-ingest-api-'));
  runtime = await startRuntime({
    dataDir,
    entry: path.join(__dirname, '../../functions/index'),
    settings: {
      ENTRA_TENANT_ID: TENANT,
      ENTRA_AUDIENCE: AUDIENCE,
      ENTRA_ISSUER: issuer,
      ENTRA_JWKS_URL: `${origin}/keys`,
      POS_HUB_MAX_BODY_BYTES: String(MAX),
    },
    log: () => undefined,
  });
  lake = BlobServiceClient.fromConnectionString(runtime.storageConnectionString).getContainerClient('lake');
  await lake.createIfNotExists();
  ledger = TableClient.fromConnectionString(runtime.storageConnectionString, 'PosHubBatches', { allowInsecureConnection: true });
  await ledger.createTable();
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await new Promise((resolve) => issuerServer?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

async function stored(): Promise<string[]> {
  const names: string[] = [];
  for await (const b of lake.listBlobsFlat()) names.push(b.name);
  for await (const e of ledger.listEntities()) names.push(`ledger:${e.partitionKey}`);
  return names.sort();
}

async function token(claims: { aud?: string; iss?: string; exp?: number | string; nbf?: number | string } = {}, key: CryptoKey = signingKey) {
  const jwt = new jose.SignJWT({ roles: ['Ingest.Write'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject('pos-terminal-17')
    .setIssuedAt()
    .setIssuer(claims.iss ?? issuer)
    .setAudience(claims.aud ?? AUDIENCE)
    .setExpirationTime(claims.exp ?? '10m');
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(key);
}

const order = fixture('shopify/order-web-discounts.json');

async function post(pathAndQuery: string, init: { headers?: Record<string, string>; body?: Buffer | string; key?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.key !== null) headers['x-functions-key'] ??= init.key ?? runtime.functionKey;
  const res = await fetch(`${runtime.baseUrl}/api/v1/${pathAndQuery}`, { method: 'POST', headers, body: init.body ?? order });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), wwwAuthenticate: res.headers.get('www-authenticate'), acceptEncoding: res.headers.get('accept-encoding'), body: text ? (JSON.parse(text) as unknown) : null };
}

const problem = (kind: string, status: number, title: string, detail: string | ReturnType<typeof expect.stringMatching>) => ({
  status,
  contentType: 'application/problem+json',
  body: { type: `urn:pos-hub:problem:${kind}`, title, status, detail },
});

const deepXml = `<POSLog>${'<a>'.repeat(70)}x${'</a>'.repeat(70)}</POSLog>`;
const unauthorized = (detail: string) => problem('unauthorized', 401, 'Unauthorized', detail);
const gzip = (body: Buffer | string, headers: Record<string, string> = {}) => ({ headers: { 'content-encoding': 'gzip', ...headers }, body: gzipSync(body) });
// 64 MiB of zeros in under 64 KiB of gzip: a thousand times the decompressed limit.
const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
const incompressible = gzipSync(randomBytes(MAX + 100));

const CASES: Array<[string, () => Promise<Parameters<typeof post>>, ReturnType<typeof problem>]> = [
  ['no credentials', async () => ['ingest/shopify', { key: null }], unauthorized('send a function key (x-functions-key) or an Entra ID bearer token')],
  ['a wrong key', async () => ['ingest/shopify', { key: 'not-the-key' }], unauthorized('the function key is not valid')],
  ['a wrong ?code=', async () => ['ingest/shopify?code=not-the-key', { key: null }], unauthorized('the function key is not valid')],
  ['a token signed by another key', async () => ['ingest/shopify', { key: null, headers: { authorization: `Bearer ${await token({}, strangerKey)}` } }], unauthorized('the bearer token is not signed by a key of the issuer')],
  ['an expired token', async () => ['ingest/shopify', { key: null, headers: { authorization: `Bearer ${await token({ exp: Math.floor(Date.now() / 1000) - 600 })}` } }], unauthorized('the bearer token has expired')],
  ['a token not valid yet', async () => ['ingest/shopify', { key: null, headers: { authorization: `Bearer ${await token({ nbf: '10m' })}` } }], unauthorized('the bearer token is not valid yet')],
  ['a token for another audience', async () => ['ingest/shopify', { key: null, headers: { authorization: `Bearer ${await token({ aud: 'api://someone-else' })}` } }], unauthorized('the bearer token is not for this API (audience)')],
  ['a token from another issuer', async () => ['ingest/shopify', { key: null, headers: { authorization: `Bearer ${await token({ iss: 'https://login.microsoftonline.com/other/v2.0' })}` } }], unauthorized('the bearer token is from another issuer')],
  ['a malformed token', async () => ['ingest/shopify', { key: null, headers: { authorization: 'Bearer not.a.jwt' } }], unauthorized('the bearer token is not a valid JWT')],
  ['an oversized body', async () => ['ingest/shopify', { body: Buffer.alloc(MAX + 1, 32) }], problem('body-too-large', 413, 'Request body too large', `the body has ${MAX + 1} bytes; at most ${MAX} are accepted`)],
  ['a wrong content type', async () => ['ingest/shopify', { headers: { 'content-type': 'text/plain' } }], problem('unsupported-media-type', 415, 'Unsupported media type', 'shopify takes application/json, application/x-ndjson, application/ndjson (UTF-8); got "text/plain"')],
  ['JSON to the XML source', async () => ['ingest/poslog', {}], problem('unsupported-media-type', 415, 'Unsupported media type', 'poslog takes application/xml, text/xml (UTF-8); got "application/json"')],
  ['malformed JSON', async () => ['ingest/shopify', { body: '{\n  "id": 1,\n  "total_price": "3.00",,\n}' }], problem('malformed-body', 400, 'Malformed body', "malformed JSON at line 3, column 25: Quoted object key expected but got ','")],
  ['malformed XML', async () => ['ingest/poslog', { headers: { 'content-type': 'application/xml' }, body: '<POSLog>\n  <Transaction>\n</POSLog>' }], problem('malformed-body', 400, 'Malformed body', expect.stringMatching(/^malformed XML at line 3, column \d+: /))],
  ['XML with entities (DTD)', async () => ['ingest/poslog', { headers: { 'content-type': 'text/xml' }, body: '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<POSLog>&lol2;</POSLog>' }], problem('hostile-xml', 400, 'Refused XML', 'XML with a DOCTYPE or ENTITY declaration is refused (entity expansion and external entities are not allowed)')],
  ['deeply nested XML', async () => ['ingest/poslog', { headers: { 'content-type': 'application/xml' }, body: deepXml }], problem('hostile-xml', 400, 'Refused XML', 'XML nested deeper than 64 elements is refused')],
  ['a malformed store hint', async () => ['ingest/shopify', { headers: { 'x-pos-hub-store-id': '../S042' } }], problem('invalid-store-id', 400, 'Invalid store id', 'x-pos-hub-store-id must be 1-64 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit')],
  ['an empty store hint', async () => ['ingest/shopify', { headers: { 'x-pos-hub-store-id': ' ' } }], problem('invalid-store-id', 400, 'Invalid store id', 'x-pos-hub-store-id must be 1-64 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit')],
  ['an unknown source', async () => ['ingest/no-such-pos', {}], problem('unknown-source', 404, 'Unknown source', 'no source named "no-such-pos"')],
  ['an empty body', async () => ['ingest/shopify', { body: '' }], problem('empty-batch', 400, 'Empty batch', 'empty batch: the body is empty')],
  ['an empty array', async () => ['ingest/shopify', { body: '[]' }], problem('empty-batch', 400, 'Empty batch', 'empty batch: the JSON array holds no payloads')],
  ['a CSV with a header only', async () => ['ingest/csv', { headers: { 'content-type': 'text/csv' }, body: 'transaction_id,occurred_at\n' }], problem('empty-batch', 400, 'Empty batch', 'empty batch: the CSV has a header and no rows')],
  // Compressed bodies (Content-Encoding): bounded decompressed, refused when unreadable, and then the same checks as plain ones.
  ['a gzip bomb', async () => ['ingest/shopify', { headers: { 'content-encoding': 'gzip' }, body: bomb }], problem('body-too-large', 413, 'Request body too large', `the gzip body decompresses to more than ${MAX} bytes; at most ${MAX} are accepted, counted decompressed`)],
  ['a gzip body over the limit compressed', async () => ['ingest/shopify', { headers: { 'content-encoding': 'gzip' }, body: incompressible }], problem('body-too-large', 413, 'Request body too large', `the body has ${incompressible.length} bytes; at most ${MAX} are accepted`)],
  ['truncated gzip data', async () => ['ingest/shopify', { headers: { 'content-encoding': 'gzip' }, body: gzipSync(order).subarray(0, -8) }], problem('malformed-encoding', 400, 'Malformed compressed body', 'the body is not valid gzip data (unexpected end of file)')],
  ['a plain body labelled gzip', async () => ['ingest/shopify', { headers: { 'content-encoding': 'gzip' } }], problem('malformed-encoding', 400, 'Malformed compressed body', 'the body is not valid gzip data (incorrect header check)')],
  ['gzip data labelled br', async () => ['ingest/shopify', { headers: { 'content-encoding': 'br' }, body: gzipSync(order) }], problem('malformed-encoding', 400, 'Malformed compressed body', expect.stringMatching(/^the body is not valid br data \(.+\)$/))],
  ['an unknown encoding', async () => ['ingest/shopify', { headers: { 'content-encoding': 'compress' }, body: gzipSync(order) }], problem('unsupported-encoding', 415, 'Unsupported content encoding', 'Content-Encoding may be gzip, deflate, br or identity; got "compress"')],
  ['two encodings', async () => ['ingest/shopify', { headers: { 'content-encoding': 'gzip, br' }, body: gzipSync(order) }], problem('unsupported-encoding', 415, 'Unsupported content encoding', 'one Content-Encoding at most (gzip, deflate, br); got "gzip, br"')],
  ['gzip of malformed JSON', async () => ['ingest/shopify', gzip('{\n  "id": 1,\n  "total_price": "3.00",,\n}')], problem('malformed-body', 400, 'Malformed body', "malformed JSON at line 3, column 25: Quoted object key expected but got ','")],
  ['gzip of text that is not UTF-8', async () => ['ingest/shopify', gzip(Buffer.from('{"note": "caf\xe9"}', 'latin1'))], problem('malformed-body', 400, 'Malformed body', 'the body is not valid UTF-8')],
  ['gzip of XML with entities', async () => ['ingest/poslog', gzip('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<POSLog>&lol;</POSLog>', { 'content-type': 'application/xml' })], problem('hostile-xml', 400, 'Refused XML', 'XML with a DOCTYPE or ENTITY declaration is refused (entity expansion and external entities are not allowed)')],
  ['gzip of an empty array', async () => ['ingest/shopify', gzip('[]')], problem('empty-batch', 400, 'Empty batch', 'empty batch: the JSON array holds no payloads')],
  ['an empty body labelled gzip', async () => ['ingest/shopify', { headers: { 'content-encoding': 'gzip' }, body: '' }], problem('empty-batch', 400, 'Empty batch', 'empty batch: the body is empty')],
];

test.each(CASES)('%s: the exact problem, and nothing stored', async (_name, request, expected) => {
  const before = await stored();
  const answer = await post(...(await request()));
  expect({ status: answer.status, contentType: answer.contentType, body: answer.body }).toEqual(expected);
  // RFC 7694: a refused coding is answered with the codings the API takes.
  expect(answer.acceptEncoding).toBe(expected.body.type === 'urn:pos-hub:problem:unsupported-encoding' ? 'gzip, deflate, br' : null);
  if (answer.status === 401) expect(answer.wwwAuthenticate).toBe(`Bearer realm="pos-hub", authorization_uri="https://login.microsoftonline.com/${TENANT}"`);
  expect(await stored()).toEqual(before);
});

test('the batch status endpoint wants the same credentials, and answers 404 for an unknown batch', async () => {
  const url = `${runtime.baseUrl}/api/v1/batches/shopify-c-00000000000000000000000000000000`;
  const anonymous = await fetch(url);
  expect([anonymous.status, await anonymous.json()]).toEqual([401, { type: 'urn:pos-hub:problem:unauthorized', title: 'Unauthorized', status: 401, detail: 'send a function key (x-functions-key) or an Entra ID bearer token' }]);
  const unknown = await fetch(url, { headers: { 'x-functions-key': runtime.functionKey } });
  expect([unknown.status, unknown.headers.get('content-type'), await unknown.json()]).toEqual([
    404,
    'application/problem+json',
    { type: 'urn:pos-hub:problem:unknown-batch', title: 'Unknown batch', status: 404, detail: 'no batch with id shopify-c-00000000000000000000000000000000' },
  ]);
});

test('a valid Entra ID token is accepted (202), as is the key in ?code=, and both name the same batch for the same body', async () => {
  const byToken = await post('ingest/shopify', { key: null, headers: { authorization: `Bearer ${await token()}` } });
  expect(byToken.status).toBe(202);
  const { batchId, statusUrl } = byToken.body as { batchId: string; statusUrl: string };
  expect(batchId).toMatch(/^shopify-c-[0-9a-f]{32}$/);
  expect(statusUrl).toBe(`${runtime.baseUrl}/api/v1/batches/${batchId}`);
  const byCode = await post(`ingest/shopify?code=${encodeURIComponent(runtime.functionKey)}`, { key: null });
  expect([byCode.status, byCode.body]).toEqual([202, { batchId, statusUrl }]);
  const status = await fetch(statusUrl, { headers: { authorization: `Bearer ${await token()}` } });
  expect(status.status).toBe(200);
  // The token's bearer never reaches the stored metadata.
  for await (const b of lake.listBlobsFlat({ prefix: 'raw/', includeMetadata: true })) {
    expect(Object.keys(b.metadata ?? {}).filter((k) => /auth|key|code/.test(k))).toEqual([]);
  }
});
