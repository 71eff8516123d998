// bench/generators/sale.ts: one vendor-neutral sale (or return), worked out in whole cents, that every
// format generator renders in its vendor's words. Doing the arithmetic once, here, is what keeps the
// generated payloads internally consistent: lines, discounts, tax, total and tenders always agree.
import type { Rng } from '../rng';
import { basket, customer, instant, STORES, type Product } from './catalog';

export interface SaleLine {
  product: Product;
  /** Quantity as decimal text, always positive (a return's sign is the sale's `kind`). */
  quantity: string;
  /** Quantity in thousandths. */
  milli: number;
  /** Unit price in cents, as the shelf shows it (tax excluded, or included when `taxIncluded`). */
  unitCents: number;
  /** Quantity x unit price rounded half up: what the till charged before discounts. */
  grossCents: number;
  /** This line's own discount (what the customer saved on it). */
  discountCents: number;
  /** grossCents - discountCents. */
  netCents: number;
  /** This line's share of the basket discount, for vendors that allocate it to lines. */
  basketShareCents: number;
  /** Tax on this line after its discounts and its basket share. */
  taxCents: number;
}

export type TenderKind = 'card' | 'cash' | 'gift_card' | 'mobile';

export interface SaleTender {
  method: TenderKind;
  /** What the tender paid, net of change (positive; a return pays it back). */
  cents: number;
  /** Cash handed over, when more than `cents` (change was given). */
  tenderedCents?: number;
  brand?: 'Visa' | 'Mastercard' | 'Amex' | 'Discover';
  last4?: string;
}

export interface SaleCustomer {
  id: string;
  first: string;
  last: string;
  email?: string;
  phone?: string;
  loyalty?: string;
}

export interface Sale {
  i: number;
  kind: 'sale' | 'return';
  at: Date;
  storeId: string;
  registerNo: number;
  operatorNo: number;
  /** Per-store receipt sequence, unique per generated payload index. */
  sequence: number;
  currency: string;
  /** Tax rate in basis points of a percent: 8875 = 8.875 %. */
  taxRateMilli: number;
  /** Shelf prices include tax (VAT); the total then does not add tax on top. */
  taxIncluded: boolean;
  lines: SaleLine[];
  /** Transaction-level discount, not inside the lines' netCents. */
  basketDiscountCents: number;
  discountCode?: string;
  /** Sum of the lines' netCents. */
  merchandiseCents: number;
  taxCents: number;
  /** merchandise - basket discount (+ tax unless included): what the customer paid (or got back). */
  totalCents: number;
  tenders: SaleTender[];
  customer: SaleCustomer | null;
  /** For returns: the sequence number of the original sale. */
  originalSequence?: number;
}

export interface SaleOptions {
  /** Vendors without decimal quantities (Shopify) sell weighed goods in whole packs. */
  wholeQuantities?: boolean;
  /** Probability of a return instead of a sale. */
  returnRate?: number;
  /** Probability of a transaction-level discount. */
  basketDiscountRate?: number;
  taxIncluded?: boolean;
  maxLines?: number;
}

const NYC_SALES_TAX = 8875; // 8.875 %, in thousandths of a percent
const BRANDS = ['Visa', 'Mastercard', 'Amex', 'Discover'] as const;

/** Tax in cents on a net amount, rounded half up as tills do. */
function taxOn(cents: number, rateMilli: number, included: boolean): number {
  // Included tax is the part of the price that is tax: price * r / (1 + r).
  return included
    ? Math.round((cents * rateMilli) / (100_000 + rateMilli))
    : Math.round((cents * rateMilli) / 100_000);
}

/** Spreads `cents` over `weights` proportionally; the last share takes the rounding remainder. */
function allocate(cents: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let left = cents;
  return weights.map((w, k) => {
    if (k === weights.length - 1) return left;
    const share = total === 0 ? 0 : Math.floor((cents * w) / total);
    left -= share;
    return share;
  });
}

function cashTendered(cents: number, rng: Rng): number {
  // People hand over the next note up: 5, 10, 20 or 50 dollars.
  const note = rng.pick([500, 1000, 2000, 5000]);
  return Math.ceil(cents / note) * note;
}

function tendersFor(rng: Rng, total: number, isReturn: boolean): SaleTender[] {
  const card = (cents: number): SaleTender => ({
    method: 'card',
    cents,
    brand: rng.pick(BRANDS),
    last4: String(rng.int(0, 9999)).padStart(4, '0'),
  });
  if (total === 0) return [];
  if (isReturn) return [rng.bool(0.7) ? card(total) : { method: 'cash', cents: total }];
  const roll = rng.next();
  if (roll < 0.2 && total > 500) {
    // Split tender: part on a gift card or in cash, the rest on a card.
    const first = rng.int(1, Math.floor((total - 1) / 100)) * 100;
    const part: SaleTender = rng.bool() ? { method: 'gift_card', cents: first } : { method: 'cash', cents: first };
    return [part, card(total - first)];
  }
  if (roll < 0.45) {
    const tendered = cashTendered(total, rng);
    return [{ method: 'cash', cents: total, ...(tendered > total ? { tenderedCents: tendered } : {}) }];
  }
  if (roll < 0.55) return [{ method: 'mobile', cents: total }];
  return [card(total)];
}

/** A consistent sale or return; every amount in whole cents. */
export function sale(rng: Rng, i: number, options: SaleOptions = {}): Sale {
  const kind = rng.bool(options.returnRate ?? 0.1) ? 'return' : 'sale';
  const taxIncluded = options.taxIncluded ?? false;
  const rate = NYC_SALES_TAX;
  const raw = basket(rng, kind === 'return' ? 2 : (options.maxLines ?? 5));
  const lines: SaleLine[] = raw.map((b) => {
    const milli = options.wholeQuantities && b.product.weighed ? 1000 : b.milli;
    const quantity = options.wholeQuantities && b.product.weighed ? '1' : b.quantity;
    const grossCents = Math.round((b.product.cents * milli) / 1000);
    // One line in six is on promotion: 10 % off, at least a cent.
    const discountCents = kind === 'sale' && rng.bool(1 / 6) ? Math.max(1, Math.round(grossCents / 10)) : 0;
    return {
      product: b.product,
      quantity,
      milli,
      unitCents: b.product.cents,
      grossCents,
      discountCents,
      netCents: grossCents - discountCents,
      basketShareCents: 0,
      taxCents: 0,
    };
  });
  const merchandiseCents = lines.reduce((s, l) => s + l.netCents, 0);
  let basketDiscountCents = 0;
  let discountCode: string | undefined;
  if (kind === 'sale' && merchandiseCents >= 2000 && rng.bool(options.basketDiscountRate ?? 0.15)) {
    basketDiscountCents = rng.pick([200, 500]);
    discountCode = basketDiscountCents === 200 ? 'TAKE2' : 'SAVE5';
  }
  const shares = allocate(basketDiscountCents, lines.map((l) => l.netCents));
  lines.forEach((l, k) => {
    l.basketShareCents = shares[k]!;
    l.taxCents = taxOn(l.netCents - l.basketShareCents, rate, taxIncluded);
  });
  const taxCents = lines.reduce((s, l) => s + l.taxCents, 0);
  const totalCents = merchandiseCents - basketDiscountCents + (taxIncluded ? 0 : taxCents);
  const at = instant(rng, i);
  const c = rng.bool(0.4) ? customer(rng, i) : null;
  const withEmail = rng.bool(0.7);
  const withPhone = rng.bool(0.5);
  const withLoyalty = rng.bool(0.5);
  return {
    i,
    kind,
    at,
    storeId: rng.pick(STORES),
    registerNo: rng.int(1, 6),
    operatorNo: rng.int(101, 140),
    sequence: 10_000 + i,
    currency: 'USD',
    taxRateMilli: rate,
    taxIncluded,
    lines,
    basketDiscountCents,
    ...(discountCode ? { discountCode } : {}),
    merchandiseCents,
    taxCents,
    totalCents,
    tenders: tendersFor(rng, totalCents, kind === 'return'),
    customer: c && {
      id: `C${100_000 + (i % 50_000)}`,
      first: c.first,
      last: c.last,
      ...(withEmail ? { email: c.email } : {}),
      ...(withPhone ? { phone: c.phone } : {}),
      ...(withLoyalty ? { loyalty: c.loyalty } : {}),
    },
    ...(kind === 'return' ? { originalSequence: 10_000 + Math.max(0, i - rng.int(1, 500)) } : {}),
  };
}

/** The instant as the store's wall clock with its offset (stores trade in New York, EST in November). */
export function localIso(at: Date, withMillis = false): string {
  const local = new Date(at.getTime() - 5 * 3_600_000).toISOString();
  return (withMillis ? local.slice(0, 23) : local.slice(0, 19)) + '-05:00';
}

/** The store's business day (its local calendar date). */
export function businessDay(at: Date): string {
  return localIso(at).slice(0, 10);
}

/** Escapes text for XML element content and attribute values. */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
