// bench/generators/toast.ts: Toast Orders API `Order` objects (orders API 2.x) from a counter-service
// café-deli: one or two checks per order (a table splitting the bill), selections with line discounts,
// check-level discounts, tax per selection, payments with tips, guests with loyalty ids. Major units
// as JSON numbers, dates with `+0000` offsets, `businessDate` as an integer yyyymmdd. The restaurant
// is not in the body: Toast names it in the Toast-Restaurant-External-ID header.
import type { Rng } from '../rng';
import { businessDay, sale, type Sale } from './sale';

function guid(rng: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng.next() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
}

const toastDate = (at: Date) => at.toISOString().replace('Z', '+0000');
const amount = (cents: number) => cents / 100;
const PAYMENT_TYPES = { card: 'CREDIT', cash: 'CASH', gift_card: 'GIFTCARD', mobile: 'CREDIT' } as const;
const CARD_TYPES: Record<string, string> = { Visa: 'VISA', Mastercard: 'MASTERCARD', Amex: 'AMEX', Discover: 'DISCOVER' };

function check(rng: Rng, s: Sale, orderGuid: string, server: string, device: string, n: number) {
  const checkGuid = guid(rng);
  const selections = s.lines.map((l, k) => ({
    guid: guid(rng),
    entityType: 'MenuItemSelection',
    item: { guid: guid(rng), entityType: 'MenuItem' },
    itemGroup: { guid: 'c0d1e2f3-a4b5-4c6d-8e7f-8091a2b3c4d5', entityType: 'MenuGroup' },
    displayName: l.product.description,
    plu: l.product.sku,
    quantity: l.milli / 1000,
    unitOfMeasure: l.product.weighed ? 'KG' : 'NONE',
    seatNumber: n,
    receiptLinePrice: amount(l.unitCents),
    preDiscountPrice: amount(l.grossCents),
    // `price` is after every discount, the check's share included.
    price: amount(l.netCents - l.basketShareCents),
    tax: amount(l.taxCents),
    taxInclusion: 'NOT_INCLUDED',
    voided: false,
    appliedDiscounts: l.discountCents
      ? [{ guid: guid(rng), entityType: 'AppliedDiscount', name: '10% off', discountAmount: amount(l.discountCents), nonTaxDiscountAmount: amount(l.discountCents), discount: { guid: 'd15c0000-0000-4000-8000-0000000000aa', entityType: 'Discount' } }]
      : [],
    modifiers: [],
    fulfillmentStatus: 'READY',
    displayNumber: String(k + 1),
  }));
  const payments = s.tenders.map((t) => {
    const tip = t.method === 'card' && rng.bool(0.4) ? 25 * rng.int(4, 40) : 0;
    return {
      guid: guid(rng),
      entityType: 'OrderPayment',
      type: PAYMENT_TYPES[t.method],
      amount: amount(t.cents),
      tipAmount: amount(tip),
      amountTendered: amount(t.tenderedCents ?? t.cents),
      ...(t.method === 'card' || t.method === 'mobile'
        ? { cardEntryMode: t.method === 'mobile' ? 'CONTACTLESS' : 'EMV_CHIP_SIGN', cardType: CARD_TYPES[t.brand ?? 'Visa'], last4Digits: t.last4 ?? '0000', paymentStatus: 'CAPTURED' }
        : {}),
      refundStatus: 'NONE',
      refund: null,
      paidDate: toastDate(s.at),
      paidBusinessDate: Number(businessDay(s.at).replace(/-/g, '')),
      orderGuid,
      checkGuid,
    };
  });
  const c = s.customer;
  return {
    guid: checkGuid,
    entityType: 'Check',
    displayNumber: String(s.sequence % 1000),
    openedDate: toastDate(new Date(s.at.getTime() - 30 * 60_000)),
    paidDate: toastDate(s.at),
    closedDate: toastDate(s.at),
    deleted: false,
    voided: false,
    taxExempt: false,
    paymentStatus: 'CLOSED',
    createdDevice: { id: device },
    openedBy: { guid: server, entityType: 'RestaurantUser' },
    customer: c ? { guid: guid(rng), entityType: 'Customer', firstName: c.first, lastName: c.last, email: c.email ?? null, phone: c.phone ?? null } : null,
    appliedLoyaltyInfo: c?.loyalty ? { guid: guid(rng), entityType: 'AppliedLoyaltyInfo', loyaltyIdentifier: c.loyalty, vendor: 'TOAST' } : null,
    amount: amount(s.merchandiseCents - s.basketDiscountCents),
    taxAmount: amount(s.taxCents),
    totalAmount: amount(s.totalCents),
    appliedDiscounts: s.basketDiscountCents
      ? [{ guid: guid(rng), entityType: 'AppliedDiscount', name: `${s.discountCode} check discount`, discountAmount: amount(s.basketDiscountCents), nonTaxDiscountAmount: amount(s.basketDiscountCents), appliedPromoCode: s.discountCode, discount: { guid: 'd15c0000-0000-4000-8000-0000000000bb', entityType: 'Discount' } }]
      : [],
    appliedServiceCharges: [],
    selections,
    payments,
  };
}

export function generateToast(rng: Rng, i: number): string {
  // A table splits the bill one time in four: two checks, two guests' baskets.
  const checks = rng.bool(0.25) ? 2 : 1;
  const sales = Array.from({ length: checks }, (_, k) => sale(rng, i * 2 + k, { returnRate: 0, maxLines: 4 }));
  const first = sales[0]!;
  const orderGuid = guid(rng);
  const server = guid(rng);
  const device = `toast-${first.storeId}-${first.registerNo}`;
  const at = first.at;
  return JSON.stringify({
    guid: orderGuid,
    entityType: 'Order',
    externalId: null,
    displayNumber: String(first.sequence % 1000),
    source: rng.pick(['In Store', 'In Store', 'Kiosk', 'Online', 'Toast Pickup App']),
    businessDate: Number(businessDay(first.at).replace(/-/g, '')),
    diningOption: { guid: 'e2f3a4b5-c6d7-4e8f-9a0b-1c2d3e4f5a6b', entityType: 'DiningOption' },
    revenueCenter: { guid: 'f3a4b5c6-d7e8-4f9a-8b1c-2d3e4f5a6b7c', entityType: 'RevenueCenter' },
    server: { guid: server, entityType: 'RestaurantUser' },
    createdDevice: { id: device },
    numberOfGuests: checks,
    openedDate: toastDate(new Date(first.at.getTime() - 30 * 60_000)),
    createdDate: toastDate(new Date(first.at.getTime() - 30 * 60_000)),
    modifiedDate: toastDate(at),
    paidDate: toastDate(at),
    closedDate: toastDate(at),
    deletedDate: null,
    deleted: false,
    voided: false,
    approvalStatus: 'APPROVED',
    // Checks of one order share its time and day: the second guest's basket is dated like the first.
    checks: sales.map((s, k) => check(rng, { ...s, at: k === 0 ? s.at : first.at }, orderGuid, server, device, k + 1)),
  });
}
