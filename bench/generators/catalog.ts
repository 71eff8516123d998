// bench/generators/catalog.ts: the products, stores and people that generated traffic is made of.
import type { Rng } from '../rng';

export interface Product {
  sku: string;
  gtin: string;
  description: string;
  /** Price in cents, tax excluded. */
  cents: number;
  weighed: boolean;
}

export const PRODUCTS: Product[] = [
  { sku: 'COF-1KG', gtin: '00012345678905', description: 'Coffee beans 1kg', cents: 1899, weighed: false },
  { sku: 'MLK-1L', gtin: '00012345678912', description: 'Whole milk 1L', cents: 129, weighed: false },
  { sku: 'BAN-KG', gtin: '00012345678929', description: 'Bananas (per kg)', cents: 199, weighed: true },
  { sku: 'APL-KG', gtin: '00012345678936', description: 'Apples Gala (per kg)', cents: 349, weighed: true },
  { sku: 'TSH-M-BLK', gtin: '00012345678943', description: 'T-shirt black M', cents: 1500, weighed: false },
  { sku: 'JNS-32', gtin: '00012345678950', description: 'Jeans slim 32', cents: 5999, weighed: false },
  { sku: 'HDP-BT', gtin: '00012345678967', description: 'Bluetooth headphones', cents: 8900, weighed: false },
  { sku: 'CHS-KG', gtin: '00012345678974', description: 'Cheddar (per kg)', cents: 1450, weighed: true },
  { sku: 'BRD-SD', gtin: '00012345678981', description: 'Sourdough loaf', cents: 450, weighed: false },
  { sku: 'WIN-RED', gtin: '00012345678998', description: 'Red wine 75cl', cents: 1299, weighed: false },
];

export const STORES = ['S001', 'S002', 'S003', 'S004', 'S005', 'S006', 'S007', 'S008'];
export const FIRST_NAMES = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Giulia', 'Hiro'];
export const LAST_NAMES = ['Silva', 'Okafor', 'Martin', 'Ivanov', 'Nakamura', 'Haddad', 'Rossi', 'Smith'];

export interface BasketLine {
  product: Product;
  /** Quantity as decimal text: whole units, or kilograms with three decimals for weighed items. */
  quantity: string;
  /** Quantity in thousandths, for exact arithmetic. */
  milli: number;
  /** Line amount in cents, rounded half up, tax excluded. */
  cents: number;
}

export function basket(rng: Rng, maxLines = 5): BasketLine[] {
  const n = rng.int(1, maxLines);
  const lines: BasketLine[] = [];
  for (let k = 0; k < n; k++) {
    const product = rng.pick(PRODUCTS);
    const milli = product.weighed ? rng.int(150, 2500) : rng.int(1, 3) * 1000;
    const quantity = product.weighed ? (milli / 1000).toFixed(3) : String(milli / 1000);
    lines.push({ product, quantity, milli, cents: Math.round((product.cents * milli) / 1000) });
  }
  return lines;
}

export function customer(rng: Rng, i: number): { first: string; last: string; email: string; phone: string; loyalty: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const n = i % 5000;
  return {
    first,
    last,
    email: `${first}.${last}.${n}@example.com`.toLowerCase(),
    phone: `+1415555${String(n % 10000).padStart(4, '0')}`,
    loyalty: `LOY${String(100000 + n)}`,
  };
}

/** Cents as a decimal string in major units. */
export function major(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An instant in November 2026, spread over the month. */
export function instant(rng: Rng, i: number): Date {
  return new Date(Date.UTC(2026, 10, 1 + (i % 28), 13 + rng.int(0, 8), rng.int(0, 59), rng.int(0, 59), rng.int(0, 999)));
}
