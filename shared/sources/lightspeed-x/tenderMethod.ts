// shared/sources/lightspeed-x/tenderMethod.ts: the canonical tender method of an X-Series payment type
// name ("Credit Card", "Cash", "Gift Card", "Apple Pay", or whatever a retailer called it).
import { boundedMemo } from '../../model/boundedMemo';
import type { TenderMethod } from '../../model';

// Compiled once, not per payment.
const GIFT = /gift/;
const CASH = /cash/;
const VOUCHER = /voucher|store credit|credit note|coupon|loyalty/;
const MOBILE = /apple|google|samsung|paypal|afterpay|alipay|wechat|mobile/;
const CARD =
  /card|credit|debit|eftpos|visa|master|amex|american express|discover|tyro|adyen|vantiv|worldpay|square/;

/** The method by matching words in the lower-cased name, first match wins; the reference for the memo. */
export function tenderMethodOfName(name: string): TenderMethod {
  const n = name.toLowerCase();
  if (GIFT.test(n)) return 'gift_card';
  if (CASH.test(n)) return 'cash';
  if (VOUCHER.test(n)) return 'voucher';
  if (MOBILE.test(n)) return 'mobile';
  if (CARD.test(n)) return 'card';
  return 'other';
}

// A retailer has a handful of payment types, named the same on every sale: each name is lower-cased and
// run through up to five regexes once, not once per payment. Bounded, as names come from payloads.
const methods = boundedMemo<TenderMethod>(256);

/** tenderMethodOfName, remembered per name (a pure function of the name). */
export function tenderMethod(name: string): TenderMethod {
  return methods.get(name) ?? methods.set(name, tenderMethodOfName(name));
}
