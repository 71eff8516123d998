// bench/simulate/trafficMix.ts: which POS systems a simulated retailer runs and how they reach the hub.
// In-store registers and terminals upload through the ingest API; Shopify and Square push signed
// webhooks, as they do in production. Shares are of payloads, roughly a mid-size omnichannel retailer.
import type { SourceName } from '../../shared/model';

export type WebhookVendor = 'shopify' | 'square';

export interface SourceMix {
  source: SourceName;
  /** Share of the traffic's payloads. */
  weight: number;
  /** The vendor endpoint the source pushes to, when it is a webhook source. */
  webhook?: WebhookVendor;
  /** What the source is in the retailer's estate, for the report. */
  role: string;
}

export const SOURCE_MIX: readonly SourceMix[] = [
  { source: 'poslog', weight: 0.2, role: 'store registers (NRF-ARTS POSLog uploads)' },
  { source: 'csv', weight: 0.07, role: 'legacy register exports (CSV)' },
  { source: 'lightspeed-x', weight: 0.08, role: 'boutique registers (Lightspeed X-Series)' },
  { source: 'lightspeed-r', weight: 0.07, role: 'boutique registers (Lightspeed R-Series)' },
  { source: 'clover', weight: 0.1, role: 'pop-up counters (Clover)' },
  { source: 'toast', weight: 0.1, role: 'in-store cafés (Toast)' },
  { source: 'adyen', weight: 0.1, role: 'payment terminals (Adyen Terminal API)' },
  {
    source: 'shopify',
    weight: 0.16,
    webhook: 'shopify',
    role: 'web shop and Shopify POS (orders/create, refunds/create webhooks)',
  },
  { source: 'square', weight: 0.12, webhook: 'square', role: 'market stalls (Square webhooks)' },
];

export function pickSource(roll: number): SourceMix {
  const total = SOURCE_MIX.reduce((s, m) => s + m.weight, 0);
  let acc = 0;
  for (const m of SOURCE_MIX) {
    acc += m.weight / total;
    if (roll < acc) return m;
  }
  return SOURCE_MIX[SOURCE_MIX.length - 1]!;
}

/** Media type of a source's bodies (what its POS sends). */
export function contentTypeOf(source: SourceName): string {
  if (source === 'poslog') return 'application/xml';
  if (source === 'csv') return 'text/csv';
  return 'application/json';
}
