// bench/generators/canonical.ts: canonical JSON transactions (schemaVersion 1), as another hub sends them.
import { transactionId } from '../../shared/model';
import type { Rng } from '../rng';
import { basket, instant, major, STORES } from './catalog';

export function generateCanonical(rng: Rng, i: number): string {
  const lines = basket(rng).map((l, k) => {
    const tax = Math.round(l.cents * 0.08);
    return {
      lineNo: k + 1,
      sku: l.product.sku,
      gtin: l.product.gtin,
      description: l.product.description,
      quantity: l.quantity,
      unitPrice: major(l.product.cents),
      amount: major(l.cents),
      discount: '0',
      tax: major(tax),
    };
  });
  const net = lines.reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0);
  const tax = lines.reduce((s, l) => s + Math.round(Number(l.tax) * 100), 0);
  const at = instant(rng, i);
  const store = rng.pick(STORES);
  const sourceKey = `${store}/R${rng.int(1, 4)}/${at.toISOString().slice(0, 10)}/${i}`;
  return JSON.stringify({
    schemaVersion: 1,
    id: transactionId('canonical', sourceKey),
    source: 'canonical',
    sourceKey,
    kind: 'sale',
    channel: 'store',
    storeId: store,
    registerId: sourceKey.split('/')[1],
    operatorId: `OP${rng.int(1, 20)}`,
    // Stores trade in New York time; 13:00-21:59 UTC is the same calendar day there.
    businessDate: at.toISOString().slice(0, 10),
    occurredAt: at.toISOString(),
    currency: 'USD',
    total: major(net + tax),
    taxTotal: major(tax),
    discountTotal: '0',
    discounts: [],
    lines,
    tenders: [{ method: 'card', amount: major(net + tax), cardBrand: 'visa', last4: String(1000 + (i % 9000)) }],
    customer: null,
    originalRef: null,
    findings: [],
  });
}
