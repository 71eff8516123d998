// shared/sources/types.ts: the contract every source adapter implements.
import type { CanonicalTransaction, Finding, SourceName } from '../model';
import type { Pseudonymizer } from '../privacy/pseudonymize';

/**
 * One store's own configuration (the setting POS_HUB_STORES): each field given replaces the default
 * for that store's transactions. Validated when the settings are loaded.
 */
export interface StoreConfig {
  /** IANA zone of the store. */
  readonly timeZone?: string;
  /** ISO 4217 currency of the store. */
  readonly currency?: string;
  /** ISO 3166 alpha-2 country of the store. */
  readonly country?: string;
}

/**
 * What configuration (the store master, settings) supplies when a payload lacks it. `timeZone`,
 * `currency` and `country` are the defaults; an adapter that knows a transaction's store reads them
 * through `forStore(ctx, storeId)` (./forStore), which puts the store's own configuration in their place.
 */
export interface SourceContext {
  /** IANA zone of the store, for local times without an offset and for business dates. */
  timeZone: string | null;
  /** ISO 4217 currency when the payload does not state one. */
  currency: string | null;
  /** Store id when the payload does not carry one (e.g. Toast's restaurant header). */
  storeId?: string | null;
  /** Country for phone numbers written without a country code (ISO 3166 alpha-2). */
  country?: string | null;
  /** Configuration per store id; absent or empty when every store uses the defaults. */
  stores?: ReadonlyMap<string, StoreConfig>;
  /** Transport metadata, lower-cased header names (e.g. `toast-restaurant-external-id`). */
  headers?: Readonly<Record<string, string>>;
  pseudonymize: Pseudonymizer;
}

/**
 * Something a payload asks of the hub besides transactions: a vendor's test notification (acknowledge,
 * create nothing) or a notification-only webhook whose object must be fetched from the vendor's API.
 */
export interface WorkItem {
  kind: 'test_notification' | 'fetch_needed';
  vendor: SourceName;
  objectType: string;
  objectId: string;
  /** The merchant or account the object belongs to, where fetching it needs one (Clover's merchant id). */
  accountId?: string;
  /** The vendor's id of the event, for tracing and de-duplication; composed where the vendor has none. */
  eventId?: string;
}

/** Canonical transactions from one payload, plus findings about the payload as a whole. */
export interface AdapterResult {
  transactions: CanonicalTransaction[];
  findings: Finding[];
  workItems?: WorkItem[];
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; finding: Finding };

export interface SourceAdapter {
  name: SourceName;
  /** How the text of one payload becomes a value; never throws. */
  parse(text: string): ParseResult;
  /** One parsed payload to canonical transactions; never throws, problems become findings. */
  toCanonical(payload: unknown, ctx: SourceContext): AdapterResult;
}
