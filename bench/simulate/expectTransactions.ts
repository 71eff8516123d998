// bench/simulate/expectTransactions.ts: what the hub should make of a payload, worked out with the hub's
// own pure pipeline (transformPayload: scrub, adapt, validate). Transaction ids are deterministic from
// source + sourceKey, so they are what the hub will write whatever its keys; the route (curated or
// quarantine) is a prediction with a New York store master, since the deployment's store master and
// defaults can add or settle findings.
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

export function expectTransactions(source: SourceName, text: string, headers: Record<string, string>, now: number): Expectation {
  const adapter = adapterFor(source);
  if (!adapter) throw new Error(`no adapter for ${source}`);
  const ctx: SourceContext = { timeZone: 'America/New_York', currency: 'USD', country: 'US', headers, pseudonymize };
  const result = transformPayload(adapter, text, ctx, now);
  const masked = result.findings.find((f) => f.code === 'privacy.card_number_masked');
  return {
    readable: result.readable,
    cardNumbersMasked: masked ? Number(/^(\d+)/.exec(masked.message)?.[1] ?? 0) : 0,
    transactions: result.transactions.map((tx) => {
      const errors = tx.findings.filter((f) => f.severity === 'error').map((f) => f.code);
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
