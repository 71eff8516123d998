// bench/generators/lightspeed-r.ts: Lightspeed R-Series `Sale` answers, `{ "@attributes", Sale }` as
// GET Account/{id}/Sale/{saleID}.json returns them with load_relations (SaleLines with their Item,
// SalePayments with their PaymentType, Customer with Contact, Shop). Every number is a JSON string;
// line figures are unrounded, the sale's totals rounded; a one-element relation is an object.
import type { Rng } from '../rng';
import { major } from './catalog';
import { sale, type Sale, type SaleLine } from './sale';

/** R-Series writes numbers as strings, without trailing zeros ("12.5", "0.864646875"). */
const num = (value: number) => String(Number(value.toFixed(9)));
/** A relation: one record as an object, several as an array. */
const relation = <T>(items: T[]): T | T[] => (items.length === 1 ? items[0]! : items);

const RATE = 0.08875;

function saleLine(l: SaleLine, s: Sale, k: number, sign: number) {
  const quantity = (sign * l.milli) / 1000;
  const subtotal = (l.unitCents * l.milli) / 100_000;
  const lineDiscount = l.discountCents / 100;
  const txDiscount = l.basketShareCents / 100;
  const taxable = subtotal - lineDiscount - txDiscount;
  const id = 100_000 + s.i * 10 + k;
  return {
    saleLineID: String(id),
    createTime: s.at.toISOString().slice(0, 19) + '+00:00',
    timeStamp: s.at.toISOString().slice(0, 19) + '+00:00',
    unitQuantity: num(quantity),
    unitPrice: major(l.unitCents),
    normalUnitPrice: '0',
    discountAmount: '0',
    discountPercent: l.discountCents ? '0.1' : '0',
    avgCost: major(Math.round(l.unitCents * 0.45)),
    tax: 'true',
    tax1Rate: String(RATE),
    tax2Rate: '0',
    isLayaway: 'false',
    isWorkorder: 'false',
    isSpecialOrder: 'false',
    displayableSubtotal: num(sign * subtotal),
    displayableUnitPrice: major(l.unitCents),
    calcLineDiscount: num(sign * lineDiscount),
    calcTransactionDiscount: num(sign * txDiscount),
    calcTotal: num(sign * (taxable + taxable * RATE)),
    calcSubtotal: num(sign * subtotal),
    calcTax1: num(sign * taxable * RATE),
    calcTax2: '0',
    taxClassID: '1',
    customerID: s.customer ? s.customer.id.slice(1) : '0',
    discountID: l.discountCents ? '3' : '0',
    employeeID: String(s.operatorNo),
    itemID: String(l.product.cents),
    // A returned line names the line it returns, never the sale.
    parentSaleLineID: sign < 0 ? String(id - 4_000) : '0',
    saleID: String(50_000 + s.i),
    Item: {
      itemID: String(l.product.cents),
      systemSku: `2100000${String(l.product.cents).padStart(5, '0')}`,
      defaultCost: major(Math.round(l.unitCents * 0.45)),
      tax: 'true',
      archived: 'false',
      discountable: 'true',
      customSku: l.product.sku,
      manufacturerSku: '',
      upc: l.product.gtin.slice(2),
      ean: '',
      description: l.product.description,
      itemType: 'default',
      serialized: 'false',
    },
  };
}

const PAYMENT_TYPES = {
  card: { paymentTypeID: '4', name: 'Credit Card', type: 'credit card' },
  cash: { paymentTypeID: '1', name: 'Cash', type: 'cash' },
  gift_card: { paymentTypeID: '5', name: 'Gift Card', type: 'gift card' },
  mobile: { paymentTypeID: '7', name: 'Apple Pay', type: 'ch_custom' },
} as const;

function saleOf(s: Sale) {
  const sign = s.kind === 'return' ? -1 : 1;
  const time = s.at.toISOString().slice(0, 19) + '+00:00';
  const c = s.customer;
  const lines = s.lines.map((l, k) => saleLine(l, s, k, sign));
  const subtotal = s.lines.reduce((a, l) => a + (l.unitCents * l.milli) / 100_000, 0);
  return {
    saleID: String(50_000 + s.i),
    timeStamp: time,
    discountPercent: '0',
    completed: 'true',
    archived: 'false',
    voided: 'false',
    enablePromotions: 'true',
    isTaxInclusive: 'false',
    createTime: new Date(s.at.getTime() - 120_000).toISOString().slice(0, 19) + '+00:00',
    updateTime: time,
    completeTime: time,
    referenceNumber: '',
    tax1Rate: String(RATE),
    tax2Rate: '0',
    change: '0',
    ticketNumber: `2200000${50_000 + s.i}`,
    calcDiscount: major(sign * (s.basketDiscountCents + s.lines.reduce((a, l) => a + l.discountCents, 0))),
    calcTotal: major(sign * s.totalCents),
    calcSubtotal: num(sign * subtotal),
    calcTaxable: major(sign * (s.merchandiseCents - s.basketDiscountCents)),
    calcNonTaxable: '0',
    calcTax1: major(sign * s.taxCents),
    calcTax2: '0',
    calcPayments: major(sign * s.totalCents),
    total: major(sign * s.totalCents),
    totalDue: major(sign * s.totalCents),
    balance: '0',
    customerID: c ? c.id.slice(1) : '0',
    discountID: s.basketDiscountCents ? '9' : '0',
    employeeID: String(s.operatorNo),
    quoteID: '0',
    registerID: String(s.registerNo),
    shipToID: '0',
    shopID: s.storeId,
    taxCategoryID: '1',
    ...(c
      ? {
          Customer: {
            customerID: c.id.slice(1),
            firstName: c.first,
            lastName: c.last,
            archived: 'false',
            contactID: c.id.slice(1),
            Contact: {
              contactID: c.id.slice(1),
              noEmail: c.email ? 'false' : 'true',
              noPhone: c.phone ? 'false' : 'true',
              Addresses: '',
              Phones: c.phone ? { ContactPhone: { number: c.phone, useType: 'Mobile' } } : '',
              Emails: c.email ? { ContactEmail: { address: c.email, useType: 'Primary' } } : '',
              Websites: '',
            },
          },
        }
      : {}),
    Shop: { shopID: s.storeId, name: `Store ${s.storeId}`, timeZone: 'America/New_York', archived: 'false' },
    SaleLines: { SaleLine: relation(lines) },
    SalePayments: {
      SalePayment: relation(
        s.tenders.map((t, k) => ({
          salePaymentID: String(70_000 + s.i * 10 + k),
          amount: major(sign * t.cents),
          tipAmount: '0',
          createTime: time,
          archived: 'false',
          paymentTypeID: PAYMENT_TYPES[t.method].paymentTypeID,
          PaymentType: { ...PAYMENT_TYPES[t.method], refundAsPaymentTypeID: '0' },
          ...(t.method === 'card' ? { CCCharge: { ccChargeID: String(9000 + s.i), xnum: `XXXX-XXXX-XXXX-${t.last4}`, cardType: t.brand } } : {}),
        })),
      ),
    },
  };
}

export function generateLightspeedR(rng: Rng, i: number): string {
  return JSON.stringify({ '@attributes': { count: '1' }, Sale: saleOf(sale(rng, i)) });
}
