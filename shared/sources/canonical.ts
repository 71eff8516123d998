// shared/sources/canonical.ts: payloads that are already canonical transactions (schemaVersion 1),
// e.g. from another hub, a partner's own mapping, or a replay of curated data.
//
// Accepted shapes: one canonical transaction object, or `{ transactions: [ ... ] }`. Each transaction
// is validated on its own: an invalid one gives findings and no transaction, the others go through.
// `source` is kept (a canonical payload may carry transactions originally from another system); the
// derived fields are not trusted: `id` and `discountTotal` are recomputed.
//
// Finding codes (stable):
// - payload.schema (error): not the canonical model; path is the JSON path in the payload
// - payload.adapter_error (error): an unexpected failure inside this adapter
// - source.canonical.id_mismatch (warning): `id` differs from the one derived from source + sourceKey;
//   the derived id is used, so every sink upserts the same row whoever sent it
// - source.canonical.discount_total_mismatch (warning): `discountTotal` differs from the sum of
//   `discounts`; the sum is used
// - source.canonical.raw_customer_identifier (warning): a customer reference holds what looks like a
//   raw email address or phone number; it is replaced by its keyed pseudonym, never passed on
import { z } from 'zod';
import { CanonicalTransaction, transactionId, type CustomerRefs, type Finding } from '../model';
import { dec, sum, toMoneyString, ZERO } from '../model/money';
import { isValidDate } from '../model/time';
import { finding, guardAdapter, isPlainObject, schemaFindings } from './common';
import { isZeroDecimalText, zeroMoneyText } from './canonical/zeroDiscountTotal';
import { forStore } from './forStore';
import { safeParseFast } from './fast/parseAsFast';
import { parseJson } from './json';
import type { AdapterResult, SourceAdapter, SourceContext } from './types';

/** Top-level keys are strict: a misspelt field (`taxtotal`) is an error, not silently dropped. */
export const CanonicalPayloadTransaction = CanonicalTransaction.strict();

/** The batch form; its items are validated one by one so one bad transaction loses no others. */
export const CanonicalBatch = z.object({ transactions: z.array(z.unknown()) });

const CUSTOMER_KEYS = ['ref', 'emailRef', 'phoneRef', 'loyaltyRef'] as const;

/** Calendar checks the regexes of the model cannot express (no 2026-02-30, no hour 25). */
function calendarFindings(tx: CanonicalTransaction, path: string): Finding[] {
  const out: Finding[] = [];
  if (!isValidDate(tx.businessDate)) {
    out.push(finding('payload.schema', 'error', `${path}/businessDate`, `not a calendar date: ${tx.businessDate}`));
  }
  if (!isRealInstant(tx.occurredAt)) {
    out.push(finding('payload.schema', 'error', `${path}/occurredAt`, `not a valid instant: ${tx.occurredAt}`));
  }
  return out;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Whether a `YYYY-MM-DDTHH:mm:ss.sssZ` text names a real instant, i.e. survives Date.parse and
 * toISOString unchanged: read by field instead of through two Date conversions. Any other shape
 * takes the Date round trip (test/sources/canonical.test.ts compares the two).
 */
export function isRealInstant(text: string): boolean {
  const y1 = twoDigits(text, 0);
  const y2 = twoDigits(text, 2);
  const ms1 = twoDigits(text, 20);
  const ms2 = text.charCodeAt(22) - 48;
  if (
    text.length !== 24 ||
    y1 < 0 ||
    y2 < 0 ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':' ||
    text[19] !== '.' ||
    ms1 < 0 ||
    !(ms2 >= 0 && ms2 <= 9) ||
    text[23] !== 'Z'
  ) {
    const ms = Date.parse(text);
    return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
  }
  const year = y1 * 100 + y2;
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  if (second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month]!);
}

/**
 * A reference that contains '@' or parses as a phone number is raw personal data that slipped
 * through an upstream system; it is replaced by the keyed pseudonym of that value.
 */
function cleanCustomer(
  customer: CustomerRefs | null,
  ctx: SourceContext,
  path: string,
  findings: Finding[],
): CustomerRefs | null {
  if (!customer) return customer;
  const out: CustomerRefs = { ...customer };
  for (const key of CUSTOMER_KEYS) {
    const value = out[key];
    if (value === undefined) continue;
    let replacement: string | undefined;
    let what = '';
    if (value.includes('@')) {
      replacement = ctx.pseudonymize.email(value) ?? ctx.pseudonymize.customer('canonical', value);
      what = 'an email address';
    } else {
      const phone = ctx.pseudonymize.phone(value, ctx.country ?? undefined);
      if (phone !== undefined) {
        replacement = phone;
        what = 'a phone number';
      }
    }
    if (what) {
      if (replacement === undefined) delete out[key];
      else out[key] = replacement;
      findings.push(
        finding(
          'source.canonical.raw_customer_identifier',
          'warning',
          `${path}/customer/${key}`,
          `customer reference looked like ${what}; replaced by its pseudonym`,
        ),
      );
    }
  }
  return out;
}

function oneTransaction(raw: unknown, path: string, ctx: SourceContext, topFindings: Finding[]): CanonicalTransaction | null {
  const parsed = safeParseFast(CanonicalPayloadTransaction, raw);
  if (!parsed.success) {
    topFindings.push(...schemaFindings(parsed.error, path));
    return null;
  }
  const given = parsed.data;
  // The findings array only for a transaction that has any (calendarFindings checks the same two).
  if (!isValidDate(given.businessDate) || !isRealInstant(given.occurredAt)) {
    topFindings.push(...calendarFindings(given, path));
    return null;
  }
  const added: Finding[] = [];
  const id = transactionId(given.source, given.sourceKey);
  if (given.id !== id) {
    added.push(
      finding('source.canonical.id_mismatch', 'warning', `${path}/id`, `id ${given.id} replaced by the derived id ${id}`),
    );
  }
  // Nearly every canonical payload states no discounts: then the sum is zero (./canonical/zeroDiscountTotal).
  const noDiscounts = given.discounts.length === 0;
  const discountSum = noDiscounts ? ZERO : sum(given.discounts.map((d) => dec(d.amount)));
  // Written as buildTransaction writes it, so that what an adapter produced comes back unchanged.
  const discountTotal = noDiscounts ? zeroMoneyText(given.currency) : toMoneyString(discountSum, given.currency);
  const totalMatches = noDiscounts ? isZeroDecimalText(given.discountTotal) : dec(given.discountTotal).eq(discountSum);
  if (!totalMatches) {
    added.push(
      finding(
        'source.canonical.discount_total_mismatch',
        'warning',
        `${path}/discountTotal`,
        `discountTotal ${given.discountTotal} replaced by the sum of discounts ${discountTotal}`,
      ),
    );
  }
  // Times and currency are the transaction's own; only a phone number's country comes from the store.
  const customer = cleanCustomer(given.customer, forStore(ctx, given.storeId ?? ctx.storeId), path, added);
  const findings = added.length === 0 ? given.findings : [...given.findings, ...added];
  if (given === raw) return { ...given, id, discountTotal, customer, findings };
  // The parsed value is a new object (the compiled parser and zod both build one), so it is this
  // adapter's to fill in: assigning keys it already has keeps their places, which is the key order the
  // copy `{ ...given, id, discountTotal, customer, findings }` had (test/sources/canonical.test.ts).
  given.id = id;
  given.discountTotal = discountTotal;
  given.customer = customer;
  given.findings = findings;
  return given;
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  const findings: Finding[] = [];
  const transactions: CanonicalTransaction[] = [];
  if (isPlainObject(payload) && 'transactions' in payload && !('schemaVersion' in payload)) {
    const batch = safeParseFast(CanonicalBatch, payload);
    if (!batch.success) return { transactions, findings: schemaFindings(batch.error) };
    batch.data.transactions.forEach((item, i) => {
      const tx = oneTransaction(item, `/transactions/${i}`, ctx, findings);
      if (tx) transactions.push(tx);
    });
    return { transactions, findings };
  }
  const tx = oneTransaction(payload, '', ctx, findings);
  if (tx) transactions.push(tx);
  return { transactions, findings };
}

/** Canonical JSON to canonical transactions; never throws. */
export const toCanonical = guardAdapter('canonical', convert);

export const canonicalAdapter: SourceAdapter = { name: 'canonical', parse: parseJson, toCanonical };
