// shared/dataverse/tables.ts: the tables the loader writes and the alternate keys it upserts by. The
// definitions an admin applies are dataverse/tables.json; test/dataverse checks the two agree.

export interface DataverseTable {
  /** Logical name, as in `@odata.type` (`Microsoft.Dynamics.CRM.<logicalName>`). */
  logicalName: string;
  /** Entity set name, as in URLs. */
  entitySet: string;
  /** The single-column alternate key the loader upserts by. */
  keyColumn: string;
}

export const STORE_TABLE: DataverseTable = { logicalName: 'pos_store', entitySet: 'pos_stores', keyColumn: 'pos_hubstoreid' };
export const CONTACT_TABLE: DataverseTable = { logicalName: 'contact', entitySet: 'contacts', keyColumn: 'pos_customerref' };
export const TRANSACTION_TABLE: DataverseTable = {
  logicalName: 'pos_transaction',
  entitySet: 'pos_transactions',
  keyColumn: 'pos_hubid',
};
export const LINE_TABLE: DataverseTable = {
  logicalName: 'pos_transactionline',
  entitySet: 'pos_transactionlines',
  keyColumn: 'pos_hublineid',
};

/** In load order: a row's lookups point at tables earlier in the list. */
export const LOAD_ORDER: readonly DataverseTable[] = [STORE_TABLE, CONTACT_TABLE, TRANSACTION_TABLE, LINE_TABLE];

/**
 * Navigation properties of the lookups (`<nav>@odata.bind`). They are the lookups' schema names, and
 * case matters: Dataverse rejects `pos_transactionid@odata.bind`.
 */
export const NAV = {
  transactionStore: 'pos_StoreId',
  transactionContact: 'pos_ContactId',
  lineTransaction: 'pos_TransactionId',
} as const;
