// shared/sources/lightspeed-x.ts: Lightspeed Retail X-Series (formerly Vend) register sales to canonical
// transactions. Reads the API 2.0 `sales` object (`line_items`, `payments`, optionally wrapped in
// `{ data }`) and the older register-sale shape that `sale.update` webhooks carry
// (`register_sale_products`, `register_sale_payments`).
//
// Vendor rules this file relies on (x-series-api.lightspeedhq.com):
// - Line `price` is the unit price EXCLUDING tax and AFTER the line discount; `discount` is the unit
//   discount; `tax` is the unit tax. Prices carry up to 5 decimals (e.g. 8.69565 + 1.30435 GST = 10.00),
//   so nothing is rounded here: `total = total_price + total_tax` exactly as the register stored it.
// - API 2.0 lines also carry the register's own line figures `price_total`, `tax_total` and
//   `discount_total` (signed like the quantity, 5 decimals); they are used as given. The older shape has
//   only unit figures: quantity x unit value is then rounded half-up to the register's 5 decimals, as the
//   register does (a weighed 1.25 lb at a unit tax of 1.41911 is 1.77389, not 1.7738875, which no
//   curated DECIMAL(18,6) column could hold).
// - "All dates and times in the API are in UTC" (docs/dates_and_times): a `sale_date` written without an
//   offset ("2016-05-05 23:35:34") is a UTC instant, not local time. The store's zone (ctx.timeZone) only
//   decides the business date.
// - Returns are sales with negative quantities; `return_for` holds the original sale's id.
// - Webhooks are POSTed as application/x-www-form-urlencoded with a `payload` field holding the JSON
//   (see lightspeedXPayloadFromForm) and an `X-Signature: signature=<hex>,algorithm=HMAC-SHA256` header,
//   the HMAC-SHA256 of the raw body keyed with the app's client secret (see verifyLightspeedXSignature).
//
// Finding codes (stable):
//   source.lightspeed-x.not_closed      warning  parked/saved sale (SAVED, state parked/pending): no transaction yet
//   source.lightspeed-x.open_balance    warning  ONACCOUNT / LAYBY: goods sold, balance not fully paid
//   source.lightspeed-x.unknown_status  warning  status outside the documented list; treated as a sale
//   source.lightspeed-x.outlet_missing  warning  no outlet_id and no configured store id
//   source.lightspeed-x.line_voided     warning  a line with status VOIDED was left out
//   source.lightspeed-x.webhook_payload error    a webhook form body without a readable `payload` field
//   source.lightspeed-x.totals_missing  error    neither `total_price`/`total_tax` nor `totals` present
//
// `total` is total_price + total_tax rounded half-up to the currency's minor unit (what the register
// charged); `taxTotal` and line amounts keep the register's 5 decimals.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { boundedMemo } from '../model/boundedMemo';
import type { Discount, Finding, Line, Tender } from '../model';
import { isDecimal, minorUnits } from '../model/money';
import {
  buildTransaction,
  convertWrapped,
  customerRefs,
  finding,
  guardAdapter,
  resolveCurrency,
  resolveTime,
} from './common';
import { forStore } from './forStore';
import { parseAsFast } from './fast/parseAsFast';
import { parseJson } from './json';
import { amountText, lineFigures, saleTotals } from './lightspeed-x/lineFigures';
import { amountTextFast, lineFiguresFast, saleTotalsFast } from './lightspeed-x/lineFiguresFast';
import { tenderMethod } from './lightspeed-x/tenderMethod';
import { matchesAnySecret } from './signature';
import type { AdapterResult, ParseResult, SourceAdapter, SourceContext } from './types';

const SOURCE = 'lightspeed-x' as const;

/** Vend sends amounts as JSON numbers (API 2.0) or decimal strings (newer versions). */
const Amount = z.union([z.number().finite(), z.string().refine((s) => isDecimal(s), 'decimal number')]);
const Id = z.union([z.string(), z.number()]).transform(String);

// Line statuses repeat ("CONFIRMED" on nearly every line): each is upper-cased once, not per line.
const voidedStatus = boundedMemo<boolean>(64);
function isVoidedLine(status: string | null | undefined): boolean {
  if (status === null || status === undefined) return false;
  return voidedStatus.get(status) ?? voidedStatus.set(status, status.toUpperCase() === 'VOIDED');
}

export const LightspeedXLineItem = z.object({
  id: Id.nullish(),
  product_id: z.string().nullish(),
  sku: z.string().nullish(),
  name: z.string().nullish(),
  quantity: Amount,
  price: Amount,
  discount: Amount.nullish(),
  tax: Amount.nullish(),
  price_total: Amount.nullish(),
  tax_total: Amount.nullish(),
  discount_total: Amount.nullish(),
  status: z.string().nullish(),
});
export type LightspeedXLineItem = z.infer<typeof LightspeedXLineItem>;

export const LightspeedXPayment = z.object({
  id: Id.nullish(),
  name: z.string().nullish(),
  label: z.string().nullish(),
  payment_type_id: Id.nullish(),
  retailer_payment_type_id: z.string().nullish(),
  amount: Amount,
  payment_date: z.string().nullish(),
  deleted_at: z.string().nullish(),
});

export const LightspeedXSale = z.object({
  id: z.string().min(1),
  outlet_id: z.string().nullish(),
  register_id: z.string().nullish(),
  user_id: z.string().nullish(),
  customer_id: z.string().nullish(),
  customer: z
    .object({
      id: z.string().nullish(),
      customer_code: z.string().nullish(),
      email: z.string().nullish(),
      phone: z.string().nullish(),
      mobile: z.string().nullish(),
    })
    .nullish(),
  invoice_number: Id.nullish(),
  status: z.string().min(1),
  state: z.string().nullish(),
  return_for: z.string().nullish(),
  sale_date: z.string().min(1),
  total_price: Amount.nullish(),
  total_tax: Amount.nullish(),
  totals: z.object({ total_price: Amount.nullish(), total_tax: Amount.nullish() }).nullish(),
  line_items: z.array(LightspeedXLineItem).nullish(),
  register_sale_products: z.array(LightspeedXLineItem).nullish(),
  payments: z.array(LightspeedXPayment).nullish(),
  register_sale_payments: z.array(LightspeedXPayment).nullish(),
});
export type LightspeedXSale = z.infer<typeof LightspeedXSale>;

/** Statuses Lightspeed documents for register sales; anything else is reported, then read as a sale. */
const CLOSED_STATUSES = new Set([
  'CLOSED',
  'ONACCOUNT_CLOSED',
  'LAYBY_CLOSED',
  'AWAITING_DISPATCH',
  'AWAITING_PICKUP',
  'DISPATCHED_CLOSED',
  'PICKED_UP_CLOSED',
]);
const OPEN_BALANCE_STATUSES = new Set(['ONACCOUNT', 'LAYBY']);
const NOT_CLOSED_STATUSES = new Set(['SAVED', 'OPEN']);

// Compiled once, not per sale.
const ENDS_WITH_OFFSET = /(Z|z|[+-]\d{2}(:?\d{2})?)$/;

function hasOffset(text: string): boolean {
  return ENDS_WITH_OFFSET.test(text.trim());
}

function saleToCanonical(sale: LightspeedXSale, payloadCtx: SourceContext, base: string): AdapterResult {
  const findings: Finding[] = [];
  // The outlet's configured zone (its business dates; times are UTC) and currency.
  const ctx = forStore(payloadCtx, sale.outlet_id ?? payloadCtx.storeId);
  const status = sale.status.toUpperCase();
  const state = (sale.state ?? '').toLowerCase();
  if (NOT_CLOSED_STATUSES.has(status) || state === 'parked' || state === 'pending') {
    return {
      transactions: [],
      findings: [
        finding(
          'source.lightspeed-x.not_closed',
          'warning',
          `${base}/status`,
          `sale ${sale.id} is ${status}${state ? `/${state}` : ''}: not a completed transaction yet`,
        ),
      ],
    };
  }
  const voided = status === 'VOIDED' || state === 'voided';
  if (OPEN_BALANCE_STATUSES.has(status)) {
    findings.push(
      finding(
        'source.lightspeed-x.open_balance',
        'warning',
        `${base}/status`,
        `${status} sale: balance may be unpaid`,
      ),
    );
  } else if (!voided && !CLOSED_STATUSES.has(status)) {
    findings.push(
      finding(
        'source.lightspeed-x.unknown_status',
        'warning',
        `${base}/status`,
        `undocumented status ${status}`,
      ),
    );
  }

  const currency = resolveCurrency(null, ctx, `${base}`, findings);
  const saleDate = sale.sale_date.trim();
  const time = resolveTime(
    hasOffset(saleDate) ? saleDate : `${saleDate}Z`,
    ctx,
    `${base}/sale_date`,
    findings,
  );

  const totalPriceRaw = sale.total_price ?? sale.totals?.total_price;
  const totalTaxRaw = sale.total_tax ?? sale.totals?.total_tax;
  if (
    totalPriceRaw === undefined ||
    totalPriceRaw === null ||
    totalTaxRaw === undefined ||
    totalTaxRaw === null
  ) {
    return {
      transactions: [],
      findings: [
        ...findings,
        finding(
          'source.lightspeed-x.totals_missing',
          'error',
          `${base}/total_price`,
          'sale has no total_price/total_tax',
        ),
      ],
    };
  }
  // Money in integer units of the register's 5 decimals where exact, else on big.js (lineFiguresFast.ts).
  const digits = minorUnits(currency);
  const totals =
    saleTotalsFast(totalPriceRaw, totalTaxRaw, digits) ?? saleTotals(totalPriceRaw, totalTaxRaw, currency);

  const lines: Line[] = [];
  const discounts: Discount[] = [];
  const items = sale.line_items ?? sale.register_sale_products ?? [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (isVoidedLine(item.status)) {
      const lineKey = sale.line_items ? 'line_items' : 'register_sale_products';
      findings.push(finding('source.lightspeed-x.line_voided', 'warning', `${base}/${lineKey}/${i}`, 'voided line left out'));
      continue;
    }
    const figures = lineFiguresFast(item, digits) ?? lineFigures(item, currency);
    const lineNo = i + 1;
    lines.push({
      lineNo,
      sku: item.sku ?? item.product_id ?? '',
      description: item.name ?? '',
      quantity: figures.quantity,
      unitPrice: figures.unitPrice,
      amount: figures.amount,
      discount: figures.discount,
      tax: figures.tax,
    });
    if (figures.hasDiscount) discounts.push({ amount: figures.discount, lineNo });
  }

  const tenders: Tender[] = [];
  for (const p of sale.payments ?? sale.register_sale_payments ?? []) {
    if (p.deleted_at) continue;
    tenders.push({
      method: tenderMethod(p.name ?? p.label ?? ''),
      amount: amountTextFast(p.amount, digits) ?? amountText(p.amount, currency),
    });
  }

  const storeId = sale.outlet_id ?? ctx.storeId ?? null;
  if (!storeId) {
    findings.push(
      finding(
        'source.lightspeed-x.outlet_missing',
        'warning',
        `${base}/outlet_id`,
        'no outlet id in payload or configuration',
      ),
    );
  }
  // Vend's default "walk-in" customer stands for "no customer" and must not become a person.
  const walkIn = (sale.customer?.customer_code ?? '').toUpperCase() === 'WALKIN';
  const customer = walkIn
    ? null
    : customerRefs(ctx, SOURCE, {
        id: sale.customer_id ?? sale.customer?.id ?? undefined,
        email: sale.customer?.email || undefined,
        phone: sale.customer?.mobile || sale.customer?.phone || undefined,
      });

  const kind = voided ? 'void' : totals.negative || sale.return_for ? 'return' : 'sale';
  const tx = buildTransaction({
    source: SOURCE,
    sourceKey: sale.id,
    kind,
    channel: 'store',
    storeId,
    registerId: sale.register_id ?? null,
    operatorId: sale.user_id ?? null,
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: totals.total,
    taxTotal: totals.taxTotal,
    discounts,
    lines,
    tenders,
    customer,
    originalRef: sale.return_for ? { sourceKey: sale.return_for } : null,
    findings,
  });
  return { transactions: [tx], findings: [] };
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  // GET /api/2.0/sales/{id} answers { data: sale }; the list endpoint { data: [sales] }.
  return convertWrapped(payload, 'data', (sale, path) => one(sale, ctx, path));
}

function one(raw: unknown, ctx: SourceContext, base: string): AdapterResult {
  return parseAsFast(LightspeedXSale, raw, base, (sale) => saleToCanonical(sale, ctx, base));
}

/** One X-Series payload (sale, `{ data: sale }` or `{ data: [sales] }`) to canonical; never throws. */
export const toCanonical = guardAdapter(SOURCE, convert);

/**
 * The JSON of an X-Series webhook. Lightspeed POSTs `application/x-www-form-urlencoded` UTF-8 bodies
 * whose `payload` field holds the JSON-encoded object (other fields such as `domain_prefix` or
 * `environment` may appear and are ignored). Verify the signature on the raw body first, then call this.
 */
export function lightspeedXPayloadFromForm(rawBody: Buffer | string): ParseResult {
  const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const payload = new URLSearchParams(text).get('payload');
  if (payload === null || payload.trim() === '') {
    return {
      ok: false,
      finding: finding(
        'source.lightspeed-x.webhook_payload',
        'error',
        '/payload',
        'form body has no `payload` field',
      ),
    };
  }
  return parseJson(payload);
}

const SIGNATURE_RE = /^[0-9a-f]{64}$/i;

/**
 * Checks `X-Signature: signature=<hex HMAC-SHA256 of the raw body>,algorithm=HMAC-SHA256` against each
 * secret in turn (several during a client-secret rotation). Constant-time per comparison.
 */
export function verifyLightspeedXSignature(
  rawBody: Buffer | string,
  header: string | undefined,
  secrets: readonly string[],
): boolean {
  if (!header) return false;
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const signature = fields.get('signature') ?? '';
  if ((fields.get('algorithm') ?? '').toUpperCase() !== 'HMAC-SHA256' || !SIGNATURE_RE.test(signature))
    return false;
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const expected = (secret: string) => createHmac('sha256', secret).update(body).digest();
  return matchesAnySecret(expected, Buffer.from(signature, 'hex'), secrets);
}

export const lightspeedXAdapter: SourceAdapter = {
  name: SOURCE,
  parse: parseJson,
  toCanonical,
};
