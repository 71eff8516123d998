// bench/simulate/expectTransactions.ts: what the hub should make of a payload, worked out with the hub's
// own pure pipeline (transformPayload: scrub, adapt, validate) and the lake's storability check.
// Transaction ids are deterministic from source + sourceKey, so they are what the hub will write
// whatever its keys; the route (curated or quarantine) is a prediction for a hub whose defaults are a
// New York store in USD (POS_HUB_DEFAULT_TIMEZONE, POS_HUB_DEFAULT_CURRENCY): other store masters and
// defaults can add or settle findings. `storeHint` is the store a sender names beside the body (an Event
// Hubs event's `storeId` property), which the hub uses for payloads that name no store.
import { CURATED_TABLE_NAMES, CURATED_TABLES } from '../../shared/lake/curatedTables';
import { unstorableCells } from '../../shared/lake/toParquetBuffer';
import type { CanonicalTransaction, SourceName } from '../../shared/model';
import { transformPayload } from '../../shared/pipeline/transformPayload';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { adapterFor } from '../../shared/sources/registry';
import type { SourceContext } from '../../shared/sources/types';

export interface ExpectedTransaction {
  id: string;
  source: SourceName;
  sourceKey: string;
  kind: CanonicalTransaction['kind'];
  channel: CanonicalTransaction['channel'];
  storeId: string | null;
  route: 'curated' | 'quarantine';
  tenders: number;
  originalSourceKey: string | null;
  /** Customer references under the simulator's own key: equal refs = the same person here. */
  customer: CanonicalTransaction['customer'];
  /** Codes of the error findings that predict quarantine. */
  errors: string[];
}

export interface Expectation {
  transactions: ExpectedTransaction[];
  /** Card numbers the hub will mask in this body. */
  cardNumbersMasked: number;
  readable: boolean;
}

// Any fixed key: only equality of references within one run matters.
const pseudonymize = createPseudonymizer('pos-hub-simulator-reference-key-0001', 'US');

export function expectTransactions(
  source: SourceName,
  text: string,
  headers: Record<string, string>,
  now: number,
  storeHint?: string,
): Expectation {
  const adapter = adapterFor(source);
  if (!adapter) throw new Error(`no adapter for ${source}`);
  const ctx: SourceContext = {
    timeZone: 'America/New_York',
    currency: 'USD',
    country: 'US',
    headers,
    pseudonymize,
    ...(storeHint !== undefined ? { storeId: storeHint } : {}),
  };
  const result = transformPayload(adapter, text, ctx, now);
  const masked = result.findings.find((f) => f.code === 'privacy.card_number_masked');
  return {
    readable: result.readable,
    cardNumbersMasked: masked ? Number(/^(\d+)/.exec(masked.message)?.[1] ?? 0) : 0,
    transactions: result.transactions.map((tx) => {
      const errors = tx.findings.filter((f) => f.severity === 'error').map((f) => f.code);
      // The lake's own last check: a value Parquet's DECIMAL(18,4) cannot hold exactly is quarantined.
      if (
        errors.length === 0 &&
        CURATED_TABLE_NAMES.some(
          (t) => unstorableCells(CURATED_TABLES[t], CURATED_TABLES[t].rowsOf(tx, 'expected')).length > 0,
        )
      ) {
        errors.push('lake.unstorable_value');
      }
      return {
        id: tx.id,
        source,
        sourceKey: tx.sourceKey,
        kind: tx.kind,
        channel: tx.channel,
        storeId: tx.storeId,
        route: errors.length > 0 ? 'quarantine' : 'curated',
        tenders: tx.tenders.length,
        originalSourceKey: tx.originalRef?.sourceKey ?? null,
        customer: tx.customer,
        errors,
      };
    }),
  };
}
