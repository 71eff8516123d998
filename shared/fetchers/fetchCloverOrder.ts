// shared/fetchers/fetchCloverOrder.ts: Clover's GET /v3/merchants/{mId}/orders/{orderId}, expanded with
// every collection the clover adapter reads (shared/sources/clover.ts): without `expand` Clover
// answers with references only, and the order would arrive without lines, payments or customers.
import { getVendorObject, type VendorAnswer } from './getVendorObject';

export const CLOVER_ORDER_EXPAND = [
  'lineItems',
  'lineItems.discounts',
  'lineItems.modifications',
  'lineItems.taxRates',
  'payments',
  'payments.tender',
  'payments.cardTransaction',
  'refunds',
  'refunds.lineItems',
  'customers',
  'customers.emailAddresses',
  'customers.phoneNumbers',
  'discounts',
].join(',');

export interface CloverOrderRequest {
  baseUrl: string;
  token: string;
  merchantId: string;
  orderId: string;
  timeoutMs: number;
}

export function fetchCloverOrder(req: CloverOrderRequest): Promise<VendorAnswer> {
  const base = req.baseUrl.replace(/\/+$/, '');
  return getVendorObject({
    url: `${base}/v3/merchants/${encodeURIComponent(req.merchantId)}/orders/${encodeURIComponent(req.orderId)}?expand=${CLOVER_ORDER_EXPAND}`,
    token: req.token,
    timeoutMs: req.timeoutMs,
  });
}
