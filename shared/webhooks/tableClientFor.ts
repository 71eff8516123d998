// shared/webhooks/tableClientFor.ts: a table in the runtime storage account (the delivery ledger, work
// items, replay counters), by connection string locally and by managed identity in Azure, as
// shared/ingest/ingestServices.ts does for the batch ledger.
import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import type { StorageConnection } from '../platform/settings';

export function tableClientFor(storage: StorageConnection, table: string): TableClient {
  if (storage.kind === 'connectionString') {
    return TableClient.fromConnectionString(storage.connectionString, table, {
      allowInsecureConnection: /127\.0\.0\.1|localhost/.test(storage.connectionString),
    });
  }
  const credential = new DefaultAzureCredential(storage.clientId ? { managedIdentityClientId: storage.clientId } : {});
  return new TableClient(storage.tableServiceUri, table, credential);
}
