// shared/platform/settings.ts: every app setting the hub reads, and `loadSettings`, which validates
// them once at start. infra/modules/functionApp.bicep sets each non-local one in Azure, and
// test/infra checks the two lists agree, so a setting added here without Bicep fails the build.
import { z } from 'zod';
import { isKnownCurrency } from '../model/money';
import type { StoreConfig } from '../sources/types';
import { parseStoreMap } from './parseStoreMap';
import { MAX_CLOCK_SKEW_MS, MAX_DELIVERY_AGE_MS } from '../webhooks/deliveryAge';

export interface SettingSpec {
  name: string;
  description: string;
  /** loadSettings fails without it (for connections: without it or its local emulator alternative). */
  required: boolean;
  /** In Azure the app setting is a Key Vault reference to `keyVaultSecret`, never the value. */
  secret: boolean;
  /** Name of the Key Vault secret a secret setting refers to. */
  keyVaultSecret?: string;
  /** Local emulator connection string: never set in Azure, where every connection is identity-based. */
  localOnly?: boolean;
}

export const SETTINGS: readonly SettingSpec[] = [
  { name: 'AzureWebJobsStorage__credential', description: 'Functions runtime storage: "managedidentity" (read by the host).', required: false, secret: false },
  { name: 'AzureWebJobsStorage__clientId', description: 'Client id of the user-assigned identity the runtime storage connection uses.', required: false, secret: false },
  { name: 'AzureWebJobsStorage__blobServiceUri', description: 'Runtime storage blob endpoint (host, Event Hubs checkpoints, Durable Functions).', required: true, secret: false },
  { name: 'AzureWebJobsStorage__queueServiceUri', description: 'Runtime storage queue endpoint (Durable Functions).', required: true, secret: false },
  { name: 'AzureWebJobsStorage__tableServiceUri', description: 'Runtime storage table endpoint (Durable Functions, ledgers, master data).', required: true, secret: false },
  { name: 'AzureWebJobsStorage', description: 'Connection string of the local storage emulator (Azurite).', required: false, secret: false, localOnly: true },
  { name: 'POS_HUB_LAKE_BLOB_URL', description: 'Blob endpoint of the data lake account.', required: true, secret: false },
  { name: 'POS_HUB_LAKE_CONTAINER', description: 'Lake container holding raw/, curated/ and quarantine/ (default "lake").', required: false, secret: false },
  { name: 'POS_HUB_LAKE_CONNECTION_STRING', description: 'Connection string of the local lake (Azurite).', required: false, secret: false, localOnly: true },
  { name: 'EventHubConnection__fullyQualifiedNamespace', description: 'Event Hubs namespace host, e.g. evhns-x.servicebus.windows.net.', required: true, secret: false },
  { name: 'EventHubConnection__credential', description: 'Event Hubs connection: "managedidentity" (read by the host).', required: false, secret: false },
  { name: 'EventHubConnection__clientId', description: 'Client id of the user-assigned identity the Event Hubs connection uses.', required: false, secret: false },
  { name: 'EventHubConnection', description: 'Connection string of the local Event Hubs server.', required: false, secret: false, localOnly: true },
  { name: 'POS_HUB_EVENTHUB_NAME', description: 'Hub the POS streams send transactions to (default "pos-transactions").', required: false, secret: false },
  { name: 'POS_HUB_EVENTHUB_CONSUMER_GROUP', description: 'Consumer group the ingest trigger reads with (default "$Default").', required: false, secret: false },
  { name: 'POS_HUB_ALERTS_EVENTHUB_NAME', description: 'Hub stockout alerts are sent to (default "stock-alerts").', required: false, secret: false },
  { name: 'POS_HUB_PSEUDONYM_KEY', description: 'HMAC key for pseudonymizing personal data (at least 32 characters).', required: true, secret: true, keyVaultSecret: 'pseudonym-key' },
  { name: 'SHOPIFY_WEBHOOK_SECRETS', description: 'Shopify app secrets, comma-separated (two during a rotation).', required: false, secret: true, keyVaultSecret: 'shopify-webhook-secrets' },
  { name: 'SQUARE_WEBHOOK_SIGNATURE_KEYS', description: 'Square webhook signature keys, comma-separated (two during a rotation).', required: false, secret: true, keyVaultSecret: 'square-webhook-signature-keys' },
  { name: 'SQUARE_WEBHOOK_URL', description: 'The notification URL registered with Square, which Square signs with the body.', required: false, secret: false },
  { name: 'CLOVER_AUTH_CODES', description: 'Clover webhook X-Clover-Auth codes, comma-separated (two during a rotation).', required: false, secret: true, keyVaultSecret: 'clover-auth-codes' },
  { name: 'LIGHTSPEED_WEBHOOK_SECRETS', description: 'Lightspeed webhook secrets, comma-separated (two during a rotation).', required: false, secret: true, keyVaultSecret: 'lightspeed-webhook-secrets' },
  { name: 'POS_HUB_FETCH_SCHEDULE', description: 'NCRONTAB schedule of the work-item fetcher (default "0 */1 * * * *", every minute).', required: false, secret: false },
  { name: 'SQUARE_ACCESS_TOKEN', description: 'Square access token the fetcher reads orders with (scope ORDERS_READ).', required: false, secret: true, keyVaultSecret: 'square-access-token' },
  { name: 'SQUARE_ACCESS_TOKENS', description: 'Square access tokens per seller, a JSON object {"<merchantId>": "<token>"}; SQUARE_ACCESS_TOKEN serves sellers without one.', required: false, secret: true, keyVaultSecret: 'square-access-tokens' },
  { name: 'SQUARE_API_BASE_URL', description: 'Square API base URL (default https://connect.squareup.com; the sandbox is https://connect.squareupsandbox.com).', required: false, secret: false },
  { name: 'CLOVER_API_TOKENS', description: 'Clover API tokens per merchant, a JSON object {"<merchantId>": "<token>"}.', required: false, secret: true, keyVaultSecret: 'clover-api-tokens' },
  { name: 'CLOVER_API_BASE_URL', description: 'Clover API base URL (default https://api.clover.com; Europe https://api.eu.clover.com).', required: false, secret: false },
  { name: 'POS_HUB_WORK_ITEM_RETENTION_DAYS', description: 'Days fetched, gone and skipped work items are kept after they settled (default 7, at least 4).', required: false, secret: false },
  { name: 'POS_HUB_FAILED_WORK_ITEM_RETENTION_DAYS', description: 'Days failed work items are kept after they failed (default 30, at least 4).', required: false, secret: false },
  { name: 'POS_HUB_HISTORY_RETENTION_DAYS', description: 'Days the orchestration history of a finished batch, replay or erasure is kept before the daily purge deletes it (default 30; 0 purges every finished one). Batch status then answers from the batch ledger.', required: false, secret: false },
  { name: 'POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS', description: 'Days a webhook delivery ledger entry (what answers a redelivery as a duplicate) is kept after it was received (default 7, at least 4).', required: false, secret: false },
  { name: 'DATAVERSE_URL', description: 'Dataverse environment URL; absent locally, where the stand-in is used.', required: false, secret: false },
  { name: 'AZURE_CLIENT_ID', description: 'Client id of the user-assigned identity (@azure/identity picks it up).', required: false, secret: false },
  { name: 'ENTRA_TENANT_ID', description: 'Tenant whose tokens the ingest API accepts as Bearer tokens.', required: false, secret: false },
  { name: 'ENTRA_AUDIENCE', description: 'Audience Bearer tokens must be issued for; Bearer auth is off without it.', required: false, secret: false },
  { name: 'ENTRA_ISSUER', description: 'Issuer Bearer tokens must carry; default the tenant\'s v2.0 and v1 issuers.', required: false, secret: false },
  { name: 'ENTRA_JWKS_URL', description: 'Signing keys of the token issuer; default the jwks_uri of the tenant\'s OpenID metadata.', required: false, secret: false },
  { name: 'POS_HUB_INGEST_KEYS', description: 'Keys the ingest API accepts as x-functions-key / ?code=, comma-separated (two during a rotation).', required: false, secret: true, keyVaultSecret: 'ingest-keys' },
  { name: 'POS_HUB_ADMIN_KEYS', description: 'Keys the admin endpoints (replay, erase, erasure reports, dead-letter re-drive) accept as x-functions-key / ?code=, comma-separated (two during a rotation); never an ingest key.', required: false, secret: true, keyVaultSecret: 'admin-keys' },
  { name: 'POS_HUB_ADMIN_ROLE', description: 'App role a Bearer token\'s roles claim must hold for the admin endpoints (default "PosHub.Admin").', required: false, secret: false },
  { name: 'POS_HUB_DEFAULT_CURRENCY', description: 'ISO 4217 currency used when a payload states none.', required: false, secret: false },
  { name: 'POS_HUB_DEFAULT_TIMEZONE', description: 'IANA time zone used when neither payload nor store master gives one.', required: false, secret: false },
  { name: 'POS_HUB_STORES', description: 'Time zone, currency and country per store, a JSON object {"<storeId>": {"timeZone": "<IANA zone>", "currency": "<ISO 4217>", "country": "<ISO 3166 alpha-2>"}} (each optional); they replace the defaults for that store. What a payload states (an offset, a currency, a business date) still wins.', required: false, secret: false },
  { name: 'POS_HUB_MAX_BODY_BYTES', description: 'Largest request body ingest accepts, in bytes (default 4 MiB).', required: false, secret: false },
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', description: 'Application Insights connection string (not a secret: local auth is off).', required: false, secret: false },
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', description: '"Authorization=AAD;ClientId=<identity>": telemetry is sent with Entra ID.', required: false, secret: false },
];

export type StorageConnection =
  | { kind: 'identity'; blobServiceUri: string; queueServiceUri: string; tableServiceUri: string; clientId: string | null }
  | { kind: 'connectionString'; connectionString: string };

export type LakeConnection = { container: string } & (
  | { kind: 'identity'; blobUrl: string }
  | { kind: 'connectionString'; connectionString: string }
);

export type EventHubsConnection = { transactionsHub: string; alertsHub: string; consumerGroup: string } & (
  | { kind: 'identity'; fullyQualifiedNamespace: string; clientId: string | null }
  | { kind: 'connectionString'; connectionString: string }
);

export interface Settings {
  storage: StorageConnection;
  lake: LakeConnection;
  eventHubs: EventHubsConnection;
  pseudonymKey: string;
  webhooks: {
    shopifySecrets: string[];
    squareSignatureKeys: string[];
    squareWebhookUrl: string | null;
    cloverAuthCodes: string[];
    lightspeedSecrets: string[];
  };
  /** The work-item fetcher: its schedule and the vendor APIs it reads notified objects from. */
  fetcher: {
    schedule: string;
    /** The token of every Square seller without one of its own (and of work items recorded without a seller). */
    squareAccessToken: string | null;
    /** Square merchant id -> token. */
    squareAccessTokens: Record<string, string>;
    squareApiBaseUrl: string;
    /** Merchant id -> token. */
    cloverApiTokens: Record<string, string>;
    cloverApiBaseUrl: string;
    /** Days a fetched, gone or skipped work item is kept after it settled. */
    retentionDays: number;
    /** Days a failed work item is kept after it failed: operators look at these. */
    failedRetentionDays: number;
    /**
     * Days a webhook delivery ledger entry is kept after it was received; the fetcher's run sweeps
     * them (shared/fetchers/sweepDeliveryLedger.ts says why a later redelivery is still safe).
     */
    deliveryRetentionDays: number;
  };
  /** Days a finished orchestration's history is kept (functions/purgeHistory.ts). */
  historyRetentionDays: number;
  dataverseUrl: string | null;
  identity: { clientId: string | null; tenantId: string | null; audience: string | null };
  /** Who may call the ingest and batch status API: keys, and Entra ID tokens when an audience is set. */
  ingestAuth: { keys: string[]; jwksUrl: string | null; issuer: string | null };
  /** Who may call the admin endpoints: their own keys, and Entra ID tokens that hold the app role. */
  adminAuth: { keys: string[]; role: string };
  defaults: { currency: string | null; timeZone: string | null; maxBodyBytes: number };
  /** Store id -> the store's own zone, currency, country (POS_HUB_STORES); empty when none is set. */
  stores: ReadonlyMap<string, StoreConfig>;
  appInsights: { connectionString: string | null; authenticationString: string | null };
}

/** The problems found, by setting name. Never carries a value: some settings are secrets. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'SettingsError';
  }
}

// The Functions host's own request limit is 100 MiB; a larger setting could never take effect.
const HOST_BODY_LIMIT = 100 * 1024 * 1024;

/** The app role that makes an Entra ID token an admin credential (docs/deploy.md defines it). */
export const DEFAULT_ADMIN_ROLE = 'PosHub.Admin';

/** Every minute, at second 0. */
export const DEFAULT_FETCH_SCHEDULE = '0 */1 * * * *';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Fewest days a settled work item or a webhook delivery ledger entry is kept: more than the webhook age
 * window (72 h plus the clock skew), so every redelivery that could still be accepted arrives while its
 * rows exist (docs/webhooks.md).
 */
export const MIN_WORK_ITEM_RETENTION_DAYS = Math.floor((MAX_DELIVERY_AGE_MS + MAX_CLOCK_SKEW_MS) / DAY_MS) + 1;

const text = z.string().trim().min(1).optional();
const httpsUrl = z.url({ protocol: /^https?$/ }).optional();
const guid = z.guid().optional();
const managedIdentity = z.literal('managedidentity').optional();
// Comma-separated so that during a rotation the old and the new secret are both accepted.
const secretList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0));

// Six NCRONTAB fields (second first), as the Functions host reads timer schedules.
const ncrontab = z
  .string()
  .trim()
  .regex(/^[0-9*/,-]+( [0-9A-Za-z*/,-]+){5}$/, 'expected six NCRONTAB fields, e.g. "0 */1 * * * *"')
  .default(DEFAULT_FETCH_SCHEDULE);
// Merchant id -> token as a JSON object. The issues name the problem, never the text: it holds secrets.
const tokenMap = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return {};
    let value: unknown;
    try {
      value = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON: expected {"<merchantId>": "<token>"}' });
      return z.NEVER;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object {"<merchantId>": "<token>"}' });
      return z.NEVER;
    }
    const tokens: Record<string, string> = {};
    for (const [merchantId, token] of Object.entries(value)) {
      if (merchantId.trim() === '' || typeof token !== 'string' || token.trim() === '') {
        ctx.addIssue({ code: 'custom', message: 'every merchant id needs a non-empty token string' });
        return z.NEVER;
      }
      tokens[merchantId.trim()] = token.trim();
    }
    return tokens;
  });

// Store id -> { timeZone?, currency?, country? } as a JSON object (parseStoreMap checks each value).
const storeMap = z
  .string()
  .optional()
  .transform((v, ctx): ReadonlyMap<string, StoreConfig> => {
    if (v === undefined) return new Map<string, StoreConfig>();
    const parsed = parseStoreMap(v);
    if (parsed.ok) return parsed.stores;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });

const retentionDays = (fallback: number) =>
  z.coerce
    .number()
    .int('expected whole days')
    .min(MIN_WORK_ITEM_RETENTION_DAYS, `at least ${MIN_WORK_ITEM_RETENTION_DAYS} days: longer than the 72-hour webhook age window`)
    .max(3650, 'at most 3650 days')
    .default(fallback);

const Env = z
  .object({
    AzureWebJobsStorage__credential: managedIdentity,
    AzureWebJobsStorage__clientId: guid,
    AzureWebJobsStorage__blobServiceUri: httpsUrl,
    AzureWebJobsStorage__queueServiceUri: httpsUrl,
    AzureWebJobsStorage__tableServiceUri: httpsUrl,
    AzureWebJobsStorage: text,
    POS_HUB_LAKE_BLOB_URL: httpsUrl,
    POS_HUB_LAKE_CONTAINER: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'not a valid container name').default('lake'),
    POS_HUB_LAKE_CONNECTION_STRING: text,
    EventHubConnection__fullyQualifiedNamespace: z.string().regex(/^[A-Za-z0-9.-]+$/, 'a host name, without scheme or port').optional(),
    EventHubConnection__credential: managedIdentity,
    EventHubConnection__clientId: guid,
    EventHubConnection: text,
    POS_HUB_EVENTHUB_NAME: z.string().min(1).default('pos-transactions'),
    POS_HUB_EVENTHUB_CONSUMER_GROUP: z.string().min(1).default('$Default'),
    POS_HUB_ALERTS_EVENTHUB_NAME: z.string().min(1).default('stock-alerts'),
    POS_HUB_PSEUDONYM_KEY: z.string({ error: 'required' }).min(32, 'must be at least 32 characters'),
    SHOPIFY_WEBHOOK_SECRETS: secretList,
    SQUARE_WEBHOOK_SIGNATURE_KEYS: secretList,
    SQUARE_WEBHOOK_URL: httpsUrl,
    CLOVER_AUTH_CODES: secretList,
    LIGHTSPEED_WEBHOOK_SECRETS: secretList,
    POS_HUB_FETCH_SCHEDULE: ncrontab,
    SQUARE_ACCESS_TOKEN: text,
    SQUARE_ACCESS_TOKENS: tokenMap,
    SQUARE_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://connect.squareup.com'),
    CLOVER_API_TOKENS: tokenMap,
    CLOVER_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.clover.com'),
    POS_HUB_WORK_ITEM_RETENTION_DAYS: retentionDays(7),
    POS_HUB_FAILED_WORK_ITEM_RETENTION_DAYS: retentionDays(30),
    POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: retentionDays(7),
    POS_HUB_HISTORY_RETENTION_DAYS: z.coerce.number().int('expected whole days').min(0, 'at least 0 days').max(3650, 'at most 3650 days').default(30),
    DATAVERSE_URL: httpsUrl,
    AZURE_CLIENT_ID: guid,
    ENTRA_TENANT_ID: guid,
    ENTRA_AUDIENCE: text,
    ENTRA_ISSUER: text,
    ENTRA_JWKS_URL: httpsUrl,
    POS_HUB_INGEST_KEYS: secretList,
    POS_HUB_ADMIN_KEYS: secretList,
    // An app role's value: no spaces (Entra ID refuses them), at most 120 characters.
    POS_HUB_ADMIN_ROLE: z.string().trim().regex(/^\S{1,120}$/, 'an app role value: 1-120 characters, no spaces').default(DEFAULT_ADMIN_ROLE),
    POS_HUB_DEFAULT_CURRENCY: z.string().refine(isKnownCurrency, 'not an ISO 4217 currency code').optional(),
    POS_HUB_DEFAULT_TIMEZONE: z.string().refine(isTimeZone, 'not an IANA time zone').optional(),
    POS_HUB_STORES: storeMap,
    POS_HUB_MAX_BODY_BYTES: z.coerce.number().int().positive().max(HOST_BODY_LIMIT).default(4 * 1024 * 1024),
    APPLICATIONINSIGHTS_CONNECTION_STRING: text,
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: z.string().regex(/^Authorization=AAD(;ClientId=[0-9a-fA-F-]{36})?$/, 'expected Authorization=AAD;ClientId=<guid>').optional(),
  });

/** Rules across settings: each connection needs its identity form or its local connection string. */
function missingAlternatives(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  if (env.AzureWebJobsStorage === undefined) {
    for (const name of ['blobServiceUri', 'queueServiceUri', 'tableServiceUri']) {
      if (env[`AzureWebJobsStorage__${name}`] === undefined) problems.push(`AzureWebJobsStorage__${name}: required (or AzureWebJobsStorage locally)`);
    }
  }
  if (env.POS_HUB_LAKE_BLOB_URL === undefined && env.POS_HUB_LAKE_CONNECTION_STRING === undefined) {
    problems.push('POS_HUB_LAKE_BLOB_URL: required (or POS_HUB_LAKE_CONNECTION_STRING locally)');
  }
  if (env.EventHubConnection__fullyQualifiedNamespace === undefined && env.EventHubConnection === undefined) {
    problems.push('EventHubConnection__fullyQualifiedNamespace: required (or EventHubConnection locally)');
  }
  // An audience without a tenant would accept tokens from any tenant that can mint that audience.
  if (env.ENTRA_AUDIENCE !== undefined && env.ENTRA_TENANT_ID === undefined) problems.push('ENTRA_TENANT_ID: required when ENTRA_AUDIENCE is set');
  return problems;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates the environment and returns the hub's configuration. Throws a SettingsError naming every
 * problem at once. Identity-based connections win over the local emulators' connection strings.
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>> = process.env): Settings {
  // App Service leaves a Key Vault reference as the literal text when it cannot resolve it (secret
  // missing, or no access): say so rather than use the reference text as a key.
  const unresolved = SETTINGS.filter((s) => env[s.name]?.startsWith('@Microsoft.KeyVault('));
  const unresolvedNames = new Set(unresolved.map((s) => s.name));
  const input = Object.fromEntries(
    SETTINGS.map((s) => {
      const value = env[s.name];
      return [s.name, value === undefined || value.trim() === '' || unresolvedNames.has(s.name) ? undefined : value];
    }),
  );
  const parsed = Env.safeParse(input);
  const problems = [
    ...unresolved.map((s) => `${s.name}: Key Vault reference not resolved (is secret "${s.keyVaultSecret ?? '?'}" set, and may the app's identity read it?)`),
    ...(parsed.success ? [] : parsed.error.issues)
      .filter((i) => !unresolvedNames.has(String(i.path[0])))
      .map((i) => `${i.path.join('.')}: ${i.message}`),
    ...missingAlternatives(input),
  ];
  if (problems.length > 0 || !parsed.success) throw new SettingsError(problems);
  const e = parsed.data;

  const storage: StorageConnection =
    e.AzureWebJobsStorage__blobServiceUri && e.AzureWebJobsStorage__queueServiceUri && e.AzureWebJobsStorage__tableServiceUri
      ? {
          kind: 'identity',
          blobServiceUri: e.AzureWebJobsStorage__blobServiceUri,
          queueServiceUri: e.AzureWebJobsStorage__queueServiceUri,
          tableServiceUri: e.AzureWebJobsStorage__tableServiceUri,
          clientId: e.AzureWebJobsStorage__clientId ?? null,
        }
      : { kind: 'connectionString', connectionString: e.AzureWebJobsStorage ?? '' };
  const lake: LakeConnection = e.POS_HUB_LAKE_BLOB_URL
    ? { kind: 'identity', blobUrl: e.POS_HUB_LAKE_BLOB_URL, container: e.POS_HUB_LAKE_CONTAINER }
    : { kind: 'connectionString', connectionString: e.POS_HUB_LAKE_CONNECTION_STRING ?? '', container: e.POS_HUB_LAKE_CONTAINER };
  const hubs = { transactionsHub: e.POS_HUB_EVENTHUB_NAME, alertsHub: e.POS_HUB_ALERTS_EVENTHUB_NAME, consumerGroup: e.POS_HUB_EVENTHUB_CONSUMER_GROUP };
  const eventHubs: EventHubsConnection = e.EventHubConnection__fullyQualifiedNamespace
    ? { kind: 'identity', fullyQualifiedNamespace: e.EventHubConnection__fullyQualifiedNamespace, clientId: e.EventHubConnection__clientId ?? null, ...hubs }
    : { kind: 'connectionString', connectionString: e.EventHubConnection ?? '', ...hubs };

  return {
    storage,
    lake,
    eventHubs,
    pseudonymKey: e.POS_HUB_PSEUDONYM_KEY,
    webhooks: {
      shopifySecrets: e.SHOPIFY_WEBHOOK_SECRETS,
      squareSignatureKeys: e.SQUARE_WEBHOOK_SIGNATURE_KEYS,
      squareWebhookUrl: e.SQUARE_WEBHOOK_URL ?? null,
      cloverAuthCodes: e.CLOVER_AUTH_CODES,
      lightspeedSecrets: e.LIGHTSPEED_WEBHOOK_SECRETS,
    },
    fetcher: {
      schedule: e.POS_HUB_FETCH_SCHEDULE,
      squareAccessToken: e.SQUARE_ACCESS_TOKEN ?? null,
      squareAccessTokens: e.SQUARE_ACCESS_TOKENS,
      squareApiBaseUrl: e.SQUARE_API_BASE_URL,
      cloverApiTokens: e.CLOVER_API_TOKENS,
      cloverApiBaseUrl: e.CLOVER_API_BASE_URL,
      retentionDays: e.POS_HUB_WORK_ITEM_RETENTION_DAYS,
      failedRetentionDays: e.POS_HUB_FAILED_WORK_ITEM_RETENTION_DAYS,
      deliveryRetentionDays: e.POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS,
    },
    historyRetentionDays: e.POS_HUB_HISTORY_RETENTION_DAYS,
    dataverseUrl: e.DATAVERSE_URL ?? null,
    identity: { clientId: e.AZURE_CLIENT_ID ?? null, tenantId: e.ENTRA_TENANT_ID ?? null, audience: e.ENTRA_AUDIENCE ?? null },
    ingestAuth: { keys: e.POS_HUB_INGEST_KEYS, jwksUrl: e.ENTRA_JWKS_URL ?? null, issuer: e.ENTRA_ISSUER ?? null },
    adminAuth: { keys: e.POS_HUB_ADMIN_KEYS, role: e.POS_HUB_ADMIN_ROLE },
    defaults: { currency: e.POS_HUB_DEFAULT_CURRENCY ?? null, timeZone: e.POS_HUB_DEFAULT_TIMEZONE ?? null, maxBodyBytes: e.POS_HUB_MAX_BODY_BYTES },
    stores: e.POS_HUB_STORES,
    appInsights: {
      connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING ?? null,
      authenticationString: e.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? null,
    },
  };
}
