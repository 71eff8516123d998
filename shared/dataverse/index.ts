// shared/dataverse: the Dataverse sink (client, mapping, loader).
export { createDataverseClient, type DataverseClient, type DataverseClientOptions, type ClientStats } from './dataverseClient';
export { createAccessTokenSource, LOCAL_DEV_TOKEN, dataverseScope, isLoopbackUrl } from './accessTokenSource';
export { MAX_CONCURRENT_REQUESTS } from './concurrencyGate';
export { parseRequestLimit, type RequestLimit } from './requestWindow';
export { DataverseError, type ServiceError } from './dataverseError';
export { toKeyValue, keyPredicate, rowReference } from './dataverseKey';
export { toDataverseRow, customerKey, lineKey, type DataverseRow, type MappingResult } from './toDataverseRow';
export { upsertRows, type LoadFailure, type LoadResult } from './upsertRows';
export { loadTransactions, type TransactionsLoadResult } from './loadTransactions';
export { quarantineFailures, type QuarantineRecord } from './quarantineFailures';
export { eraseContacts, type DataverseErasure } from './eraseContacts';
export * from './tables';
