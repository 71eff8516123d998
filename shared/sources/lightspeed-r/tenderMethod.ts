// shared/sources/lightspeed-r/tenderMethod.ts: an R-Series payment's tender method, from its payment
// type's kind and name. A shop has a handful of payment types, repeated on every sale, so the answer is
// remembered per (type, name) instead of joining, lower-casing and trying up to five patterns each time.
import type { TenderMethod } from '../../model';

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

/** Pairs remembered; when full the memo is emptied and starts again, so odd payloads cannot grow it. */
const MEMO_LIMIT = 256;
const MAX_NAME_LENGTH = 64;
const memo = new Map<string, Map<string, TenderMethod>>();
let remembered = 0;

/** Same as tenderMethodOf (a pure function of its two strings), remembered for short names. */
export function tenderMethod(type: string, name: string): TenderMethod {
  // Nested by type rather than keyed by a joined string: a new joined string is hashed in full per lookup.
  const known = memo.get(type)?.get(name);
  if (known !== undefined) return known;
  const method = tenderMethodOf(type, name);
  if (type.length > MAX_NAME_LENGTH || name.length > MAX_NAME_LENGTH) return method;
  if (remembered >= MEMO_LIMIT) {
    memo.clear();
    remembered = 0;
  }
  let byName = memo.get(type);
  if (byName === undefined) {
    byName = new Map();
    memo.set(type, byName);
  }
  byName.set(name, method);
  remembered++;
  return method;
}
