// shared/ingest/authorizeCaller.ts: who may call the hub's API. A function key (`x-functions-key` header,
// else `?code=`) matched against the configured keys (POS_HUB_INGEST_KEYS for ingest, POS_HUB_ADMIN_KEYS
// for the admin endpoints), or an Entra ID bearer token (signature against the tenant's signing keys,
// audience, issuer, expiry, not-before; for the admin endpoints also an app role). The check runs in the
// code, not in the host, because the host's function-level auth would turn away a caller that has only
// a token before the code ever saw it (docs/ingest.md).
import { createHash } from 'node:crypto';
import { matchesAnySecret } from '../sources/signature';
import { problem, type Problem } from './problem';

// jose is an ES module only; this CommonJS project loads it with a dynamic import (Node >= 20.19), once.
type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type JWTVerifyGetKey = Awaited<ReturnType<Jose['createRemoteJWKSet']>>;
let joseModule: Promise<Jose> | undefined;
const loadJose = () => (joseModule ??= import('jose'));

export interface IngestAuthConfig {
  /** Accepted function keys (rotation: two at once). Empty: keys are refused. */
  keys: readonly string[];
  /** Bearer tokens are accepted only with an audience (and the tenant it belongs to). */
  tenantId: string | null;
  audience: string | null;
  /** Override of the expected issuer (default: the tenant's v2.0 and v1 issuers). */
  issuer: string | null;
  /** Override of the signing keys' URL (default: jwks_uri of the tenant's OpenID metadata). */
  jwksUrl: string | null;
  /** An app role a token's `roles` claim must hold (the admin endpoints); absent: any valid token. */
  requiredRole?: string | null;
}

export interface CallerRequest {
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  query: URLSearchParams;
}

/**
 * `subject` names the caller for audit lines, never the secret: a key's fingerprint (`key-` and the first
 * 8 hex digits of its SHA-256; keys are random, so this reveals nothing of them and tells a rotation's two
 * keys apart), a token's `oid` (the user's or application's object id in the tenant), else its `sub`.
 */
export type Authorization = { ok: true; caller: 'key' | 'token'; subject: string | null } | { ok: false; problem: Problem; challenge: string };

export type Authorizer = (req: CallerRequest) => Promise<Authorization>;

// The token errors a caller can act on; anything else is just "invalid".
function tokenProblem(joseErrors: Jose['errors'], err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the bearer token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'the bearer token is not for this API (audience)';
    if (err.claim === 'iss') return 'the bearer token is from another issuer';
    if (err.claim === 'nbf') return 'the bearer token is not valid yet';
    return `the bearer token's "${err.claim}" claim is invalid`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) return 'the bearer token is not signed by a key of the issuer';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the bearer token uses an algorithm that is not accepted';
  return 'the bearer token is not a valid JWT';
}

const sha = (s: string) => createHash('sha256').update(s).digest();

/** A key's name in audit lines (see Authorization). */
export function keyFingerprint(key: string): string {
  return `key-${sha(key).toString('hex').slice(0, 8)}`;
}

/**
 * Whether a verified token's claims grant the app role. Entra ID's access token claims reference
 * (learn.microsoft.com/entra/identity-platform/access-token-claims-reference, "Payload claims") gives
 * `roles` as an array of strings: for application tokens (client credentials flow) the app roles the
 * application was granted, for user tokens the roles assigned to the user on the API; unlike the rows
 * it marks "only present in v1.0/v2.0 tokens", it is in both versions. Scopes (`scp`) are not roles: a
 * delegated scope says what a client may do for a user, not that the user may administer the hub.
 */
export function holdsRole(claims: Readonly<Record<string, unknown>>, role: string): boolean {
  const roles = claims.roles;
  return Array.isArray(roles) && roles.some((r) => r === role);
}

export function createAuthorizer(config: IngestAuthConfig, fetchImpl: typeof fetch = fetch): Authorizer {
  const tokensOn = config.audience !== null && config.tenantId !== null;
  const challenge = tokensOn ? `Bearer realm="pos-hub", authorization_uri="https://login.microsoftonline.com/${config.tenantId}"` : 'Bearer realm="pos-hub"';
  const issuers = config.issuer ? [config.issuer] : [`https://login.microsoftonline.com/${config.tenantId}/v2.0`, `https://sts.windows.net/${config.tenantId}/`];

  let keySet: Promise<JWTVerifyGetKey> | null = null;
  async function discoverKeys(): Promise<JWTVerifyGetKey> {
    let url = config.jwksUrl;
    if (!url) {
      const res = await fetchImpl(`https://login.microsoftonline.com/${config.tenantId}/v2.0/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`OpenID metadata of the tenant answered ${res.status}`);
      url = ((await res.json()) as { jwks_uri?: string }).jwks_uri ?? null;
      if (!url) throw new Error('OpenID metadata of the tenant has no jwks_uri');
    }
    // jose caches the key set and refetches it (rate-limited) when a token names an unknown key id.
    return (await loadJose()).createRemoteJWKSet(new URL(url));
  }
  const keys = () =>
    (keySet ??= discoverKeys().catch((err: unknown) => {
      keySet = null;
      throw err;
    }));

  const deny = (detail: string): Authorization => ({ ok: false, problem: problem('unauthorized', detail), challenge });

  return async function authorize(req) {
    const key = req.headers['x-functions-key'] ?? req.query.get('code') ?? undefined;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (key !== undefined) {
      // Compare hashes: equal length, constant time, and the key's length does not leak.
      if (matchesAnySecret(sha, sha(key), config.keys)) return { ok: true, caller: 'key', subject: keyFingerprint(key) };
      if (bearer === undefined) return deny('the function key is not valid');
    }
    if (bearer === undefined) return deny('send a function key (x-functions-key) or an Entra ID bearer token');
    if (!tokensOn) return deny('bearer tokens are not accepted by this deployment (no ENTRA_AUDIENCE)');
    const { jwtVerify, errors: joseErrors } = await loadJose();
    try {
      const { payload } = await jwtVerify(bearer, await keys(), {
        audience: config.audience!,
        issuer: issuers,
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256'],
        clockTolerance: 60,
      });
      // Checked after the token verified: only then are its claims the issuer's word.
      if (config.requiredRole && !holdsRole(payload, config.requiredRole)) return deny(`the bearer token does not carry the app role "${config.requiredRole}"`);
      const who = typeof payload.oid === 'string' ? payload.oid : payload.sub;
      return { ok: true, caller: 'token', subject: typeof who === 'string' ? who : null };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return deny(tokenProblem(joseErrors, err));
      // The issuer's keys could not be fetched: that is our outage, not the caller's fault.
      throw err;
    }
  };
}

/** The first authorizer that lets the caller in; when none does, the first one's refusal. */
export function eitherAuthorizer(first: Authorizer, ...others: Authorizer[]): Authorizer {
  return async function authorize(req) {
    const refusal = await first(req);
    if (refusal.ok) return refusal;
    for (const other of others) {
      const auth = await other(req);
      if (auth.ok) return auth;
    }
    return refusal;
  };
}
