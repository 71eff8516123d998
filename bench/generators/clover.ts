// bench/generators/clover.ts: Clover orders as GET /v3/merchants/{mId}/orders/{id}?expand=lineItems,
// lineItems.discounts,lineItems.taxRates,payments,payments.tender,payments.cardTransaction,refunds,
// refunds.lineItems,customers,discounts answers them: money in cents, tax rates in 1/100,000 of a
// percent, epoch-millisecond times (often as strings), a line item per unit sold (weighed items once,
// with unitQty in thousandths), percentage discounts, tips and tax on the payments, refunds on the order.
// Clover's own arithmetic (percentages and tax rounded half up per line) decides the totals here, so
// the payload agrees with itself the way the register's does.
import type { Rng } from '../rng';
import { sale, type Sale } from './sale';

const RATE = 887_500; // 8.875 % in 1/100,000 of a percent
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function cloverId(rng: Rng): string {
  let s = '';
  for (let k = 0; k < 13; k++) s += ALPHABET[Math.floor(rng.next() * ALPHABET.length)];
  // Clover ids are never all digits; a letter first also keeps them clear of card-number look-alikes.
  return 'ABCDEFGHJKMNPQRSTVWXYZ'[Math.floor(rng.next() * 22)] + s.slice(1);
}

const roundHalfUp = (x: number) => Math.floor(x + 0.5 + 1e-9);
const MERCHANTS = ['SJ925KWR8K6S2', 'TQ4M7WB2X9C1D', 'H8P3R6Y1N4K7E', 'V2C5T8Z1Q4W7A', 'M6N9B2V5C8X1F', 'K3J6H9G2F5D8S', 'W7E1R4T7Y0U3G', 'Z9X2C5V8B1N4H'];

interface CloverLine {
  json: Record<string, unknown>;
  /** Line amount after its discount, in (possibly fractional) cents. */
  amount: number;
  tax: number;
}

function lineItems(rng: Rng, s: Sale, orderId: string): CloverLine[] {
  const out: CloverLine[] = [];
  const created = s.at.getTime() - 60_000;
  for (const l of s.lines) {
    const weighed = l.product.weighed;
    // Clover repeats a line item per unit; a weighed item is one line priced per unit of weight.
    const units = weighed ? 1 : l.milli / 1000;
    for (let u = 0; u < units; u++) {
      const gross = weighed ? (l.unitCents * l.milli) / 1000 : l.unitCents;
      const discount = l.discountCents ? roundHalfUp(gross / 10) : 0;
      const amount = gross - discount;
      out.push({
        amount,
        tax: roundHalfUp((amount * RATE) / 10_000_000),
        json: {
          id: cloverId(rng),
          orderRef: { id: orderId },
          item: { id: cloverId(rng) },
          name: l.product.description,
          price: l.unitCents,
          ...(weighed ? { unitQty: l.milli, unitName: 'kg' } : {}),
          itemCode: l.product.gtin.slice(2),
          alternateName: l.product.sku,
          printed: true,
          createdTime: created,
          orderClientCreatedTime: created,
          exchanged: false,
          refunded: false,
          isRevenue: true,
          ...(discount ? { discounts: { elements: [{ id: cloverId(rng), name: '10% off', percentage: 10 }] } } : {}),
          taxRates: { elements: [{ id: 'TX1NYC887500', name: 'NY Sales Tax', rate: RATE, isDefault: true }] },
        },
      });
    }
  }
  return out;
}

const TENDERS = {
  card: { labelKey: 'com.clover.tender.credit_card', label: 'Credit Card' },
  cash: { labelKey: 'com.clover.tender.cash', label: 'Cash' },
  gift_card: { labelKey: 'com.clover.tender.external_gift_card', label: 'Gift Card' },
  mobile: { labelKey: 'com.clover.tender.external_payment', label: 'Apple Pay' },
} as const;

function orderOf(rng: Rng, s: Sale) {
  const orderId = cloverId(rng);
  const merchant = MERCHANTS[s.storeId.charCodeAt(3) % MERCHANTS.length]!;
  const employee = cloverId(rng);
  const lines = lineItems(rng, s, orderId);
  const subtotal = lines.reduce((a, l) => a + l.amount, 0);
  const orderDiscount = s.basketDiscountCents;
  // With an order-wide discount the register taxes the discounted subtotal as a whole.
  const tax = orderDiscount ? roundHalfUp(((subtotal - orderDiscount) * RATE) / 10_000_000) : lines.reduce((a, l) => a + l.tax, 0);
  const total = roundHalfUp(subtotal - orderDiscount) + tax;
  // The sale's split is kept; the last tender absorbs Clover's own rounding.
  const tenders = s.kind === 'return' ? [{ ...s.tenders[0]!, cents: total }] : s.tenders;
  let paid = 0;
  let taxLeft = tax;
  const payments = tenders.map((t, k) => {
    const last = k === tenders.length - 1;
    const amount = last ? total - paid : Math.min(t.cents, total - paid - 1);
    paid += amount;
    const taxAmount = last ? taxLeft : Math.floor((tax * amount) / total);
    taxLeft -= taxAmount;
    const tip = t.method === 'card' && rng.bool(0.2) ? 50 * rng.int(2, 10) : 0;
    return {
      id: cloverId(rng),
      order: { id: orderId },
      device: { id: `5c3f8a1b-7e2d-4f60-9a4b-2d1e0c9b8a${String(s.registerNo).padStart(2, '0')}` },
      tender: { id: cloverId(rng), ...TENDERS[t.method] },
      amount,
      tipAmount: tip,
      taxAmount,
      cashbackAmount: 0,
      ...(t.method === 'cash' && t.tenderedCents ? { cashTendered: t.tenderedCents + (amount - t.cents) } : {}),
      employee: { id: employee },
      createdTime: s.at.getTime(),
      clientCreatedTime: s.at.getTime(),
      result: 'SUCCESS',
      ...(t.method === 'card'
        ? { cardTransaction: { cardType: (t.brand ?? 'Visa').toUpperCase(), entryType: 'EMV_CONTACT', last4: t.last4, type: 'AUTH', state: 'CLOSED', authCode: String(100_000 + s.i % 900_000) } }
        : {}),
    };
  });
  // A return is booked at Clover as a refund of the first line on the (earlier) order.
  const refunded = s.kind === 'return' && !orderDiscount ? lines[0] : undefined;
  const refunds = refunded
    ? [
        {
          id: cloverId(rng),
          orderRef: { id: orderId },
          device: { id: payments[0]!.device.id },
          amount: roundHalfUp(refunded.amount) + refunded.tax,
          taxAmount: refunded.tax,
          tipAmount: 0,
          createdTime: s.at.getTime() + 3_600_000,
          clientCreatedTime: s.at.getTime() + 3_600_000,
          payment: { id: payments[0]!.id },
          employee: { id: employee },
          lineItems: { elements: [{ id: refunded.json.id }] },
        },
      ]
    : [];
  const c = s.customer;
  const time = String(s.at.getTime() - 60_000);
  return {
    href: `https://api.clover.com/v3/merchants/${merchant}/orders/${orderId}`,
    id: orderId,
    currency: s.currency,
    employee: { id: employee },
    total,
    paymentState: 'PAID',
    taxRemoved: false,
    isVat: false,
    state: 'locked',
    manualTransaction: false,
    groupLineItems: false,
    testMode: false,
    payType: payments.length > 1 ? 'SPLIT_CUSTOM' : 'FULL',
    createdTime: time,
    clientCreatedTime: time,
    modifiedTime: String(s.at.getTime()),
    device: payments[0]!.device,
    ...(c
      ? {
          customers: {
            elements: [
              {
                id: cloverId(rng),
                firstName: c.first,
                lastName: c.last,
                ...(c.email ? { emailAddresses: { elements: [{ id: cloverId(rng), emailAddress: c.email }] } } : {}),
                ...(c.phone ? { phoneNumbers: { elements: [{ id: cloverId(rng), phoneNumber: c.phone }] } } : {}),
              },
            ],
          },
        }
      : {}),
    lineItems: { elements: lines.map((l) => l.json) },
    ...(orderDiscount ? { discounts: { elements: [{ id: cloverId(rng), name: s.discountCode, amount: -orderDiscount }] } } : {}),
    payments: { elements: payments },
    ...(refunds.length ? { refunds: { elements: refunds } } : {}),
  };
}

export function generateClover(rng: Rng, i: number): string {
  return JSON.stringify(orderOf(rng, sale(rng, i)));
}
