// shared/ingest/ingestServices.ts: the clients the ingest path and its orchestration use, built from
// the settings: the lake container, the work container (orchestration scratch in the runtime storage
// account), the batch ledger, Dataverse, the caller checks (ingest, admin) and the source context. Built once per
// configuration and reused by every invocation of the process.
import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { createDataverseClient, isLoopbackUrl, type DataverseClient } from '../dataverse';
import { loadSettings, SETTINGS, type Settings } from '../platform/settings';
import { createPseudonymizer, type Pseudonymizer } from '../privacy/pseudonymize';
import type { SourceContext } from '../sources/types';
import { BATCH_LEDGER_TABLE, createBatchLedger, type BatchLedger } from '../stores/batchLedger';
import { createAuthorizer, eitherAuthorizer, type Authorizer } from './authorizeCaller';
import { storeHintOf } from './storeHint';

/** Orchestration scratch (canonical transactions between activities), in the runtime storage account. */
export const WORK_CONTAINER = 'ingest-work';

export interface IngestServices {
  settings: Settings;
  /** The lake container, created if missing. */
  lake(): Promise<ContainerClient>;
  work(): Promise<ContainerClient>;
  ledger: BatchLedger;
  /** Null when no Dataverse environment is configured. */
  dataverse: DataverseClient | null;
  /** Ingest callers: POS_HUB_INGEST_KEYS, or any valid token for the audience. */
  authorize: Authorizer;
  /** Admin callers: POS_HUB_ADMIN_KEYS, or a valid token whose roles claim holds POS_HUB_ADMIN_ROLE. */
  authorizeAdmin: Authorizer;
  /** Either (batch status, dependency health): a POS polls its batch, an operator checks the hub. */
  authorizeIngestOrAdmin: Authorizer;
  /** Keyed with the settings' pseudonymization key, as in every source context. */
  pseudonymize: Pseudonymizer;
  sourceContext(headers: Readonly<Record<string, string>>): SourceContext;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () =>
    (p ??= make().catch((err: unknown) => {
      p = null;
      throw err;
    }));
}

export function createIngestServices(settings: Settings): IngestServices {
  let credential: TokenCredential | undefined;
  const identity = (clientId: string | null) =>
    (credential ??= new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}));

  const lakeService =
    settings.lake.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(settings.lake.connectionString)
      : new BlobServiceClient(settings.lake.blobUrl, identity(settings.identity.clientId));
  const storage = settings.storage;
  const runtimeBlobs =
    storage.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(storage.connectionString)
      : new BlobServiceClient(storage.blobServiceUri, identity(storage.clientId));
  const ledgerTable =
    storage.kind === 'connectionString'
      ? TableClient.fromConnectionString(storage.connectionString, BATCH_LEDGER_TABLE, { allowInsecureConnection: /127\.0\.0\.1|localhost/.test(storage.connectionString) })
      : new TableClient(storage.tableServiceUri, BATCH_LEDGER_TABLE, identity(storage.clientId));

  const lakeContainer = lakeService.getContainerClient(settings.lake.container);
  const workContainer = runtimeBlobs.getContainerClient(WORK_CONTAINER);
  const dataverseUrl = settings.dataverseUrl;
  const pseudonymize = createPseudonymizer(settings.pseudonymKey);
  const tokens = {
    tenantId: settings.identity.tenantId,
    audience: settings.identity.audience,
    issuer: settings.ingestAuth.issuer,
    jwksUrl: settings.ingestAuth.jwksUrl,
  };
  const authorize = createAuthorizer({ keys: settings.ingestAuth.keys, ...tokens });
  const authorizeAdmin = createAuthorizer({ keys: settings.adminAuth.keys, ...tokens, requiredRole: settings.adminAuth.role });

  return {
    settings,
    lake: once(async () => (await lakeContainer.createIfNotExists(), lakeContainer)),
    work: once(async () => (await workContainer.createIfNotExists(), workContainer)),
    ledger: createBatchLedger(ledgerTable),
    dataverse: dataverseUrl
      ? createDataverseClient({ environmentUrl: dataverseUrl, ...(isLoopbackUrl(dataverseUrl) ? {} : { credential: identity(settings.identity.clientId) }) })
      : null,
    authorize,
    authorizeAdmin,
    authorizeIngestOrAdmin: eitherAuthorizer(authorize, authorizeAdmin),
    pseudonymize,
    sourceContext: (headers) => {
      const hint = storeHintOf(headers);
      return {
        timeZone: settings.defaults.timeZone,
        currency: settings.defaults.currency,
        // Store by store zone, currency and country (POS_HUB_STORES), read by the adapters via forStore.
        ...(settings.stores.size > 0 ? { stores: settings.stores } : {}),
        storeId: hint.ok ? hint.storeId : null,
        headers,
        pseudonymize,
      };
    },
  };
}

let cached: { key: string; services: IngestServices } | null = null;

/**
 * The services for this environment, built on first use (so a bad configuration fails the requests
 * that need it, with the settings error in the log, rather than the loading of every function) and
 * rebuilt only when a setting changes.
 */
export function ingestServicesFor(env: Readonly<Record<string, string | undefined>>): IngestServices {
  const key = JSON.stringify(SETTINGS.map((s) => env[s.name] ?? null));
  if (cached?.key !== key) cached = { key, services: createIngestServices(loadSettings(env)) };
  return cached.services;
}
