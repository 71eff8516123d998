// bench/generators/poslog.ts: NRF-ARTS POSLog documents as a store's POS uploads them: a few
// transactions per document, in either namespace in real use (v6 with BusinessUnit, the older
// IXRetail one with RetailStoreID), sometimes with a sign-on ControlTransaction among the sales.
import type { Rng } from '../rng';
import { major } from './catalog';
import { businessDay, localIso, sale, xmlText, type Sale, type SaleTender } from './sale';

const V6 = 'http://www.nrf-arts.org/IXRetail/v6.0.0/poslog';
const IXRETAIL = 'http://www.nrf-arts.org/IXRetail/namespace/';

function header(s: Sale, v6: boolean, withId: boolean): string {
  const store = v6
    ? `<BusinessUnit><UnitID Name="Store ${s.storeId}" TypeCode="RetailStore">${s.storeId}</UnitID></BusinessUnit>` +
      `<BusinessUnit><UnitID TypeCode="Country">US</UnitID></BusinessUnit>`
    : `<RetailStoreID>${s.storeId}</RetailStoreID>`;
  const begin = new Date(s.at.getTime() - 60_000 * (1 + s.lines.length));
  return (
    store +
    `<WorkstationID TypeCode="POS">${s.registerNo}</WorkstationID>` +
    `<SequenceNumber>${s.sequence}</SequenceNumber>` +
    // Older registers send no TransactionID: the key is then store/workstation/day/sequence.
    (withId ? `<TransactionID>${transactionIdOf(s.storeId, s.registerNo, businessDay(s.at), s.sequence)}</TransactionID>` : '') +
    `<OperatorID OperatorName="Op ${s.operatorNo}">${s.operatorNo}</OperatorID>` +
    `<CurrencyCode>${s.currency}</CurrencyCode>` +
    `<BusinessDayDate>${businessDay(s.at)}</BusinessDayDate>` +
    `<BeginDateTime>${localIso(begin)}</BeginDateTime>` +
    `<EndDateTime>${localIso(s.at, true)}</EndDateTime>`
  );
}

function transactionIdOf(store: string, register: number, day: string, sequence: number): string {
  return `${store}-${register}-${day.replace(/-/g, '')}-${sequence}`;
}

function lineItem(s: Sale, k: number): string {
  const l = s.lines[k]!;
  const element = s.kind === 'return' ? 'Return' : 'Sale';
  const discount = l.discountCents
    ? `<RetailPriceModifier MethodCode="Promotion"><SequenceNumber>1</SequenceNumber>` +
      `<Amount Action="Subtract">${major(l.discountCents)}</Amount><PromotionID>PROMO-10</PromotionID>` +
      `<Description>10% off</Description></RetailPriceModifier>`
    : '';
  const link =
    s.kind === 'return' && s.originalSequence !== undefined
      ? `<TransactionLink ReasonCode="Return"><RetailStoreID>${s.storeId}</RetailStoreID>` +
        `<WorkstationID>${s.registerNo}</WorkstationID><SequenceNumber>${s.originalSequence}</SequenceNumber>` +
        `<TransactionID>${transactionIdOf(s.storeId, s.registerNo, businessDay(s.at), s.originalSequence)}</TransactionID></TransactionLink>`
      : '';
  return (
    `<LineItem EntryMethod="${l.product.weighed ? 'Scale' : 'Scanned'}"><SequenceNumber>${k + 1}</SequenceNumber>` +
    `<${element} ItemType="Stock" TaxableFlag="true">` +
    `<ItemID>${xmlText(l.product.sku)}</ItemID>` +
    `<POSIdentity POSIDType="GTIN"><POSItemID>${l.product.gtin}</POSItemID></POSIdentity>` +
    `<Description>${xmlText(l.product.description)}</Description>` +
    `<RegularSalesUnitPrice>${major(l.unitCents)}</RegularSalesUnitPrice>` +
    `<ExtendedAmount>${major(l.grossCents)}</ExtendedAmount>` +
    (l.discountCents ? `<ExtendedDiscountAmount>${major(l.discountCents)}</ExtendedDiscountAmount>` : '') +
    `<Quantity UnitOfMeasureCode="${l.product.weighed ? 'KGM' : 'EA'}">${l.quantity}</Quantity>` +
    discount +
    `<Tax TaxType="Sales" TypeCode="Sale"><TaxAuthority>NY</TaxAuthority>` +
    `<TaxableAmount TaxIncludedInTaxableAmountFlag="false">${major(l.netCents - l.basketShareCents)}</TaxableAmount>` +
    `<Amount>${major(l.taxCents)}</Amount><Percent>8.875</Percent></Tax>` +
    `<TaxIncludedInPriceFlag>false</TaxIncludedInPriceFlag>` +
    link +
    `</${element}></LineItem>`
  );
}

function tender(t: SaleTender, s: Sale, seq: number): string {
  const typeCode = s.kind === 'return' ? 'Refund' : 'Sale';
  const open = `<LineItem><SequenceNumber>${seq}</SequenceNumber>`;
  if (t.method === 'card') {
    return (
      open +
      `<Tender TenderType="CreditDebit" TypeCode="${typeCode}"><Amount Currency="${s.currency}">${major(t.cents)}</Amount>` +
      `<CreditDebit CardType="Credit"><CardBrand>${t.brand}</CardBrand>` +
      `<PrimaryAccountNumber>************${t.last4}</PrimaryAccountNumber></CreditDebit>` +
      `<Authorization HostAuthorized="true"><AuthorizationCode>A${seq}${s.sequence % 1000}</AuthorizationCode></Authorization>` +
      `</Tender></LineItem>`
    );
  }
  const type = t.method === 'cash' ? 'Cash' : t.method === 'gift_card' ? 'GiftCard' : 'MobilePay';
  // Cash handed over is the tender; the change given back is a TenderChange inside it.
  const tendered = t.tenderedCents ?? t.cents;
  const change = tendered > t.cents ? `<TenderChange><Amount Currency="${s.currency}">${major(tendered - t.cents)}</Amount></TenderChange>` : '';
  return open + `<Tender TenderType="${type}" TypeCode="${typeCode}"><Amount Currency="${s.currency}">${major(tendered)}</Amount>${change}</Tender></LineItem>`;
}

function retailTransaction(s: Sale): string {
  const sign = s.kind === 'return' ? '-' : '';
  let seq = s.lines.length;
  const items = s.lines.map((_, k) => lineItem(s, k));
  if (s.basketDiscountCents) {
    items.push(
      `<LineItem><SequenceNumber>${++seq}</SequenceNumber><Discount TypeCode="Coupon"><Amount>${major(s.basketDiscountCents)}</Amount>` +
        `<PromotionID>${s.discountCode}</PromotionID></Discount></LineItem>`,
    );
  }
  // The transaction's tax summary repeats the lines' tax: the adapter must count it once.
  items.push(
    `<LineItem><SequenceNumber>${++seq}</SequenceNumber><Tax TaxType="Sales" TypeCode="Sale">` +
      `<TaxableAmount TaxIncludedInTaxableAmountFlag="false">${major(s.merchandiseCents - s.basketDiscountCents)}</TaxableAmount>` +
      `<Amount>${major(s.taxCents)}</Amount><Percent>8.875</Percent></Tax></LineItem>`,
  );
  for (const t of s.tenders) items.push(tender(t, s, ++seq));
  const c = s.customer;
  const customer = c
    ? `<Customer><CustomerID>${c.id}</CustomerID><Name><FirstName>${xmlText(c.first)}</FirstName><LastName>${xmlText(c.last)}</LastName></Name>` +
      (c.email ? `<EMail><EMailAddress>${xmlText(c.email)}</EMailAddress></EMail>` : '') +
      `</Customer>` +
      (c.loyalty ? `<LoyaltyAccount><LoyaltyAccountID>${c.loyalty}</LoyaltyAccountID></LoyaltyAccount>` : '')
    : '';
  return (
    `<RetailTransaction TransactionStatus="Finished">` +
    items.join('') +
    `<Total TotalType="TransactionNetAmount">${sign}${major(s.merchandiseCents - s.basketDiscountCents)}</Total>` +
    `<Total TotalType="TransactionTaxAmount">${sign}${major(s.taxCents)}</Total>` +
    `<Total TotalType="TransactionGrandAmount">${sign}${major(s.totalCents)}</Total>` +
    customer +
    `</RetailTransaction>`
  );
}

function signOn(s: Sale, v6: boolean): string {
  return (
    `<Transaction>${header({ ...s, sequence: s.sequence - 1 }, v6, false)}` +
    `<ControlTransaction><OperatorSignOn><OperatorID>${s.operatorNo}</OperatorID></OperatorSignOn></ControlTransaction></Transaction>`
  );
}

export function generatePoslog(rng: Rng, i: number): string {
  const v6 = rng.bool();
  const count = rng.int(2, 4);
  const parts: string[] = [];
  for (let k = 0; k < count; k++) {
    // Each transaction gets its own index so sequences (and so keys) never repeat across documents.
    const s = sale(rng, i * 4 + k);
    if (k === 0 && rng.bool(0.15)) parts.push(signOn(s, v6));
    const withId = rng.bool(0.8);
    parts.push(
      `<Transaction TrainingModeFlag="false" TypeCode="SaleTransaction">${header(s, v6, withId)}${retailTransaction(s)}</Transaction>`,
    );
  }
  const root = v6
    ? `<POSLog xmlns="${V6}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" MajorVersion="6" MinorVersion="0" FixVersion="0">`
    : `<POSLog xmlns="${IXRETAIL}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${parts.join('\n')}\n</POSLog>\n`;
}
