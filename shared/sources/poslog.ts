// shared/sources/poslog.ts: NRF-ARTS POSLog (IXRetail) XML to canonical transactions.
//
// Both namespaces in use are read the same way (`http://www.nrf-arts.org/IXRetail/namespace/` and
// `http://www.nrf-arts.org/IXRetail/v6.0.0/poslog`): parseXml removes namespace prefixes, so vendor
// extensions such as NCR's `acs:` elements arrive under their local names.
//
// What the adapter decides (the why is next to each rule below):
// - One POSLog holds many Transactions. Only RetailTransaction makes a canonical transaction;
//   ControlTransaction (sign-on, till open...) and TenderControlTransaction make none.
// - sourceKey: TransactionID when present, else `store/workstation/businessDayDate/sequence`.
// - Lines: Sale and Return LineItems. A Return (or a Sale with negative Quantity) is a return line.
//   VoidFlag/CancelFlag on a LineItem leaves it out with a warning.
// - Discounts: RetailPriceModifier inside a line (line-level, already in the line amount); Discount
//   LineItems and money-off LoyaltyRewards (transaction-level). Each counted once.
// - Tax: transaction-level Tax LineItems, else the TransactionTaxAmount Total, else the sum of the
//   lines' Tax; never the lines and the summary together.
// - Tenders: net of TenderChange (change given); TypeCode="Refund" is money back (negative).
// - Totals: the document's own TransactionGrandAmount is the total; disagreeing with the lines is an
//   error finding, never silently "fixed".
//
// Finding codes (stable):
//   source.poslog.line_voided            warning  a voided/cancelled LineItem was left out
//   source.poslog.transaction_unkeyed    error    neither TransactionID nor the composite key parts
//   source.poslog.total_mismatch         error    TransactionGrandAmount disagrees with lines, discounts, tax
//   source.poslog.tax_mismatch           error    transaction Tax lines disagree with TransactionTaxAmount
//   source.poslog.line_amount_mismatch   warning  ExtendedAmount disagrees with Quantity x unit price
//   source.poslog.price_missing          error    a line with neither unit price nor ExtendedAmount
//   source.poslog.item_id_missing        warning  a line with no ItemID / POSItemID
//   source.poslog.tax_inclusion_assumed  warning  tax stated but nothing says whether prices include it
//   source.poslog.card_number_present    warning  an unmasked card number was in the payload (only last4 kept)
//   source.poslog.loyalty_looks_like_card warning a loyalty number that is a payment card number was not kept
//   source.poslog.link_incomplete        warning  a TransactionLink without enough to build the key
//   source.poslog.change_without_tender  warning  TenderChange with no tender of its type to net it from
//   source.poslog.transaction_type_unknown warning a Transaction of none of the known kinds
//   payload.schema / payload.adapter_error   as everywhere (docs/canonical.md)
import Big from 'big.js';
import { z } from 'zod';
import type { CanonicalTransaction, Discount, Finding, Line, Tender, TenderMethod } from '../model';
import { minorUnits, roundingTolerance, sum, toMoneyString, ZERO } from '../model/money';
import {
  buildTransaction,
  customerRefs,
  finding,
  guardAdapter,
  rejected,
  resolveCurrency,
  resolveTime,
  schemaFindings,
} from './common';
import { forStore } from './forStore';
import {
  attrOf,
  decimalOf,
  DecimalElement,
  isPaymentCardNumber,
  isTrue,
  isUnmaskedPan,
  last4Of,
  many,
  textOf,
} from './poslog-common';
import type { AdapterResult, SourceAdapter, SourceContext } from './types';
import { parseXml } from './xml';

// ---------------------------------------------------------------------------------------------
// Raw schema: only what the adapter reads is checked; vendor extensions pass through.

const Link = z.looseObject({
  TransactionID: z.unknown().optional(),
  BusinessUnit: many(z.unknown()),
  RetailStoreID: z.unknown().optional(),
  WorkstationID: z.unknown().optional(),
  SequenceNumber: z.unknown().optional(),
  BusinessDayDate: z.unknown().optional(),
});

const PriceModifier = z.looseObject({
  Amount: DecimalElement,
  PromotionID: z.unknown().optional(),
  PriceDerivationRule: z.unknown().optional(),
  Description: z.unknown().optional(),
});

const Tax = z.looseObject({ Amount: DecimalElement, TaxableAmount: z.unknown().optional() });

const Item = z.looseObject({
  ItemID: z.unknown().optional(),
  POSIdentity: many(z.unknown()),
  Description: z.unknown().optional(),
  RegularSalesUnitPrice: DecimalElement,
  ActualSalesUnitPrice: DecimalElement,
  UnitListPrice: DecimalElement,
  ExtendedAmount: DecimalElement,
  ExtendedDiscountAmount: DecimalElement,
  DiscountAmount: DecimalElement,
  Quantity: DecimalElement,
  RetailPriceModifier: many(PriceModifier),
  Tax: many(Tax),
  TaxIncludedInPriceFlag: z.unknown().optional(),
  TransactionLink: many(Link),
  ReturnLink: many(Link),
});
type Item = z.infer<typeof Item>;

const TenderRaw = z.looseObject({
  Amount: z.unknown().refine((v) => decimalOf(v) !== undefined, { message: 'tender amount must be a decimal number' }),
  TenderChange: many(z.looseObject({ Amount: DecimalElement })),
  CreditDebit: z.unknown().optional(),
});

const LineItem = z.looseObject({
  SequenceNumber: z.unknown().optional(),
  Sale: Item.optional(),
  Return: Item.optional(),
  Tender: TenderRaw.optional(),
  TenderChange: z.looseObject({ Amount: DecimalElement }).optional(),
  Tax: many(Tax),
  Discount: z.looseObject({ Amount: DecimalElement }).optional(),
  LoyaltyReward: z
    .looseObject({ ExtendedRewardAmount: DecimalElement, Amount: DecimalElement, PromotionID: z.unknown().optional() })
    .optional(),
});
type LineItem = z.infer<typeof LineItem>;

const RetailTransaction = z.looseObject({
  LineItem: many(LineItem),
  Total: many(z.unknown()),
  TransactionLink: many(Link),
  Customer: z.unknown().optional(),
  LoyaltyAccount: many(z.unknown()),
});

/** One POSLog Transaction; checked one at a time so a bad one does not hide the others. */
export const PosLogTransaction = z.looseObject({
  TransactionID: z.unknown().optional(),
  BusinessUnit: many(z.unknown()),
  RetailStoreID: z.unknown().optional(),
  WorkstationID: z.unknown().optional(),
  SequenceNumber: z.unknown().optional(),
  BusinessDayDate: z.unknown().optional(),
  BeginDateTime: z.unknown().optional(),
  EndDateTime: z.unknown().optional(),
  CurrencyCode: z.unknown().optional(),
  OperatorID: z.unknown().optional(),
  RetailTransaction: RetailTransaction.optional(),
});
export type PosLogTransaction = z.infer<typeof PosLogTransaction>;

/** The document: a POSLog root with Transactions (a bare Transaction root is accepted too). */
export const PosLogDocument = z.union([
  z.object({ POSLog: z.looseObject({ Transaction: many(z.unknown()) }) }).loose(),
  z.object({ Transaction: z.looseObject({}) }).loose(),
]);

// ---------------------------------------------------------------------------------------------

interface Ctx {
  ctx: SourceContext;
  findings: Finding[];
  currency: string | null;
  digits: number;
}

const money = (v: Big, c: Ctx) => toMoneyString(v, c.currency);
const signOf = (negative: boolean) => (negative ? -1 : 1);

/** Store id: the BusinessUnit that is a store (v6 lists the country too), else the older RetailStoreID. */
function storeIdOf(node: { BusinessUnit: unknown[]; RetailStoreID?: unknown }): string | undefined {
  const units = node.BusinessUnit.map((u) => (u && typeof u === 'object' && 'UnitID' in u ? u.UnitID : u));
  const store =
    units.find((u) => /store/i.test(attrOf(u, 'TypeCode') ?? '')) ?? units.find((u) => !attrOf(u, 'TypeCode')) ?? units[0];
  return textOf(store) ?? textOf(node.RetailStoreID);
}

/** TransactionID when present, else the composite key; undefined when neither can be made. */
function keyOf(node: z.infer<typeof Link> | PosLogTransaction): string | undefined {
  const id = textOf(node.TransactionID);
  if (id) return id;
  const parts = [storeIdOf(node), textOf(node.WorkstationID), textOf(node.BusinessDayDate), textOf(node.SequenceNumber)];
  return parts.every((p) => p !== undefined) ? parts.join('/') : undefined;
}

function totalOf(totals: unknown[], type: string): Big | undefined {
  const node = totals.find((t) => attrOf(t, 'TotalType') === type);
  return node === undefined ? undefined : decimalOf(node);
}

interface LineResult {
  line: Line;
  discounts: Discount[];
  /** Rule ids of discounts applied to the whole basket and prorated into this line. */
  proratedRules: string[];
  taxIncluded: boolean | undefined;
  link: z.infer<typeof Link> | undefined;
}

function toLine(item: Item, isReturn: boolean, lineNo: number, path: string, c: Ctx): LineResult {
  const qtyRaw = decimalOf(item.Quantity) ?? new Big(1);
  const negative = isReturn || qtyRaw.lt(0);
  const quantity = qtyRaw.abs();
  const sku = textOf(item.ItemID) ?? item.POSIdentity.map((p) => textOf((p as { POSItemID?: unknown })?.POSItemID)).find(Boolean);
  if (!sku) c.findings.push(finding('source.poslog.item_id_missing', 'warning', path, 'line has no ItemID or POSItemID'));
  const gtinNode = item.POSIdentity.find((p) => /^(GTIN|EAN|UPC)/i.test(attrOf(p, 'POSIDType') ?? ''));
  const gtin = textOf((gtinNode as { POSItemID?: unknown } | undefined)?.POSItemID);

  const discounts: Discount[] = [];
  const proratedRules: string[] = [];
  for (const m of item.RetailPriceModifier) {
    const amount = decimalOf(m.Amount);
    // Action="Add" is a surcharge on the price, not something the customer saved.
    if (!amount || amount.eq(0) || attrOf(m.Amount, 'Action') === 'Add') continue;
    const rule = m.PriceDerivationRule as Record<string, unknown> | undefined;
    const ruleId = textOf(rule?.PriceDerivationRuleID);
    if (ruleId && attrOf(rule, 'ApplicationType') === 'Total') proratedRules.push(ruleId);
    const promotionId = textOf(m.PromotionID) ?? ruleId;
    const description = textOf(m.Description);
    discounts.push({
      amount: money(amount.abs(), c),
      lineNo,
      ...(promotionId ? { promotionId } : {}),
      ...(description ? { description } : {}),
    });
  }
  if (discounts.length === 0) {
    // Without modifiers the line's own discount is DiscountAmount; most vendors also (or only) put it
    // in ExtendedDiscountAmount.
    const d = decimalOf(item.DiscountAmount) ?? decimalOf(item.ExtendedDiscountAmount);
    if (d && !d.eq(0)) discounts.push({ amount: money(d.abs(), c), lineNo });
  }
  const discount = sum(discounts.map((d) => new Big(d.amount)));

  const extended = decimalOf(item.ExtendedAmount)?.abs();
  let unitPrice = (decimalOf(item.ActualSalesUnitPrice) ?? decimalOf(item.RegularSalesUnitPrice) ?? decimalOf(item.UnitListPrice))?.abs();
  if (!unitPrice && extended && !quantity.eq(0)) unitPrice = extended.div(quantity).round(c.digits + 2);
  if (!unitPrice) {
    c.findings.push(finding('source.poslog.price_missing', 'error', path, 'line has neither a unit price nor an ExtendedAmount'));
    unitPrice = ZERO;
  }
  // Weighed items: 0.42 kg at 2.99 is 1.2558, which the till rounds to the cent it charged.
  let gross = quantity.times(unitPrice).round(c.digits);
  const tol = roundingTolerance(c.currency);
  if (extended) {
    if (extended.minus(gross).abs().lte(tol)) gross = extended;
    else if (!extended.minus(gross.minus(discount)).abs().lte(tol)) {
      // Some POS write ExtendedAmount after the line discount; the rest disagree: keep the document's.
      c.findings.push(
        finding(
          'source.poslog.line_amount_mismatch',
          'warning',
          path,
          `ExtendedAmount ${extended.toFixed()} is not Quantity ${quantity.toFixed()} x unit price ${unitPrice.toFixed()}`,
        ),
      );
      gross = extended;
    }
  }
  const taxes = item.Tax.map((t) => decimalOf(t.Amount)).filter((t): t is Big => t !== undefined);
  const sign = signOf(negative);
  const flag = textOf(item.TaxIncludedInPriceFlag);
  return {
    line: {
      lineNo,
      sku: sku ?? '',
      ...(gtin ? { gtin } : {}),
      description: textOf(item.Description) ?? '',
      quantity: quantity.times(sign).toFixed(),
      unitPrice: money(unitPrice, c),
      amount: money(gross.minus(discount).times(sign), c),
      discount: money(discount, c),
      tax: taxes.length ? money(sum(taxes).abs().times(sign), c) : null,
    },
    discounts,
    proratedRules,
    taxIncluded: flag === undefined ? undefined : isTrue(flag),
    link: item.TransactionLink[0] ?? item.ReturnLink[0],
  };
}

const TENDER_METHODS: [RegExp, TenderMethod][] = [
  [/^cash$/i, 'cash'],
  [/credit|debit|card/i, 'card'],
  [/gift|storedvalue/i, 'gift_card'],
  [/voucher|coupon|certificate|storecredit/i, 'voucher'],
  [/mobile|wallet|pay$/i, 'mobile'],
];

function tenderMethod(type: string | undefined, hasCard: boolean): TenderMethod {
  if (hasCard) return 'card';
  for (const [re, method] of TENDER_METHODS) if (type && re.test(type.replace(/^\w+:/, ''))) return method;
  return 'other';
}

/** Debit/Credit say how the card was used, not whose scheme it is: they are not a brand. */
const NOT_A_BRAND = /^(credit|debit|prepaid|unknown|other)$/i;

function toTender(raw: z.infer<typeof TenderRaw>, path: string, c: Ctx): Tender {
  const type = attrOf(raw, 'TenderType');
  const card = raw.CreditDebit as Record<string, unknown> | undefined;
  const method = tenderMethod(type, card !== undefined);
  let amount = decimalOf(raw.Amount)!;
  if (attrOf(raw, 'TypeCode') === 'Refund') amount = amount.abs().neg();
  for (const change of raw.TenderChange) amount = amount.minus(decimalOf(change.Amount)?.abs() ?? ZERO);
  const tender: Tender = { method, amount: money(amount, c) };
  if (card) {
    const brand = textOf(card.CardBrand) ?? attrOf(card, 'CardBrand') ?? attrOf(card, 'CardType');
    if (brand && !NOT_A_BRAND.test(brand)) tender.cardBrand = brand;
    const pan = textOf(card.PrimaryAccountNumber) ?? textOf(card.MaskedCardNumber);
    if (pan && isUnmaskedPan(pan)) {
      c.findings.push(
        finding('source.poslog.card_number_present', 'warning', path, 'an unmasked card number was in the payload; only the last four digits were kept'),
      );
    }
    const last4 = last4Of(pan);
    if (last4) tender.last4 = last4;
  }
  return tender;
}

/** Money off in a LoyaltyReward, or undefined when the reward is points, messages or offers. */
function rewardAmount(reward: NonNullable<LineItem['LoyaltyReward']>): Big | undefined {
  const amount = decimalOf(reward.ExtendedRewardAmount) ?? decimalOf(reward.Amount);
  if (!amount || amount.eq(0)) return undefined;
  const category = textOf(reward.RewardCategory);
  // NCR ACS writes money off as a negative amount in RewardCategory "Monetary"; its "CustomOffer"
  // rewards carry a count (1), not money.
  if (category !== undefined) return /^monetary$/i.test(category) ? amount.abs() : undefined;
  return amount.lt(0) ? amount.abs() : undefined;
}

/**
 * Loyalty ids: NCR's LoyaltyMembership/LoyaltyID, ARTS LoyaltyAccount (LoyaltyAccountID, or a
 * PrimaryAccountNumber on the loyalty card). A payment card swiped at the wrong prompt (a card number,
 * or one the scrubber masked) is not kept, and not pseudonymized either: every customer paying with
 * such a card would otherwise share one loyalty reference.
 */
function loyaltyIdOf(rt: z.infer<typeof RetailTransaction>, path: string, c: Ctx): string | undefined {
  const candidates: unknown[] = [];
  for (const li of rt.LineItem) {
    const m = li.LoyaltyMembership as Record<string, unknown> | undefined;
    if (m) candidates.push(m.LoyaltyID, m.MembershipID);
  }
  for (const acc of rt.LoyaltyAccount) {
    const a = acc as Record<string, unknown> | undefined;
    const card = a?.LoyaltyCard as Record<string, unknown> | undefined;
    candidates.push(a?.LoyaltyAccountID, a?.LoyaltyID, card?.PrimaryAccountNumber, a?.PrimaryAccountNumber);
  }
  for (const candidate of candidates) {
    const id = textOf(candidate);
    if (!id) continue;
    if (isPaymentCardNumber(id)) {
      c.findings.push(
        finding('source.poslog.loyalty_looks_like_card', 'warning', path, 'a loyalty number is a payment card number and was not kept'),
      );
      continue;
    }
    return id;
  }
  return undefined;
}

function isCancelled(node: Record<string, unknown>): boolean {
  return (
    isTrue(attrOf(node, 'CancelFlag')) ||
    isTrue(attrOf(node, 'VoidFlag')) ||
    isTrue(textOf(node.CancelFlag)) ||
    isTrue(textOf(node.VoidFlag)) ||
    /^(voided|cancell?ed)$/i.test(attrOf(node, 'TransactionStatus') ?? '')
  );
}

function toTransaction(t: PosLogTransaction, path: string, payloadCtx: SourceContext, top: Finding[]): CanonicalTransaction | null {
  const rt = t.RetailTransaction!;
  const storeId = storeIdOf(t) ?? payloadCtx.storeId ?? null;
  // The store's configured zone and currency for its local times; the log's own offsets still win.
  const ctx = forStore(payloadCtx, storeId);
  const sourceKey = keyOf(t);
  if (!sourceKey) {
    top.push(
      finding(
        'source.poslog.transaction_unkeyed',
        'error',
        path,
        'transaction has no TransactionID and lacks store, workstation, business day or sequence number',
      ),
    );
    return null;
  }
  const findings: Finding[] = [];
  const amountCurrency = rt.LineItem.map((li) => attrOf(li.Tender?.Amount, 'Currency')).find(Boolean);
  const currency = resolveCurrency(textOf(t.CurrencyCode) ?? amountCurrency, ctx, `${path}/CurrencyCode`, findings);
  const c: Ctx = { ctx, findings, currency, digits: minorUnits(currency) };
  // EndDateTime is when the receipt was finished; older NCR logs carry only that or ReceiptDateTime.
  const timeSource = textOf(t.EndDateTime) ? 'EndDateTime' : textOf(t.BeginDateTime) ? 'BeginDateTime' : 'RetailTransaction/ReceiptDateTime';
  const timeText = textOf(t.EndDateTime) ?? textOf(t.BeginDateTime) ?? textOf(rt.ReceiptDateTime);
  const time = resolveTime(timeText, ctx, `${path}/${timeSource}`, findings, textOf(t.BusinessDayDate));

  const lines: Line[] = [];
  const discounts: Discount[] = [];
  const txnDiscounts: { discount: Discount; rule?: string }[] = [];
  const proratedRules = new Set<string>();
  const tenders: Tender[] = [];
  const changes: { type: string; amount: Big; path: string }[] = [];
  const txnTaxes: Big[] = [];
  const inclusionFlags: boolean[] = [];
  const rewards: { reward: NonNullable<LineItem['LoyaltyReward']>; amount: Big; path: string }[] = [];
  let link: z.infer<typeof Link> | undefined = rt.TransactionLink[0];
  let returnLines = 0;
  let saleLines = 0;

  rt.LineItem.forEach((li, i) => {
    const liPath = `${path}/RetailTransaction/LineItem/${i}`;
    const lineNo = Number.parseInt(textOf(li.SequenceNumber) ?? '', 10) || i + 1;
    if (isTrue(attrOf(li, 'VoidFlag')) || isTrue(attrOf(li, 'CancelFlag'))) {
      findings.push(finding('source.poslog.line_voided', 'warning', liPath, `line item ${lineNo} is voided and was left out`));
      return;
    }
    const item = li.Sale ?? li.Return;
    if (item) {
      const r = toLine(item, li.Return !== undefined, lineNo, `${liPath}/${li.Sale ? 'Sale' : 'Return'}`, c);
      lines.push(r.line);
      discounts.push(...r.discounts);
      r.proratedRules.forEach((rule) => proratedRules.add(rule));
      if (r.taxIncluded !== undefined) inclusionFlags.push(r.taxIncluded);
      if (r.line.quantity.startsWith('-')) {
        returnLines++;
        link ??= r.link;
      } else saleLines++;
    }
    if (li.Tender) tenders.push(toTender(li.Tender, `${liPath}/Tender`, c));
    if (li.TenderChange) {
      changes.push({
        type: attrOf(li.TenderChange, 'TenderType') ?? 'Cash',
        amount: decimalOf(li.TenderChange.Amount)?.abs() ?? ZERO,
        path: `${liPath}/TenderChange`,
      });
    }
    // A Tax LineItem is the transaction's tax summary; the lines' own Tax is detail of the same money.
    for (const tax of li.Tax) {
      const a = decimalOf(tax.Amount);
      if (a) txnTaxes.push(a);
    }
    if (li.Discount) {
      const a = decimalOf(li.Discount.Amount);
      const rule = textOf((li.Discount.PriceDerivationRule as Record<string, unknown> | undefined)?.PriceDerivationRuleID);
      const promotionId = textOf(li.Discount.PromotionID) ?? rule;
      if (a && !a.eq(0)) {
        txnDiscounts.push({ discount: { amount: money(a.abs(), c), ...(promotionId ? { promotionId } : {}) }, rule });
      }
    }
    if (li.LoyaltyReward) {
      const a = rewardAmount(li.LoyaltyReward);
      if (a) rewards.push({ reward: li.LoyaltyReward, amount: a, path: `${liPath}/LoyaltyReward` });
    }
  });

  // A basket discount the POS also prorated into the lines (RetailPriceModifier with
  // ApplicationType="Total" and the same rule) is already inside the lines' amounts.
  for (const d of txnDiscounts) if (!d.rule || !proratedRules.has(d.rule)) discounts.push(d.discount);

  // NCR ACS lists each loyalty reward in a detailed view (acs:detailedData) and a summarized view
  // (acs:summarizedActivity); a reward in both views is one LineItem with both flags. A
  // summarized-only LineItem repeating a detailed one (same PromotionID and EventID) is the same money.
  const rewardKey = (r: NonNullable<LineItem['LoyaltyReward']>) => `${textOf(r.PromotionID) ?? ''}|${textOf(r.EventID) ?? ''}`;
  const detailed = new Set(rewards.filter((r) => isTrue(attrOf(r.reward, 'detailedData'))).map((r) => rewardKey(r.reward)));
  for (const r of rewards) {
    const summarizedOnly = isTrue(attrOf(r.reward, 'summarizedActivity')) && !isTrue(attrOf(r.reward, 'detailedData'));
    if (summarizedOnly && detailed.has(rewardKey(r.reward))) continue;
    const promotionId = textOf(r.reward.PromotionID);
    discounts.push({ amount: money(r.amount, c), ...(promotionId ? { promotionId } : {}), description: 'loyalty reward' });
  }

  // Change given comes out of the tender it was given from (cash, unless the POS says otherwise).
  for (const ch of changes) {
    const method = tenderMethod(ch.type, false);
    const target = tenders.find((td) => td.method === method && new Big(td.amount).gte(ch.amount));
    if (target) target.amount = money(new Big(target.amount).minus(ch.amount), c);
    else {
      findings.push(finding('source.poslog.change_without_tender', 'warning', ch.path, `change of ${ch.amount.toFixed()} has no ${method} tender to net it from`));
      tenders.push({ method, amount: money(ch.amount.neg(), c) });
    }
  }

  const merchandise = sum(lines.map((l) => new Big(l.amount)));
  const negative = merchandise.lt(0);
  const sign = signOf(negative);
  const basketDiscount = sum(discounts.filter((d) => d.lineNo === undefined).map((d) => new Big(d.amount)));
  const stated = rt.Total;
  const statedTax = totalOf(stated, 'TransactionTaxAmount');
  const lineTaxes = lines.map((l) => l.tax);
  let tax: Big | null = null;
  if (txnTaxes.length) {
    tax = sum(txnTaxes).abs().times(sign);
    if (statedTax && !statedTax.abs().eq(tax.abs())) {
      findings.push(
        finding('source.poslog.tax_mismatch', 'error', `${path}/RetailTransaction/Total`, `tax lines add up to ${tax.abs().toFixed()}, TransactionTaxAmount says ${statedTax.toFixed()}`),
      );
    }
  } else if (statedTax) tax = statedTax.abs().times(sign);
  else if (lineTaxes.length && lineTaxes.every((x) => x !== null)) tax = sum(lineTaxes.map((x) => new Big(x!)));

  // Sign: a return's documents state positive amounts with TypeCode="Return"; the canonical total is signed.
  const statedGrand = totalOf(stated, 'TransactionGrandAmount');
  const grand = statedGrand ? statedGrand.abs().times(statedGrand.lt(0) || negative ? -1 : 1) : undefined;
  const netOfDiscounts = merchandise.minus(basketDiscount.times(sign));
  const exclusiveTotal = tax ? netOfDiscounts.plus(tax) : netOfDiscounts;
  const tol = roundingTolerance(currency, lines.length + 1);
  let taxIncluded: boolean;
  if (inclusionFlags.length) taxIncluded = inclusionFlags.every(Boolean);
  else if (!tax || tax.eq(0)) taxIncluded = false;
  else if (grand && grand.minus(exclusiveTotal).abs().lte(tol)) taxIncluded = false;
  else if (grand && grand.minus(netOfDiscounts).abs().lte(tol)) taxIncluded = true;
  else {
    // VAT and GST are priced into the shelf price; US sales tax is added at the till.
    const taxTypes = rt.LineItem.flatMap((li) => [...li.Tax, ...(li.Sale?.Tax ?? []), ...(li.Return?.Tax ?? [])]).map((x) => attrOf(x, 'TaxType'));
    taxIncluded = taxTypes.some((x) => /^(vat|gst)$/i.test(x ?? ''));
    findings.push(
      finding('source.poslog.tax_inclusion_assumed', 'warning', path, `nothing states whether prices include tax; assumed ${taxIncluded ? 'included' : 'excluded'}`),
    );
  }
  const computed = taxIncluded || !tax ? netOfDiscounts : exclusiveTotal;
  if (grand && grand.minus(computed).abs().gt(tol)) {
    findings.push(
      finding(
        'source.poslog.total_mismatch',
        'error',
        `${path}/RetailTransaction/Total`,
        `TransactionGrandAmount ${grand.toFixed()} disagrees with lines, discounts and tax (${computed.toFixed()})`,
      ),
    );
  }

  let originalRef: { sourceKey: string } | null = null;
  if (link) {
    const key = keyOf(link);
    if (key) originalRef = { sourceKey: key };
    else findings.push(finding('source.poslog.link_incomplete', 'warning', `${path}/RetailTransaction`, 'TransactionLink without TransactionID or full composite key'));
  }
  const customer = rt.Customer as Record<string, unknown> | undefined;
  const email = textOf((customer?.EMail as Record<string, unknown> | undefined)?.EMailAddress);
  const online = /online/i.test(attrOf(t.Channel, 'OnLineOffLineTypeCode') ?? '');
  const kind = isCancelled(t) || isCancelled(rt) ? 'void' : returnLines > 0 && (saleLines === 0 || negative) ? 'return' : 'sale';

  return buildTransaction({
    source: 'poslog',
    sourceKey,
    kind,
    channel: online ? 'online' : 'store',
    storeId,
    registerId: textOf(t.WorkstationID) ?? null,
    operatorId: textOf(t.OperatorID) ?? null,
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: money(grand ?? computed, c),
    taxTotal: tax ? money(tax, c) : null,
    discounts,
    lines,
    tenders,
    customer: customerRefs(ctx, 'poslog', {
      id: textOf(customer?.CustomerID),
      email,
      loyalty: loyaltyIdOf(rt, `${path}/RetailTransaction`, c),
    }),
    originalRef,
    findings,
  });
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  const doc = PosLogDocument.safeParse(payload);
  if (!doc.success) return rejected(doc.error);
  const root = 'POSLog' in doc.data ? (doc.data.POSLog as { Transaction: unknown[] }).Transaction : [doc.data.Transaction];
  const base = 'POSLog' in doc.data ? '/POSLog/Transaction' : '/Transaction';
  const transactions: CanonicalTransaction[] = [];
  const findings: Finding[] = [];
  root.forEach((raw, i) => {
    const path = `${base}/${i}`;
    const parsed = PosLogTransaction.safeParse(raw);
    if (!parsed.success) {
      findings.push(...schemaFindings(parsed.error, path));
      return;
    }
    const t = parsed.data;
    if (t.RetailTransaction) {
      const tx = toTransaction(t, path, ctx, findings);
      if (tx) transactions.push(tx);
    } else if (!['ControlTransaction', 'TenderControlTransaction', 'InventoryControlTransaction', 'FunctionLog'].some((k) => k in t)) {
      findings.push(finding('source.poslog.transaction_type_unknown', 'warning', path, 'transaction of an unknown kind produced nothing'));
    }
  });
  return { transactions, findings };
}

/** One parsed POSLog document to canonical transactions. Never throws. */
export const toCanonical = guardAdapter('poslog', convert);

export const poslogAdapter: SourceAdapter = { name: 'poslog', parse: parseXml, toCanonical };
