// The admin check of createAuthorizer: a token that verifies is an admin only when its `roles` claim is
// an array holding the required role; keys never depend on roles. Tokens are signed by a key pair made
// here and served as a JWKS by a local HTTP server, as Entra ID serves its signing keys.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthorizer, eitherAuthorizer, holdsRole, keyFingerprint, type Authorizer, type IngestAuthConfig } from '../../shared/ingest/authorizeCaller';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type CryptoKey = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];
let jose: Jose;

const TENANT = '3b0f2e4c-7a61-4d2b-9e8f-0c1d2e3f4a5b';
const AUDIENCE = 'api://pos-hub-test';
const ROLE = 'PosHub.Admin';
let server: Server;
let signingKey: CryptoKey;
let config: Omit<IngestAuthConfig, 'keys'>;

beforeAll(async () => {
  jose = await import('jose');
  const pair = await jose.generateKeyPair('RS256');
  signingKey = pair.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  server = createServer((req, res) => (req.url === '/keys' ? res.writeHead(200, { 'content-type': 'application/json' }).end(jwks) : res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = { tenantId: TENANT, audience: AUDIENCE, issuer: `${origin}/${TENANT}/v2.0`, jwksUrl: `${origin}/keys` };
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function token(claims: Record<string, unknown>): Promise<string> {
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('operator-1')
    .setIssuedAt()
    .setIssuer(config.issuer!)
    .setAudience(AUDIENCE)
    .setExpirationTime('10m')
    .sign(signingKey);
}

const bearer = async (authorize: Authorizer, claims: Record<string, unknown>) =>
  authorize({ headers: { authorization: `Bearer ${await token(claims)}` }, query: new URLSearchParams() });
const withKey = (authorize: Authorizer, key: string) => authorize({ headers: { 'x-functions-key': key }, query: new URLSearchParams() });
const refusal = (detail: string) => ({ ok: false, problem: { type: 'urn:pos-hub:problem:unauthorized', title: 'Unauthorized', status: 401, detail }, challenge: expect.stringContaining('Bearer realm="pos-hub"') });
const missingRole = refusal(`the bearer token does not carry the app role "${ROLE}"`);
const admitted = { ok: true, caller: 'token', subject: 'operator-1' };

describe('holdsRole', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['no roles claim', {}, false],
    ['roles a string (not an array)', { roles: ROLE }, false],
    ['roles an object', { roles: { [ROLE]: true } }, false],
    ['roles null', { roles: null }, false],
    ['an empty array', { roles: [] }, false],
    ['another role only', { roles: ['Ingest.Write'] }, false],
    ['the role in other case', { roles: ['poshub.admin'] }, false],
    ['the role as a prefix', { roles: ['PosHub.Admin.Extra'] }, false],
    ['the role among others', { roles: ['Ingest.Write', ROLE] }, true],
    ['the role only', { roles: [ROLE] }, true],
  ])('%s', (_, claims, expected) => {
    expect(holdsRole(claims, ROLE)).toBe(expected);
  });

  it('is not satisfied by the role in scp (a delegated scope, not an app role)', () => {
    expect(holdsRole({ scp: ROLE }, ROLE)).toBe(false);
  });
});

describe('createAuthorizer with a required role', () => {
  let admin: Authorizer;
  let ingest: Authorizer;
  beforeAll(() => {
    admin = createAuthorizer({ ...config, keys: ['admin-key-0123456789'], requiredRole: ROLE });
    ingest = createAuthorizer({ ...config, keys: ['ingest-key-0123456789'] });
  });

  it('refuses a verified token without roles, with roles not an array, with another role', async () => {
    expect(await bearer(admin, {})).toEqual(missingRole);
    expect(await bearer(admin, { roles: ROLE })).toEqual(missingRole);
    expect(await bearer(admin, { roles: ['Ingest.Write'] })).toEqual(missingRole);
    expect(await bearer(admin, { scp: ROLE })).toEqual(missingRole);
  });

  it('admits a verified token whose roles hold the role', async () => {
    expect(await bearer(admin, { roles: [ROLE] })).toEqual(admitted);
    expect(await bearer(admin, { roles: ['Ingest.Write', ROLE] })).toEqual(admitted);
  });

  it('checks the token before its roles: a role does not help an unverified token', async () => {
    const forged = await new jose.SignJWT({ roles: [ROLE] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(config.issuer!)
      .setAudience('api://someone-else')
      .setExpirationTime('10m')
      .sign(signingKey);
    expect(await admin({ headers: { authorization: `Bearer ${forged}` }, query: new URLSearchParams() })).toEqual(refusal('the bearer token is not for this API (audience)'));
  });

  it('without a required role admits any verified token, as ingest does', async () => {
    expect(await bearer(ingest, {})).toEqual(admitted);
    expect(await bearer(ingest, { roles: ['Ingest.Write'] })).toEqual(admitted);
  });

  it('takes its own keys only', async () => {
    expect(await withKey(admin, 'admin-key-0123456789')).toEqual({ ok: true, caller: 'key', subject: keyFingerprint('admin-key-0123456789') });
    expect(await withKey(admin, 'ingest-key-0123456789')).toEqual(refusal('the function key is not valid'));
    expect(await withKey(ingest, 'admin-key-0123456789')).toEqual(refusal('the function key is not valid'));
  });

  it('eitherAuthorizer admits what one of them admits and otherwise answers with the first refusal', async () => {
    const either = eitherAuthorizer(ingest, admin);
    expect(await withKey(either, 'ingest-key-0123456789')).toEqual({ ok: true, caller: 'key', subject: keyFingerprint('ingest-key-0123456789') });
    expect(await withKey(either, 'admin-key-0123456789')).toEqual({ ok: true, caller: 'key', subject: keyFingerprint('admin-key-0123456789') });
    expect(await withKey(either, 'neither-key')).toEqual(refusal('the function key is not valid'));
    expect(await either({ headers: {}, query: new URLSearchParams() })).toEqual(refusal('send a function key (x-functions-key) or an Entra ID bearer token'));
  });
});

test('a key is named in audit lines by a fingerprint: stable, distinct per key, never the key', () => {
  const fp = keyFingerprint('admin-key-0123456789');
  expect(fp).toMatch(/^key-[0-9a-f]{8}$/);
  expect(keyFingerprint('admin-key-0123456789')).toBe(fp);
  expect(keyFingerprint('admin-key-0123456780')).not.toBe(fp);
  expect(fp).not.toContain('0123456789');
});

test("a token is named by its oid (the object id of the user or application), else by its sub", async () => {
  const authorize = createAuthorizer({ ...config, keys: [] });
  expect(await bearer(authorize, { oid: '7c1e8a52-3f0d-4b6e-9a21-5d4c3b2a1f00' })).toEqual({ ...admitted, subject: '7c1e8a52-3f0d-4b6e-9a21-5d4c3b2a1f00' });
  expect(await bearer(authorize, {})).toEqual(admitted);
});
