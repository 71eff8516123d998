// shared/dataverse/accessTokenSource.ts: bearer tokens for one Dataverse environment.
import type { AccessToken, TokenCredential } from '@azure/identity';

/** The development token the local stand-in accepts (CONTRACTS.md, local runtime). */
export const LOCAL_DEV_TOKEN = 'local-dev';
/** Refresh this long before expiry, so a token never expires between reading it and the service checking it. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface AccessTokenSource {
  /** A token valid for at least the refresh margin. Concurrent callers share one token request. */
  getToken(): Promise<string>;
  /** Drops `token` from the cache after the service refused it (401), so the next getToken asks again. */
  invalidate(token: string): void;
}

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * `<environment URL>/.default`: Dataverse wants the environment itself as the resource, without path.
 */
export function dataverseScope(environmentUrl: string): string {
  return `${new URL(environmentUrl).origin}/.default`;
}

/**
 * With a credential (managed identity, client secret, ...), tokens from it, cached until shortly before
 * they expire. Without one, a loopback environment gets the development token; anything else is a
 * configuration error, reported at once rather than on the first request.
 */
export function createAccessTokenSource(
  environmentUrl: string,
  credential?: TokenCredential,
  now: () => number = Date.now,
): AccessTokenSource {
  if (!credential) {
    if (!isLoopbackUrl(environmentUrl)) {
      throw new Error(`a TokenCredential is required for ${new URL(environmentUrl).origin} (only loopback URLs use the development token)`);
    }
    return { getToken: async () => LOCAL_DEV_TOKEN, invalidate: () => undefined };
  }
  const scope = dataverseScope(environmentUrl);
  let cached: AccessToken | null = null;
  let pending: Promise<AccessToken> | null = null;

  const fresh = (t: AccessToken) => {
    const refreshAt = t.refreshAfterTimestamp ?? t.expiresOnTimestamp - REFRESH_MARGIN_MS;
    return now() < refreshAt;
  };

  return {
    async getToken() {
      if (cached && fresh(cached)) return cached.token;
      pending ??= credential
        .getToken(scope)
        .then((t) => {
          if (!t) throw new Error(`the credential returned no token for ${scope}`);
          cached = t;
          return t;
        })
        .finally(() => {
          pending = null;
        });
      return (await pending).token;
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
  };
}
