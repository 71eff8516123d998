// shared/sources/lightspeed-r.ts: Lightspeed Retail R-Series (formerly Merchant OS) `Sale` objects to
// canonical transactions, as GET Account/{id}/Sale(.json) answers them with
// `load_relations=["SaleLines","SaleLines.Item","SalePayments","SalePayments.PaymentType","Customer",
// "Customer.Contact","Shop"]`.
//
// Vendor rules this file relies on (developers.lightspeedhq.com/retail):
// - Every number is a JSON string ("calcTotal": "34.48", "unitQuantity": "-1"), booleans too ("true").
// - Relations appear only when asked for with load_relations; a one-element relation is an object, a
//   longer one an array (`SaleLines.SaleLine` may be either).
// - `Shop.timeZone` is the store's zone (legacy names such as "US/Eastern" occur) and wins over the
//   configured one. Timestamps normally carry an offset.
// - Line figures are unrounded (`calcTax2`: "0.9965025"); the sale's `calcTotal`/`taxTotal` are rounded.
//   Line taxes are therefore rounded to the currency's minor unit so that they add up to the sale's
//   tax (roundToTotal): the register's own unrounded arithmetic (9 decimals in the samples) is not a
//   figure any report wants, and no lake or Dataverse decimal column could hold it exactly.
//   `calcSubtotal` is before discounts; `calcLineDiscount` is the line's own discount,
//   `calcTransactionDiscount` its share of a sale-wide discount.
// - Refunds are sales with negative `unitQuantity`; each refunded line names the ORIGINAL LINE in
//   `parentSaleLineID`, never the original sale, so no originalRef can be given from the sale alone.
// - `customerID` "0" and `parentSaleLineID` "0" mean none.
//
// Finding codes (stable):
//   source.lightspeed-r.not_completed       warning  sale not completed (open/parked): no transaction yet
//   source.lightspeed-r.archived            warning  completed sale that was archived (deleted in the UI)
//   source.lightspeed-r.relations_missing   error    sale with a subtotal but no SaleLines: load_relations missing
//   source.lightspeed-r.return_link_by_line warning  a return line points at parentSaleLineID; original sale unknown
//   source.lightspeed-r.invalid_time_zone   warning  Shop.timeZone unknown to ICU; the configured zone is used
import { z } from 'zod';
import type { Discount, Finding, Line, Tender } from '../model';
import { dec, isDecimal } from '../model/money';
import { isValidTimeZone } from '../model/time';
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
import { moneyText, saleFigures } from './lightspeed-r/saleFigures';
import { moneyTextFast, saleFiguresFast } from './lightspeed-r/saleFiguresFast';
import { tenderMethod } from './lightspeed-r/tenderMethod';
import { parseAsFast } from './fast/parseAsFast';
import { parseJson } from './json';
import type { AdapterResult, SourceAdapter, SourceContext } from './types';

const SOURCE = 'lightspeed-r' as const;

const Num = z.union([z.number().finite(), z.string().refine((s) => isDecimal(s), 'decimal number')]);
const Bool = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');
const Id = z.union([z.string(), z.number()]).transform(String);
/** R-Series writes a single related record as an object and several as an array. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), item]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

export const LightspeedRSaleLine = z.object({
  saleLineID: Id,
  unitQuantity: Num,
  unitPrice: Num,
  calcLineDiscount: Num.nullish(),
  calcTransactionDiscount: Num.nullish(),
  calcTax1: Num.nullish(),
  calcTax2: Num.nullish(),
  tax: Bool.nullish(),
  itemID: Id.nullish(),
  parentSaleLineID: Id.nullish(),
  Item: z
    .object({
      itemID: Id.nullish(),
      systemSku: Id.nullish(),
      customSku: z.string().nullish(),
      upc: Id.nullish(),
      ean: Id.nullish(),
      description: z.string().nullish(),
    })
    .nullish(),
});

export const LightspeedRSalePayment = z.object({
  salePaymentID: Id,
  amount: Num,
  archived: Bool.nullish(),
  PaymentType: z.object({ name: z.string().nullish(), type: z.string().nullish() }).nullish(),
  CCCharge: z.object({ xnum: Id.nullish(), cardType: z.string().nullish() }).nullish(),
});

const Contact = z.object({
  Emails: z
    .object({ ContactEmail: oneOrMany(z.object({ address: z.string().nullish() })) })
    .nullish()
    .or(z.literal('')),
  Phones: z
    .object({ ContactPhone: oneOrMany(z.object({ number: z.string().nullish() })) })
    .nullish()
    .or(z.literal('')),
});

export const LightspeedRSale = z.object({
  saleID: Id,
  timeStamp: z.string().nullish(),
  completeTime: z.string().nullish(),
  createTime: z.string().nullish(),
  completed: Bool,
  voided: Bool.nullish(),
  archived: Bool.nullish(),
  isTaxInclusive: Bool.nullish(),
  calcSubtotal: Num.nullish(),
  calcTotal: Num.nullish(),
  total: Num.nullish(),
  calcTax1: Num.nullish(),
  calcTax2: Num.nullish(),
  taxTotal: Num.nullish(),
  customerID: Id.nullish(),
  employeeID: Id.nullish(),
  registerID: Id.nullish(),
  shopID: Id.nullish(),
  Shop: z.object({ timeZone: z.string().nullish() }).nullish(),
  Customer: z.object({ customerID: Id.nullish(), Contact: Contact.nullish() }).nullish(),
  SaleLines: z
    .object({ SaleLine: oneOrMany(LightspeedRSaleLine) })
    .nullish()
    .or(z.literal('')),
  SalePayments: z
    .object({ SalePayment: oneOrMany(LightspeedRSalePayment) })
    .nullish()
    .or(z.literal('')),
});
export type LightspeedRSale = z.infer<typeof LightspeedRSale>;

// Compiled once, not per payment or line.
const GTIN = /^\d{8,14}$/;
const NON_DIGITS = /\D/g;

const nonZeroId = (v: string | null | undefined) => (v && v !== '0' ? v : null);

function saleToCanonical(sale: LightspeedRSale, payloadCtx: SourceContext, base: string): AdapterResult {
  const findings: Finding[] = [];
  // The shop's configured zone, currency and country; the sale's own Shop.timeZone still wins below.
  const ctx = forStore(payloadCtx, nonZeroId(sale.shopID) ?? payloadCtx.storeId);
  if (!sale.completed && !sale.voided) {
    return {
      transactions: [],
      findings: [
        finding(
          'source.lightspeed-r.not_completed',
          'warning',
          `${base}/completed`,
          `sale ${sale.saleID} is not completed: not a transaction yet`,
        ),
      ],
    };
  }
  if (sale.archived) {
    findings.push(finding('source.lightspeed-r.archived', 'warning', `${base}/archived`, 'sale is archived'));
  }

  let zone = ctx.timeZone;
  const shopZone = sale.Shop?.timeZone?.trim();
  if (shopZone) {
    if (isValidTimeZone(shopZone)) zone = shopZone;
    else
      findings.push(
        finding(
          'source.lightspeed-r.invalid_time_zone',
          'warning',
          `${base}/Shop/timeZone`,
          `unknown zone ${shopZone}`,
        ),
      );
  }
  const timeField = sale.completeTime ? 'completeTime' : sale.timeStamp ? 'timeStamp' : 'createTime';
  // resolveTime reads only the zone from the context: a copy only where the shop's zone replaces it.
  const time = resolveTime(
    sale[timeField] ?? null,
    zone === ctx.timeZone ? ctx : { ...ctx, timeZone: zone },
    `${base}/${timeField}`,
    findings,
  );
  const currency = resolveCurrency(null, ctx, base, findings);

  const rawLines = sale.SaleLines ? sale.SaleLines.SaleLine : [];
  if (
    !sale.SaleLines &&
    sale.calcSubtotal !== undefined &&
    sale.calcSubtotal !== null &&
    !dec(sale.calcSubtotal).eq(0)
  ) {
    findings.push(
      finding(
        'source.lightspeed-r.relations_missing',
        'error',
        `${base}/SaleLines`,
        'sale has a subtotal but no SaleLines: fetch it with load_relations',
      ),
    );
  }
  // Integer arithmetic where every figure is a plain decimal within the safe integers, else big.js.
  const figures = saleFiguresFast(sale, rawLines, currency) ?? saleFigures(sale, rawLines, currency);
  const lines: Line[] = [];
  const discounts: Discount[] = [];
  const parentLines: string[] = [];
  for (let i = 0; i < rawLines.length; i++) {
    const l = rawLines[i]!;
    const f = figures.lines[i]!;
    const lineNo = i + 1;
    const item = l.Item;
    const gtin = item?.upc || item?.ean || '';
    const sku = item?.systemSku ?? item?.customSku ?? l.itemID ?? '';
    const description = item?.description ?? '';
    // Two literals rather than a conditional spread, which V8 builds property by property.
    lines.push(
      GTIN.test(gtin)
        ? { lineNo, sku, gtin, description, quantity: f.quantity, unitPrice: f.unitPrice, amount: f.amount, discount: f.discount, tax: f.tax }
        : { lineNo, sku, description, quantity: f.quantity, unitPrice: f.unitPrice, amount: f.amount, discount: f.discount, tax: f.tax },
    );
    if (f.hasDiscount) discounts.push({ amount: f.discount, lineNo });
    const parent = nonZeroId(l.parentSaleLineID);
    if (parent) parentLines.push(parent);
  }
  if (figures.transactionDiscount !== null) discounts.push({ amount: figures.transactionDiscount });

  const tenders: Tender[] = [];
  for (const p of sale.SalePayments ? sale.SalePayments.SalePayment : []) {
    if (p.archived) continue;
    const method = tenderMethod(p.PaymentType?.type ?? '', p.PaymentType?.name ?? '');
    const charge = p.CCCharge;
    const tender: Tender = { method, amount: moneyTextFast(p.amount, currency) ?? moneyText(p.amount, currency) };
    if (charge?.cardType) tender.cardBrand = charge.cardType;
    if (method === 'card') {
      // CCCharge.xnum is the masked card number; only its last four digits are kept.
      const digits = String(charge?.xnum ?? '').replace(NON_DIGITS, '');
      if (digits.length >= 4) tender.last4 = digits.slice(-4);
    }
    tenders.push(tender);
  }

  const kind = sale.voided ? 'void' : figures.totalNegative ? 'return' : 'sale';
  if (kind === 'return' && parentLines.length) {
    findings.push(
      finding(
        'source.lightspeed-r.return_link_by_line',
        'warning',
        `${base}/SaleLines`,
        `return refers to original sale lines ${parentLines.join(', ')}; the original sale is not named`,
      ),
    );
  }

  const contact = sale.Customer?.Contact;
  const emails = contact?.Emails ? contact.Emails.ContactEmail : [];
  const phones = contact?.Phones ? contact.Phones.ContactPhone : [];
  const customer = customerRefs(ctx, SOURCE, {
    id: nonZeroId(sale.customerID) ?? undefined,
    email: emails.find((e) => e.address)?.address ?? undefined,
    phone: phones.find((p) => p.number)?.number ?? undefined,
  });

  const tx = buildTransaction({
    source: SOURCE,
    sourceKey: sale.saleID,
    kind,
    channel: 'store',
    storeId: nonZeroId(sale.shopID) ?? ctx.storeId ?? null,
    registerId: nonZeroId(sale.registerID),
    operatorId: nonZeroId(sale.employeeID),
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: figures.total,
    taxTotal: figures.taxTotal,
    discounts,
    lines,
    tenders,
    customer,
    originalRef: null,
    findings,
  });
  return { transactions: [tx], findings: [] };
}

function one(raw: unknown, ctx: SourceContext, base: string): AdapterResult {
  return parseAsFast(LightspeedRSale, raw, base, (sale) => saleToCanonical(sale, ctx, base));
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  // The API answers { "@attributes": { count }, "Sale": sale | [sales] }; a bare sale is accepted too.
  return convertWrapped(payload, 'Sale', (sale, path) => one(sale, ctx, path));
}

/** One R-Series payload (`{ Sale }` response or a bare Sale) to canonical; never throws. */
export const toCanonical = guardAdapter(SOURCE, convert);

export const lightspeedRAdapter: SourceAdapter = {
  name: SOURCE,
  parse: parseJson,
  toCanonical,
};
