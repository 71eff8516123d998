// shared/fetchers/fetchPlanFor.ts: what the fetcher does with one pending work item: skip it (nothing
// the hub can fetch and ingest), leave it waiting (no token configured for it), or fetch it with the
// vendor's API. Only objects an adapter turns into transactions are fetched: Square orders and Clover
// orders. Clover also notifies payments, customers, items and more; a payment of an order arrives as
// an update of that order too, so the order's own work item carries it.
import type { Settings } from '../platform/settings';
import type { SourceName } from '../model';
import type { WorkItemEntity } from '../webhooks/workItemStore';
import { fetchCloverOrder } from './fetchCloverOrder';
import { fetchSquareOrder } from './fetchSquareOrder';
import type { VendorAnswer } from './getVendorObject';

export type FetchPlan =
  | { kind: 'skip'; reason: string }
  /** No token for it: `merchantId` is the merchant (seller) the token map lacks, when the row names one. */
  | { kind: 'wait'; vendor: 'square' | 'clover'; merchantId?: string }
  | {
      kind: 'fetch';
      source: SourceName;
      /** One token's reach: a 401 or 429 stops the rest of the run for this scope only. */
      scope: string;
      /** How the token is named in a log line (the setting, and the merchant of a per-merchant token); never the token. */
      credential: string;
      fetch(timeoutMs: number): Promise<VendorAnswer>;
      /** Why a 2xx body is not the object asked for, or null when it is. */
      checkBody(body: Buffer): string | null;
    };

function jsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The merchant's entry of a token map; own entries only ("toString" is not a merchant). */
const tokenOf = (tokens: Record<string, string>, merchantId: string): string | undefined =>
  merchantId !== '' && Object.hasOwn(tokens, merchantId) ? tokens[merchantId] : undefined;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function fetchPlanFor(row: WorkItemEntity, fetcher: Settings['fetcher']): FetchPlan {
  if (row.vendor !== 'square' && row.vendor !== 'clover')
    return { kind: 'skip', reason: `no fetcher for vendor ${row.vendor}` };
  if (row.objectType !== 'order') {
    return {
      kind: 'skip',
      reason: `${row.vendor} ${row.objectType} objects are not fetched: only orders become transactions`,
    };
  }
  if (row.objectId === '') return { kind: 'skip', reason: 'the notification named no object id' };

  if (row.vendor === 'square') {
    // The seller's own token when SQUARE_ACCESS_TOKENS has one, else the single SQUARE_ACCESS_TOKEN (also
    // for rows recorded before the seller was kept, which name none).
    const own = tokenOf(fetcher.squareAccessTokens, row.accountId);
    const token = own ?? fetcher.squareAccessToken;
    if (!token)
      return { kind: 'wait', vendor: 'square', ...(row.accountId ? { merchantId: row.accountId } : {}) };
    return {
      kind: 'fetch',
      source: 'square',
      scope: own ? `square/${row.accountId}` : 'square',
      credential: own ? `the SQUARE_ACCESS_TOKENS token of merchant ${row.accountId}` : 'SQUARE_ACCESS_TOKEN',
      fetch: (timeoutMs) =>
        fetchSquareOrder({ baseUrl: fetcher.squareApiBaseUrl, token, orderId: row.objectId, timeoutMs }),
      checkBody(body) {
        const value = jsonObject(body);
        return value && isObject(value.order) ? null : 'the answer is not a JSON object with an "order"';
      },
    };
  }

  if (row.accountId === '') return { kind: 'skip', reason: 'the Clover notification named no merchant id' };
  const token = tokenOf(fetcher.cloverApiTokens, row.accountId);
  if (!token) return { kind: 'wait', vendor: 'clover', merchantId: row.accountId };
  return {
    kind: 'fetch',
    source: 'clover',
    scope: `clover/${row.accountId}`,
    credential: `the CLOVER_API_TOKENS token of merchant ${row.accountId}`,
    fetch: (timeoutMs) =>
      fetchCloverOrder({
        baseUrl: fetcher.cloverApiBaseUrl,
        token,
        merchantId: row.accountId,
        orderId: row.objectId,
        timeoutMs,
      }),
    checkBody(body) {
      const value = jsonObject(body);
      return value && typeof value.id === 'string'
        ? null
        : 'the answer is not a JSON object with an order "id"';
    },
  };
}
