// shared/sources/lightspeed-r/tenderMethod.ts: an R-Series payment's tender method, from its payment
// type's kind and name. A shop has a handful of payment types, repeated on every sale, so the answer is
// remembered per (type, name) instead of joining, lower-casing and trying up to five patterns each time.
import type { TenderMethod } from '../../model';
import { boundedScopedMemo } from '../../model/boundedScopedMemo';

// Compiled once, not per payment.
const GIFT = /gift/;
const CASH = /cash/;
const VOUCHER = /credit account|store credit|voucher|coupon/;
const MOBILE = /apple|google|mobile|paypal/;
const CARD = /card|debit|visa|master|amex/;

/** `PaymentType.type` is one of R-Series' built-in kinds; custom types fall back on their name. */
export function tenderMethodOf(type: string, name: string): TenderMethod {
  const t = `${type} ${name}`.toLowerCase();
  if (GIFT.test(t)) return 'gift_card';
  if (CASH.test(t)) return 'cash';
  if (VOUCHER.test(t)) return 'voucher';
  if (MOBILE.test(t)) return 'mobile';
  if (CARD.test(t)) return 'card';
  return 'other';
}

// Pairs remembered per type (bounded: emptied when full, so odd payloads cannot grow it); long names are
// not kept at all.
const memo = boundedScopedMemo<TenderMethod>(256);
const MAX_NAME_LENGTH = 64;

/** Same as tenderMethodOf (a pure function of its two strings), remembered for short names. */
export function tenderMethod(type: string, name: string): TenderMethod {
  const known = memo.get(type, name);
  if (known !== undefined) return known;
  const method = tenderMethodOf(type, name);
  if (type.length > MAX_NAME_LENGTH || name.length > MAX_NAME_LENGTH) return method;
  return memo.set(type, name, method);
}
