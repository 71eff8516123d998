// Least privilege on the real app in the local runtime: the admin endpoints (replay, erase, erasure
// reports, dead-letter re-drive) take an admin key (POS_HUB_ADMIN_KEYS) or an Entra ID token holding
// the admin app role; an ingest credential gets 403 `forbidden` and starts or changes nothing (durable
// instances, lake blobs with their ETags and metadata, batch ledger rows are compared before and after);
// anything else gets 401. Ingest takes only ingest credentials; batch status and dependency health
// take either. Tokens come from a local issuer (a key pair made here, its JWKS served over HTTP).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerClient } from '@azure/storage-blob';
import { startRuntime, type Runtime } from '../../local/runtime';
import { keyFingerprint } from '../../shared/ingest/authorizeCaller';
import { writeDeadLetter } from '../../shared/streams/writeDeadLetter';
import { BASE_SETTINGS, lakeOf, tableRows } from '../webhooks/hubRuntime';

jest.setTimeout(120_000);

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type CryptoKey = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];

const TENANT = '3b0f2e4c-7a61-4d2b-9e8f-0c1d2e3f4a5b';
const AUDIENCE = 'api://pos-hub-test';
const ADMIN_ROLE = 'PosHub.Admin';
const INGEST_KEY = `ingest-${randomBytes(24).toString('base64url')}`;
const ADMIN_KEY = `admin-${randomBytes(24).toString('base64url')}`;
const CHALLENGE = `Bearer realm="pos-hub", authorization_uri="https://login.microsoftonline.com/${TENANT}"`;

let jose: Jose;
let signingKey: CryptoKey;
let issuerServer: Server;
let issuer: string;
let runtime: Runtime;
let dataDir: string;
let lake: ContainerClient;
const logs: string[] = [];

async function token(roles: unknown): Promise<string> {
  return new jose.SignJWT(roles === undefined ? {} : { roles })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject('caller-1')
    .setIssuedAt()
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setExpirationTime('10m')
    .sign(signingKey);
}

type Credential = Record<string, string>;
const key = (k: string): Credential => ({ 'x-functions-key': k });
const bearer = (t: string): Credential => ({ authorization: `Bearer ${t}` });
/** Filled in beforeAll, once the issuer exists. */
const as: Record<'ingestKey' | 'adminKey' | 'tokenNoRole' | 'tokenOtherRoles' | 'tokenAdmin' | 'wrongKey' | 'localFunctionKey' | 'nobody', Credential> = {} as never;

beforeAll(async () => {
  jose = await import('jose');
  const pair = await jose.generateKeyPair('RS256');
  signingKey = pair.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await jose.exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] });
  issuerServer = createServer((req, res) => (req.url === '/keys' ? res.writeHead(200, { 'content-type': 'application/json' }).end(jwks) : res.writeHead(404).end()));
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  issuer = `${origin}/${TENANT}/v2.0`;
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-admin-auth-'));
  runtime = await startRuntime({
    dataDir,
    entry: path.join(__dirname, '../../functions/index'),
    settings: {
      ...BASE_SETTINGS,
      // Distinct keys: these win over the local runtime's default (its function key for both).
      POS_HUB_INGEST_KEYS: INGEST_KEY,
      POS_HUB_ADMIN_KEYS: ADMIN_KEY,
      ENTRA_TENANT_ID: TENANT,
      ENTRA_AUDIENCE: AUDIENCE,
      ENTRA_ISSUER: issuer,
      ENTRA_JWKS_URL: `${origin}/keys`,
    },
    log: (m) => logs.push(m),
  });
  lake = lakeOf(runtime);
  await lake.createIfNotExists();
  Object.assign(as, {
    ingestKey: key(INGEST_KEY),
    adminKey: key(ADMIN_KEY),
    tokenNoRole: bearer(await token(undefined)),
    tokenOtherRoles: bearer(await token(['Ingest.Write', 'PosHub.Reader'])),
    tokenAdmin: bearer(await token([ADMIN_ROLE])),
    wrongKey: key('not-a-key-of-this-hub'),
    localFunctionKey: key(runtime.functionKey),
    nobody: {},
  });
}, 90_000);

afterAll(async () => {
  await runtime?.stop();
  await new Promise((resolve) => issuerServer?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: 'GET' | 'POST', route: string, credential: Credential, body?: unknown) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/${route}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...credential },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), wwwAuthenticate: res.headers.get('www-authenticate'), text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Everything an admin endpoint could start or change. */
async function hubState() {
  const instances = ((await (await fetch(`${runtime.baseUrl}/runtime/webhooks/durabletask/instances`)).json()) as { name: string; instanceId: string; runtimeStatus: string }[])
    .map((i) => `${i.name}:${i.instanceId}:${i.runtimeStatus}`)
    .sort();
  const blobs: string[] = [];
  for await (const b of lake.listBlobsFlat({ includeMetadata: true })) blobs.push(`${b.name}:${b.properties.etag}:${JSON.stringify(b.metadata ?? {})}`);
  const ledger = (await tableRows<{ partitionKey: string; etag: string }>(runtime, 'PosHubBatches')).map((r) => `${r.partitionKey}:${r.etag}`).sort();
  return { instances, blobs: blobs.sort(), ledger };
}

async function settled(batchId: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await call('GET', `batches/${batchId}`, as.ingestKey);
    if (res.status === 200 && !['pending', 'running'].includes(res.json!.status as string)) return res.json!;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} did not settle: ${res.text}\n${logs.slice(-20).join('\n')}`);
    await sleep(250);
  }
}

async function settledInstance(instanceId: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${runtime.baseUrl}/runtime/webhooks/durabletask/instances/${instanceId}`);
    const status = res.status === 404 ? 'Unknown' : ((await res.json()) as { runtimeStatus: string }).runtimeStatus;
    if (['Completed', 'Failed', 'Terminated'].includes(status)) return status;
    if (Date.now() > deadline) throw new Error(`instance ${instanceId} still ${status}:\n${logs.slice(-20).join('\n')}`);
    await sleep(250);
  }
}

const forbidden = (credential: string) => ({
  status: 403,
  contentType: 'application/problem+json',
  wwwAuthenticate: null,
  json: { type: 'urn:pos-hub:problem:forbidden', title: 'Forbidden', status: 403, detail: `${credential} may ingest but not administer; use an admin key (POS_HUB_ADMIN_KEYS) or a token with that role` },
});
const FORBIDDEN_KEY = forbidden('the function key is an ingest key: it');
const FORBIDDEN_TOKEN = forbidden(`the bearer token does not carry the app role "${ADMIN_ROLE}": it`);
const unauthorized = (detail: string) => ({
  status: 401,
  contentType: 'application/problem+json',
  wwwAuthenticate: CHALLENGE,
  json: { type: 'urn:pos-hub:problem:unauthorized', title: 'Unauthorized', status: 401, detail },
});
const INVALID_KEY = unauthorized('the function key is not valid');
const NO_CREDENTIAL = unauthorized('send a function key (x-functions-key) or an Entra ID bearer token');
const refusalOf = (r: Awaited<ReturnType<typeof call>>) => ({ status: r.status, contentType: r.contentType, wwwAuthenticate: r.wwwAuthenticate, json: r.json });

const order = readFileSync(path.join(__dirname, '../fixtures/shopify/order-web-discounts.json'));
const EMAIL = 'jane.rivera@example.com';

test('admin endpoints: an ingest credential gets 403 and changes nothing, an admin one is accepted, anyone else gets 401', async () => {
  // A settled batch (ingested with the ingest key) and a dead letter: what replay and re-drive act on.
  const ingested = await fetch(`${runtime.baseUrl}/api/v1/ingest/shopify`, { method: 'POST', headers: { 'content-type': 'application/json', ...as.ingestKey }, body: order });
  expect(ingested.status).toBe(202);
  const { batchId } = (await ingested.json()) as { batchId: string };
  expect(await settled(batchId)).toEqual(expect.objectContaining({ batchId, status: 'completed' }));
  const enqueued = new Date().toISOString();
  const deadLetter = await writeDeadLetter(
    lake,
    { eventHub: 'pos-transactions', consumerGroup: '$Default', partitionId: '0', events: [] },
    { event: { body: order, properties: { source: 'shopify', contentType: 'application/json' }, sequenceNumber: 77, offset: '77', enqueuedTimeUtc: enqueued }, error: { code: 'accept-failed', message: 'storage refused' } },
  );
  const day = enqueued.slice(0, 10);

  // Every admin request, as it would really be sent: a real erasure, a replay, a re-drive (not dry runs).
  const eraseBody = { emails: [EMAIL] };
  const admin = (credential: Credential) => [
    ['POST admin/erase', () => call('POST', 'admin/erase', credential, eraseBody)],
    ['GET admin/erasures/{id}', () => call('GET', 'admin/erasures/erasure-0123456789abcdef0123456789abcdef', credential)],
    ['POST admin/replay', () => call('POST', 'admin/replay', credential, { batchId })],
    ['POST admin/dead-letters/redrive', () => call('POST', 'admin/dead-letters/redrive', credential, { date: day })],
  ] as const;

  const before = await hubState();
  expect(before.instances.filter((i) => i.startsWith('eraseSubject:'))).toEqual([]);
  expect(before.blobs.filter((b) => b.startsWith(`${deadLetter}:`))).toHaveLength(1);
  // Ingest credentials: 403 forbidden, naming the kind of credential and never the key.
  for (const [credential, expected] of [
    [as.ingestKey, FORBIDDEN_KEY],
    [as.tokenNoRole, FORBIDDEN_TOKEN],
    [as.tokenOtherRoles, FORBIDDEN_TOKEN],
  ] as const) {
    for (const [name, send] of admin(credential)) {
      const answer = await send();
      expect([name, refusalOf(answer)]).toEqual([name, expected]);
      expect(answer.text).not.toContain(INGEST_KEY);
    }
  }
  // Anyone else: 401 with the challenge. The local function key is no key here: the settings replaced it.
  for (const [credential, expected] of [
    [as.nobody, NO_CREDENTIAL],
    [as.wrongKey, INVALID_KEY],
    [as.localFunctionKey, INVALID_KEY],
    [bearer('not.a.jwt'), unauthorized('the bearer token is not a valid JWT')],
  ] as const) {
    for (const [name, send] of admin(credential)) expect([name, refusalOf(await send())]).toEqual([name, expected]);
  }
  // Nothing started (no erasure, replay or ingest instance), no blob or ledger row changed, the dead letter untouched.
  expect(await hubState()).toEqual(before);

  // The admin key and a token with the admin role: each endpoint does its work. Replay and re-drive
  // first: the erasure deletes the raw payload and the dead letter, which hold the person's email.
  for (const [n, credential] of [as.adminKey, as.tokenAdmin].entries()) {
    const replayed = await call('POST', 'admin/replay', credential, { batchId });
    expect([replayed.status, replayed.json?.replays]).toEqual([202, [{ batchId, replayId: `replay-${batchId}-${n + 1}`, statusUrl: `${runtime.baseUrl}/api/v1/batches/${batchId}` }]]);
    expect(await settledInstance(`replay-${batchId}-${n + 1}`)).toBe('Completed');
  }
  const dryRedrive = await call('POST', 'admin/dead-letters/redrive', as.tokenAdmin, { date: day, dryRun: true });
  expect([dryRedrive.status, dryRedrive.json?.dryRun, (dryRedrive.json?.accepted as { blob: string }[]).map((a) => a.blob)]).toEqual([200, true, [deadLetter]]);
  const redriven = await call('POST', 'admin/dead-letters/redrive', as.adminKey, { date: day });
  expect([redriven.status, (redriven.json?.accepted as { blob: string }[]).map((a) => a.blob), redriven.json?.failing]).toEqual([200, [deadLetter], []]);
  expect((await hubState()).blobs.filter((b) => b.startsWith(`${deadLetter}:`))).toEqual([]);

  const erased = await call('POST', 'admin/erase', as.adminKey, eraseBody);
  expect([erased.status, erased.json?.references, erased.json?.dryRun]).toEqual([202, 1, false]);
  const erasureId = erased.json!.erasureId as string;
  expect(await settledInstance(erasureId)).toBe('Completed');
  const erasedByToken = await call('POST', 'admin/erase', as.tokenAdmin, { ...eraseBody, dryRun: true });
  expect([erasedByToken.status, erasedByToken.json?.dryRun]).toEqual([202, true]);
  expect(await settledInstance(erasedByToken.json!.erasureId as string)).toBe('Completed');
  for (const credential of [as.adminKey, as.tokenAdmin]) {
    const report = await call('GET', `admin/erasures/${erasureId}`, credential);
    expect([report.status, report.json?.erasureId, report.json?.status]).toEqual([200, erasureId, 'completed']);
  }
  // The report of a real erasure is admin only too.
  expect(refusalOf(await call('GET', `admin/erasures/${erasureId}`, as.ingestKey))).toEqual(FORBIDDEN_KEY);
  expect(refusalOf(await call('GET', `admin/erasures/${erasureId}`, as.tokenNoRole))).toEqual(FORBIDDEN_TOKEN);
  expect(refusalOf(await call('GET', `admin/erasures/${erasureId}`, as.nobody))).toEqual(NO_CREDENTIAL);

  // The audit trail: each admin action names its caller (the key's fingerprint, the token's subject),
  // each 403 is a warning naming the credential and the function; 401s are not logged; no key, token or
  // email is ever written.
  const admin_ = keyFingerprint(ADMIN_KEY);
  const ingest_ = keyFingerprint(INGEST_KEY);
  const actions = logs.filter((l) => l.includes('pos-hub.admin-action ')).map((l) => l.slice(l.indexOf('pos-hub.admin-action ')));
  expect(actions).toEqual([
    `pos-hub.admin-action action=replay caller=${admin_} batch=${batchId} replays=1 skipped=0`,
    `pos-hub.admin-action action=replay caller=token-caller-1 batch=${batchId} replays=1 skipped=0`,
    `pos-hub.admin-action action=redrive caller=token-caller-1 date=${day} dryRun=true accepted=1 failing=0`,
    `pos-hub.admin-action action=redrive caller=${admin_} date=${day} dryRun=false accepted=1 failing=0`,
    `pos-hub.admin-action action=erase caller=${admin_} erasure=${erasureId} dryRun=false references=1 started=true`,
    `pos-hub.admin-action action=erase caller=token-caller-1 erasure=${erasedByToken.json!.erasureId as string} dryRun=true references=1 started=true`,
  ]);
  const refused = logs.filter((l) => l.includes('pos-hub.admin-refused ')).map((l) => l.slice(l.indexOf('pos-hub.admin-refused ')));
  const routes = ['erase', 'erasureStatus', 'replay', 'redriveDeadLetters'];
  expect(refused).toEqual([
    ...routes.map((r) => `pos-hub.admin-refused caller=${ingest_} route=${r}`),
    ...routes.map((r) => `pos-hub.admin-refused caller=token-caller-1 route=${r}`),
    ...routes.map((r) => `pos-hub.admin-refused caller=token-caller-1 route=${r}`),
    `pos-hub.admin-refused caller=${ingest_} route=erasureStatus`,
    `pos-hub.admin-refused caller=token-caller-1 route=erasureStatus`,
  ]);
  expect(logs.filter((l) => l.includes('pos-hub.admin-refused') && !l.includes('warning'))).toEqual([]);
  expect(logs.filter((l) => [INGEST_KEY, ADMIN_KEY, EMAIL].some((secret) => l.includes(secret)))).toEqual([]);
});

test('ingest takes ingest credentials only: the admin key gets 401 and stores nothing', async () => {
  const before = await hubState();
  const res = await fetch(`${runtime.baseUrl}/api/v1/ingest/shopify`, { method: 'POST', headers: { 'content-type': 'application/json', ...as.adminKey }, body: order });
  expect([res.status, res.headers.get('www-authenticate'), await res.json()]).toEqual([401, CHALLENGE, INVALID_KEY.json]);
  const byQuery = await fetch(`${runtime.baseUrl}/api/v1/ingest/shopify?code=${encodeURIComponent(ADMIN_KEY)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: order });
  expect(byQuery.status).toBe(401);
  expect(await hubState()).toEqual(before);
  // Any valid token for the audience may ingest (the role is what admin adds): unchanged behaviour.
  const byToken = await fetch(`${runtime.baseUrl}/api/v1/ingest/shopify`, { method: 'POST', headers: { 'content-type': 'application/json', ...as.tokenNoRole }, body: order });
  expect(byToken.status).toBe(202);
});

test('batch status and dependency health take an ingest or an admin credential, and 401 anyone else', async () => {
  const ingested = await fetch(`${runtime.baseUrl}/api/v1/ingest/shopify`, { method: 'POST', headers: { 'content-type': 'application/json', ...as.ingestKey }, body: order });
  const { batchId } = (await ingested.json()) as { batchId: string };
  await settled(batchId);
  for (const [name, credential] of Object.entries({ ingestKey: as.ingestKey, adminKey: as.adminKey, tokenNoRole: as.tokenNoRole, tokenAdmin: as.tokenAdmin })) {
    const status = await call('GET', `batches/${batchId}`, credential);
    expect([name, status.status, status.json?.batchId, status.json?.status]).toEqual([name, 200, batchId, 'completed']);
    const health = await call('GET', 'health/dependencies', credential);
    expect([name, health.status, health.json?.status]).toEqual([name, 200, 'ok']);
  }
  for (const [credential, expected] of [
    [as.nobody, NO_CREDENTIAL],
    [as.wrongKey, INVALID_KEY],
    [as.localFunctionKey, INVALID_KEY],
  ] as const) {
    expect(refusalOf(await call('GET', `batches/${batchId}`, credential))).toEqual(expected);
    expect(refusalOf(await call('GET', 'health/dependencies', credential))).toEqual(expected);
  }
});
