// shared/dataverse/eraseContacts.ts: erasure (GDPR Art. 17) in Dataverse. The subject's contacts are
// deleted; their transactions stay (reporting needs the sales) with the link to the contact removed.
// Every request goes through the client, so its throttling (429 + Retry-After), pacing and retries
// apply as they do to loads.
import type { ErasureOptions } from '../privacy/erasureSubject';
import type { DataverseClient } from './dataverseClient';
import { DataverseError } from './dataverseError';
import { odataString, toKeyValue } from './dataverseKey';
import { CONTACT_TABLE, NAV, TRANSACTION_TABLE } from './tables';
import type { BatchItemResult, BatchOperation } from './batchRequest';

export interface DataverseErasure {
  /** Contact key values (`pos_customerref`, pseudonymous) deleted, or that a dry run would delete. */
  contactsDeleted: string[];
  /** Transactions whose contact lookup was cleared, or that a dry run would clear. */
  transactionsUnlinked: number;
}

/** The kinds a contact key can start with (customerKey): any of the subject's refs may have been chosen. */
const KEY_PREFIXES = ['r-', 'l-', 'e-', 'p-'] as const;
/** Contact columns holding refs: a contact keyed by a vendor customer ref may carry the subject's email ref. */
const REF_COLUMNS = ['pos_emailref', 'pos_phoneref', 'pos_loyaltyref'] as const;
/** The contact lookup of a transaction as the Web API reads it (`_<lookup logical name>_value`). */
const CONTACT_LOOKUP_VALUE = '_pos_contactid_value';
/** Refs per contact query: 7 comparisons each keeps the URL a few KB long (Dataverse takes 32 KB). */
const REFS_PER_QUERY = 10;
/** Contact ids per transaction query. */
const CONTACTS_PER_QUERY = 20;
/** Operations per $batch: the loader's chunk size; a $batch counts as one request against the limits. */
const OPS_PER_BATCH = 100;
/**
 * Rounds of "find links, remove them" per group of contacts before the delete. A load running at the
 * same time may link a new transaction to a contact after its links were removed; the last round
 * finding none is what lets the delete go ahead without relying on the relationship's delete behavior.
 */
const MAX_UNLINK_ROUNDS = 5;

interface FoundContact {
  id: string;
  keyValue: string | null;
}

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * The subject's contacts: by the contact key (`pos_customerref`, the alternate key) for every key the
 * loader could have made from each ref, and by the ref columns. One `$filter` with `or` per group of
 * refs, paged by the client through `@odata.nextLink`.
 */
async function findContacts(client: DataverseClient, refs: readonly string[]): Promise<FoundContact[]> {
  const found = new Map<string, FoundContact>();
  for (const group of chunks(refs, REFS_PER_QUERY)) {
    const filter = group
      .flatMap((ref) => [
        ...KEY_PREFIXES.map((prefix) => `${CONTACT_TABLE.keyColumn} eq ${odataString(toKeyValue(`${prefix}${ref}`))}`),
        ...REF_COLUMNS.map((column) => `${column} eq ${odataString(ref)}`),
      ])
      .join(' or ');
    const rows = await client.query(CONTACT_TABLE.entitySet, { select: ['contactid', CONTACT_TABLE.keyColumn], filter });
    for (const row of rows) {
      const id = String(row.contactid);
      const key = row[CONTACT_TABLE.keyColumn];
      found.set(id, { id, keyValue: typeof key === 'string' ? key : null });
    }
  }
  return [...found.values()];
}

/** Ids of the transactions whose contact lookup points at one of `contactIds`. */
async function linkedTransactions(client: DataverseClient, contactIds: readonly string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const group of chunks(contactIds, CONTACTS_PER_QUERY)) {
    // Lookup values are GUID literals, unquoted in OData.
    const filter = group.map((id) => `${CONTACT_LOOKUP_VALUE} eq ${id}`).join(' or ');
    const rows = await client.query(TRANSACTION_TABLE.entitySet, { select: ['pos_transactionid'], filter });
    for (const row of rows) ids.add(String(row.pos_transactionid));
  }
  return [...ids];
}

/**
 * Runs operations as `$batch` requests with continue-on-error, each with its own result. A 404 means
 * the row is already gone (another run, a concurrent delete): the erasure's goal holds, so it is
 * reported as such rather than as a failure. Any other refusal is thrown, so the caller re-drives the
 * whole erasure (every step is idempotent).
 */
async function runAll(client: DataverseClient, operations: BatchOperation[]): Promise<Array<'done' | 'gone'>> {
  const outcomes: Array<'done' | 'gone'> = [];
  for (const group of chunks(operations, OPS_PER_BATCH)) {
    const items: BatchItemResult[] = await client.batch(group, { continueOnError: true });
    for (const item of items) {
      if (item.ok) outcomes.push('done');
      else if (item.status === 404) outcomes.push('gone');
      else {
        const error = item.error ?? { status: item.status, code: '', message: 'failed' };
        throw new DataverseError(error, item.status === 0 || item.status === 429 || item.status >= 500);
      }
    }
  }
  return outcomes;
}

/**
 * Removes each transaction's link to its contact. PATCH `pos_transactions(<id>)` with
 * `"pos_ContactId@odata.bind": null` is how the Web API documents disassociating a single-valued
 * navigation property (DELETE `…/pos_ContactId/$ref` is the other documented form); `If-Match: *` makes
 * it an update only, so a transaction deleted meanwhile is not re-created by an upsert (it answers 404).
 * Explicit, so the erasure does not depend on the relationship's delete behavior: RemoveLink in
 * dataverse/tables.json, but an admin may have changed it to Cascade (which would delete the sales)
 * or Restrict (which would refuse the contact's delete).
 */
async function unlink(client: DataverseClient, transactionIds: readonly string[]): Promise<number> {
  const outcomes = await runAll(
    client,
    transactionIds.map((id) => ({
      method: 'PATCH' as const,
      url: `${TRANSACTION_TABLE.entitySet}(${id})`,
      headers: { 'If-Match': '*' },
      body: { [`${NAV.transactionContact}@odata.bind`]: null },
    })),
  );
  return outcomes.filter((o) => o === 'done').length;
}

/**
 * Erases the data subject whose pseudonymized references are `refs` from Dataverse: deletes their
 * contacts (found by key and by ref columns), after clearing the contact lookup of every transaction
 * pointing at them; the transactions and their lines stay. A dry run finds and counts, and changes
 * nothing. Idempotent: a second run finds nothing and reports nothing.
 */
export async function eraseContacts(client: DataverseClient, refs: ReadonlySet<string>, options: ErasureOptions): Promise<DataverseErasure> {
  const subjectRefs = [...refs].filter((r) => r.length > 0).sort();
  if (subjectRefs.length === 0) return { contactsDeleted: [], transactionsUnlinked: 0 };
  const contacts = await findContacts(client, subjectRefs);
  const reportedKey = (c: FoundContact) => c.keyValue ?? c.id;

  if (options.dryRun) {
    const linked = contacts.length ? await linkedTransactions(client, contacts.map((c) => c.id)) : [];
    return { contactsDeleted: contacts.map(reportedKey).sort(), transactionsUnlinked: linked.length };
  }

  let transactionsUnlinked = 0;
  const contactsDeleted: string[] = [];
  for (const group of chunks(contacts, CONTACTS_PER_QUERY)) {
    const ids = group.map((c) => c.id);
    for (let round = 0; round < MAX_UNLINK_ROUNDS; round++) {
      const linked = await linkedTransactions(client, ids);
      if (linked.length === 0) break;
      transactionsUnlinked += await unlink(client, linked);
    }
    // A contact already gone (404) counts as erased: a retried DELETE whose first attempt succeeded
    // answers 404 too.
    await runAll(
      client,
      group.map((c) => ({ method: 'DELETE' as const, url: `${CONTACT_TABLE.entitySet}(${c.id})` })),
    );
    contactsDeleted.push(...group.map(reportedKey));
  }
  return { contactsDeleted: contactsDeleted.sort(), transactionsUnlinked };
}
