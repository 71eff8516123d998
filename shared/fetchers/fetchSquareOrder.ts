// shared/fetchers/fetchSquareOrder.ts: Square's RetrieveOrder, GET /v2/orders/{order_id}. The answer is
// `{ "order": { ... } }`, which the square adapter reads as it is (shared/sources/square.ts accepts
// `{ order }`), so the body goes to acceptBatch unchanged.
import { getVendorObject, type VendorAnswer } from './getVendorObject';

/**
 * The API version the requests ask for. Square answers in the shape of the version asked, whatever
 * the application's default is, so the adapter always sees the fields it was written against.
 */
export const SQUARE_VERSION = '2025-10-16';

export interface SquareOrderRequest {
  baseUrl: string;
  token: string;
  orderId: string;
  timeoutMs: number;
}

export function fetchSquareOrder(req: SquareOrderRequest): Promise<VendorAnswer> {
  return getVendorObject({
    url: `${req.baseUrl.replace(/\/+$/, '')}/v2/orders/${encodeURIComponent(req.orderId)}`,
    token: req.token,
    headers: { 'square-version': SQUARE_VERSION },
    timeoutMs: req.timeoutMs,
  });
}
