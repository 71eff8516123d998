// shared/dataverse/dataverseClient.ts: a thin Dataverse Web API client on fetch, with the behaviour
// the service protection limits ask of a client (Retry-After, x-ms-dop-hint, 52 concurrent at most).
import type { TokenCredential } from '@azure/identity';
import { createAccessTokenSource, type AccessTokenSource } from './accessTokenSource';
import { backoffDelay, parseRetryAfter, type BackoffOptions } from './backoffDelay';
import { fromBatchResponse, toBatchRequest, type BatchEntry, type BatchItemResult } from './batchRequest';
import { createConcurrencyGate, type ConcurrencyGate, type GateStats, type ThrottleKind } from './concurrencyGate';
import { parseRequestLimit, type RequestLimit } from './requestWindow';
import { DataverseError, parseServiceError } from './dataverseError';
import { boundaryOf } from './multipart';
import { keyPredicate } from './dataverseKey';
import type { DataverseTable } from './tables';

export interface DataverseClientOptions {
  /** The environment, e.g. `https://contoso.crm.dynamics.com`, or the local stand-in's URL. */
  environmentUrl: string;
  /** Managed identity or client credentials; optional for a loopback URL (development token). */
  credential?: TokenCredential;
  apiVersion?: string;
  /** Upper bound on parallel requests; never above 52 whatever is passed. */
  maxConcurrency?: number;
  initialConcurrency?: number;
  /**
   * The service's request-count limit, when known in advance. Without it the client learns it from the
   * first 429 0x80072322, whose message states it, and from then on paces itself to stay within it.
   */
  requestLimit?: RequestLimit;
  /** Attempts for transient failures (5xx, timeouts, connection resets), first one included. */
  maxAttempts?: number;
  /** How many 429s one request may take before it is given up (reported as retryable). */
  maxThrottleRetries?: number;
  /** Per request; Dataverse itself gives up on a request after 2 minutes. */
  timeoutMs?: number;
  backoff?: BackoffOptions;
  fetch?: typeof fetch;
  random?: () => number;
  /** Operational messages; never carries tokens or row contents. */
  log?: (message: string) => void;
}

export interface ClientStats {
  requests: number;
  /** 429s by service error code. */
  throttled: Record<string, number>;
  transientRetries: number;
  authRetries: number;
  gate: GateStats;
}

export interface UpsertOptions {
  /** `update`: If-Match: * (404 when missing); `create`: If-None-Match: * (412 when present). */
  mode?: 'upsert' | 'update' | 'create';
  returnRepresentation?: boolean;
}

export interface UpsertResult {
  status: number;
  /** `OData-EntityId`: the row's URL with its primary id. */
  entityId: string | null;
  /** With `returnRepresentation`: the row as stored. */
  row?: Record<string, unknown>;
}

export interface UpsertTarget {
  keyValue: string;
  columns: Record<string, unknown>;
}

export interface QueryOptions {
  filter?: string;
  select?: string[];
  top?: number;
  maxPageSize?: number;
}

export interface DataverseClient {
  readonly apiRoot: string;
  upsert(table: DataverseTable, keyValue: string, columns: Record<string, unknown>, options?: UpsertOptions): Promise<UpsertResult>;
  /** `UpsertMultiple`: all targets or none (standard tables roll back on any error). */
  upsertMultiple(table: DataverseTable, targets: UpsertTarget[]): Promise<void>;
  /** `$batch`; with `continueOnError` every operation gets its own result. */
  batch(entries: BatchEntry[], options?: { continueOnError?: boolean }): Promise<BatchItemResult[]>;
  query(entitySet: string, options?: QueryOptions): Promise<Record<string, unknown>[]>;
  stats(): ClientStats;
}

const THROTTLE_CODES: Record<string, ThrottleKind> = {
  '0x80072322': 'requests',
  '0x80072321': 'executionTime',
  '0x80072326': 'concurrency',
};
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

interface SendOptions {
  headers?: Record<string, string>;
  /**
   * The body, or how to make it: a function runs once, when the request first gets its turn. A loader
   * queues dozens of requests ahead of the gate; serializing all of their bodies up front (100 rows
   * each) kept the first of them from leaving for a quarter of a second on a busy core.
   */
  body?: string | (() => string);
  /** Statuses handed back instead of thrown (e.g. a $batch 400, which carries per-part errors). */
  accept?: (status: number) => boolean;
}

function networkErrorCode(err: unknown): string | null {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (test runners, workers).
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TIMEOUT';
  const code = typeof e.cause?.code === 'string' ? e.cause.code : e.code;
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return code;
  // undici reports a socket closed mid-response as "fetch failed" / "terminated" without a code.
  if (e.name === 'TypeError' && typeof e.message === 'string' && /fetch failed|terminated|other side closed/i.test(e.message)) return 'NETWORK';
  return null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createDataverseClient(options: DataverseClientOptions): DataverseClient {
  const apiRoot = new URL(`/api/data/${options.apiVersion ?? 'v9.2'}/`, options.environmentUrl).toString();
  const apiPath = new URL(apiRoot).pathname;
  const tokens: AccessTokenSource = createAccessTokenSource(options.environmentUrl, options.credential);
  const gate: ConcurrencyGate = createConcurrencyGate({
    maxConcurrency: options.maxConcurrency,
    initialConcurrency: options.initialConcurrency,
    requestLimit: options.requestLimit,
  });
  const doFetch = options.fetch ?? fetch;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const maxThrottleRetries = options.maxThrottleRetries ?? 50;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const counters = { requests: 0, throttled: {} as Record<string, number>, transientRetries: 0, authRetries: 0 };

  async function send(method: string, url: string, send: SendOptions = {}): Promise<RawResponse> {
    let failures = 0;
    let throttles = 0;
    let authRetried = false;
    let body: string | undefined;
    for (;;) {
      const permit = await gate.acquire();
      let response: RawResponse;
      let token: string;
      try {
        token = await tokens.getToken();
        counters.requests++;
        const res = await doFetch(url, {
          method,
          headers: {
            Accept: 'application/json',
            'OData-MaxVersion': '4.0',
            'OData-Version': '4.0',
            ...send.headers,
            Authorization: `Bearer ${token}`,
          },
          body: (body ??= typeof send.body === 'function' ? send.body() : send.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Read the whole body before releasing the slot: the service counts the request until then.
        response = { status: res.status, headers: res.headers, text: await res.text() };
      } catch (err) {
        permit.release();
        const code = networkErrorCode(err);
        if (code === null) throw err;
        failures++;
        if (failures >= maxAttempts) {
          throw new DataverseError({ status: 0, code, message: `no answer after ${failures} attempts: ${(err as Error).message}` }, true);
        }
        counters.transientRetries++;
        const wait = backoffDelay(failures - 1, backoff, random);
        log(`${method} ${new URL(url).pathname}: ${code}, attempt ${failures} of ${maxAttempts}, retrying in ${wait} ms`);
        await sleep(wait);
        continue;
      }

      const { status } = response;
      if (status === 429) {
        const error = parseServiceError(status, response.text, 'Too Many Requests');
        counters.throttled[error.code || '429'] = (counters.throttled[error.code || '429'] ?? 0) + 1;
        // Without a Retry-After (not seen from Dataverse, but proxies exist) fall back to backoff.
        const wait = parseRetryAfter(response.headers.get('retry-after')) ?? backoffDelay(throttles, backoff, random);
        const kind = THROTTLE_CODES[error.code] ?? 'concurrency';
        gate.throttled(kind, wait, permit, kind === 'requests' ? parseRequestLimit(error.message) : null);
        permit.release();
        throttles++;
        if (throttles > maxThrottleRetries) throw new DataverseError(error, true);
        continue;
      }
      if (status === 401 && !authRetried && options.credential) {
        // Once: a token revoked or expired early is replaced; a second 401 is a real permission problem.
        permit.release();
        authRetried = true;
        counters.authRetries++;
        tokens.invalidate(token);
        log(`${method} ${new URL(url).pathname}: 401, requesting a new token`);
        continue;
      }
      if (TRANSIENT_STATUS.has(status)) {
        permit.release();
        failures++;
        const error = parseServiceError(status, response.text);
        if (failures >= maxAttempts) throw new DataverseError(error, true);
        counters.transientRetries++;
        const wait = parseRetryAfter(response.headers.get('retry-after')) ?? backoffDelay(failures - 1, backoff, random);
        log(`${method} ${new URL(url).pathname}: ${status}, attempt ${failures} of ${maxAttempts}, retrying in ${wait} ms`);
        await sleep(wait);
        continue;
      }
      const hint = response.headers.get('x-ms-dop-hint');
      gate.succeeded(hint === null ? null : Number(hint));
      permit.release();
      if ((status >= 200 && status < 300) || send.accept?.(status)) return response;
      throw new DataverseError(parseServiceError(status, response.text), false);
    }
  }

  const jsonHeaders = { 'Content-Type': 'application/json; charset=utf-8' };

  return {
    apiRoot,
    async upsert(table, keyValue, columns, opts = {}) {
      const headers: Record<string, string> = { ...jsonHeaders };
      if (opts.mode === 'update') headers['If-Match'] = '*';
      if (opts.mode === 'create') headers['If-None-Match'] = '*';
      if (opts.returnRepresentation) headers['Prefer'] = 'return=representation';
      const body = { ...columns };
      // The key travels in the URL; repeating it in the body is an error when it differs.
      delete body[table.keyColumn];
      const res = await send('PATCH', `${apiRoot}${table.entitySet}${keyPredicate({ [table.keyColumn]: keyValue })}`, {
        headers,
        body: JSON.stringify(body),
      });
      const result: UpsertResult = { status: res.status, entityId: res.headers.get('odata-entityid') };
      if (opts.returnRepresentation && res.text) result.row = JSON.parse(res.text) as Record<string, unknown>;
      return result;
    },

    async upsertMultiple(table, targets) {
      if (targets.length === 0) return;
      if (targets.length > 1000) throw new RangeError(`UpsertMultiple takes at most 1000 targets, got ${targets.length}`);
      const seen = new Set<string>();
      for (const t of targets) {
        if (seen.has(t.keyValue)) throw new RangeError(`duplicate key ${table.keyColumn}=${t.keyValue} in one UpsertMultiple request`);
        seen.add(t.keyValue);
      }
      const toBody = () => ({
        Targets: targets.map((t) => ({
          '@odata.type': `Microsoft.Dynamics.CRM.${table.logicalName}`,
          '@odata.id': `${table.entitySet}${keyPredicate({ [table.keyColumn]: t.keyValue })}`,
          ...t.columns,
          [table.keyColumn]: t.keyValue,
        })),
      });
      await send('POST', `${apiRoot}${table.entitySet}/Microsoft.Dynamics.CRM.UpsertMultiple`, {
        headers: jsonHeaders,
        body: () => JSON.stringify(toBody()),
      });
    },

    async batch(entries, opts = {}) {
      const request = toBatchRequest(entries, apiPath);
      const headers: Record<string, string> = { 'Content-Type': request.contentType };
      if (opts.continueOnError) headers['Prefer'] = 'odata.continue-on-error';
      const res = await send('POST', `${apiRoot}$batch`, {
        headers,
        body: request.body,
        // Without continue-on-error the first failure makes the whole answer 400, still multipart.
        accept: (status) => status === 400,
      });
      const contentType = res.headers.get('content-type') ?? '';
      if (!boundaryOf(contentType)) throw new DataverseError(parseServiceError(res.status, res.text), false);
      return fromBatchResponse(request, contentType, res.text);
    },

    async query(entitySet, q = {}) {
      const params = new URLSearchParams();
      if (q.select?.length) params.set('$select', q.select.join(','));
      if (q.filter) params.set('$filter', q.filter);
      if (q.top !== undefined) params.set('$top', String(q.top));
      const qs = params.toString().replace(/\+/g, '%20');
      let next: string | null = `${apiRoot}${entitySet}${qs ? `?${qs}` : ''}`;
      const rows: Record<string, unknown>[] = [];
      const headers: Record<string, string> = { 'If-None-Match': 'null' };
      if (q.maxPageSize) headers['Prefer'] = `odata.maxpagesize=${q.maxPageSize}`;
      while (next) {
        const res = await send('GET', next, { headers });
        const page = JSON.parse(res.text) as { value?: Record<string, unknown>[]; '@odata.nextLink'?: string };
        rows.push(...(page.value ?? []));
        next = page['@odata.nextLink'] ?? null;
      }
      return rows;
    },

    stats() {
      return { ...counters, throttled: { ...counters.throttled }, gate: gate.stats() };
    },
  };
}
