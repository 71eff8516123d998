// shared/ingest/storeHint.ts: the store a caller says a payload comes from, for payloads that name none
// (a payment terminal's result, a register export without a store column). It is a hint: a store the
// payload names always wins (every adapter reads `payload ?? ctx.storeId`). HTTP callers send it as a
// header; Event Hubs producers as the `storeId` application property, which the stream path turns into
// the same header. It is kept with the raw blob's headers, so a replay reads the payload the same way.

export const STORE_ID_HEADER = 'x-pos-hub-store-id';

// Store ids become part of lake folder names (store_id=...) and Dataverse keys: characters every engine
// and path API accepts, like the ids POS systems use (S042, Square's L8XS..., Lightspeed's UUIDs).
const STORE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export type StoreHint = { ok: true; storeId: string | null } | { ok: false; detail: string };

/** The hint of a request's headers (lower-case names): none, a valid store id, or why it is refused. */
export function storeHintOf(headers: Readonly<Record<string, string | undefined>>): StoreHint {
  const value = headers[STORE_ID_HEADER];
  if (value === undefined) return { ok: true, storeId: null };
  const storeId = value.trim();
  if (STORE_ID_RE.test(storeId)) return { ok: true, storeId };
  return {
    ok: false,
    detail: `${STORE_ID_HEADER} must be 1-64 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit`,
  };
}
