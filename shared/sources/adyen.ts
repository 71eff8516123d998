// shared/sources/adyen.ts: Adyen Terminal API (nexo) responses to canonical payment transactions.
//
// A terminal only sees the payment, never the basket, so every result is kind `payment` with no
// lines and one tender. Accepted: `{ SaleToPOIResponse: { MessageHeader, PaymentResponse } }` (a
// payment, or an unreferenced refund with PaymentType `Refund`) and `{ SaleToPOIResponse: {
// MessageHeader, ReversalResponse } }` (a referenced refund / cancellation). Other responses
// (diagnosis, card acquisition, ...) carry no money and produce no transaction.
//
// Decisions:
// - sourceKey is POITransactionID.TransactionID: Adyen's own unique key (tender reference + PSP
//   reference), which is also what a reversal names as its original, so originalRef links up. Only
//   when the terminal assigned none (a failure before authorisation) the key is
//   `sale:<SaleID>/<SaleTransactionID>`.
// - Money comes from AmountsResp.AuthorizedAmount (major units). AdditionalResponse repeats it as
//   `authorisedAmountValue` in MINOR units; the two are cross-checked and a disagreement is an error.
// - A failed payment (Result `Failure`) is kept as evidence: total "0" (nothing moved), one tender
//   with status `declined` and the amount that was asked for, and a warning with the error condition.
// - Refunds and reversals are negative (money back to the customer).
// - Card data: only brand and last 4 digits. MaskedPan, card BIN, expiry dates (ExpiryDate,
//   `expiryDate=3%2F2030`, expiryMonth/Year) and holder names are never copied anywhere.
//
// Finding codes (stable):
// - payload.schema (error), payload.adapter_error (error)
// - source.adyen.unsupported_message (warning): a response that is not a payment or reversal
// - source.adyen.amount_mismatch (error): AuthorizedAmount and authorisedAmountValue disagree
// - source.adyen.currency_mismatch (error): AmountsResp.Currency and authorisedAmountCurrency disagree
// - source.adyen.amount_from_additional_response (warning): no AuthorizedAmount; minor units used
// - source.adyen.amount_missing (error): an approved payment states no amount at all
// - source.adyen.payment_declined (warning): Result Failure; the tender is `declined`
// - source.adyen.partial_approval (warning): Result Partial; only the authorised amount counts
// - source.adyen.additional_response_malformed (warning): AdditionalResponse is not URL-encoded text
// - time.*, currency.*: see common.ts
import { z } from 'zod';
import type { CanonicalTransaction, Finding, Tender, TenderMethod } from '../model';
import { dec, fromMinorUnits, isDecimal, minorUnits, toDecimalString, toMoneyString, ZERO, type Decimal } from '../model/money';
import { buildTransaction, finding, guardAdapter, idString, resolveCurrency, resolveTime, schemaFindings, ownValue } from './common';
import { forStore } from './forStore';
import { safeParseFast } from './fast/parseAsFast';
import { parseJson } from './json';
import { agreedAmountText } from './adyen/agreedAmountText';
import { pickFormValues } from './adyen/pickFormValues';
import type { AdapterResult, SourceAdapter, SourceContext } from './types';

export { readFormPairs } from './adyen/readFormPairs';

/** Ids may arrive as numbers from sloppy sale systems; big ones come as strings from parseJson. */
const Id = z.union([z.string().min(1), z.number()]);
/** Amounts are JSON numbers in major units; read by their text, never by float arithmetic. */
const Amount = z.union([z.number().nonnegative(), z.string().refine((s) => isDecimal(s), 'decimal amount')]);

export const AdyenTransactionId = z.object({ TransactionID: Id, TimeStamp: z.string().optional() });

export const AdyenMessageHeader = z.object({
  MessageCategory: z.string().optional(),
  MessageType: z.string().optional(),
  POIID: z.string().min(1),
  SaleID: z.string().optional(),
  ServiceID: z.string().optional(),
});

export const AdyenResponse = z.object({
  Result: z.enum(['Success', 'Failure', 'Partial']),
  ErrorCondition: z.string().optional(),
  AdditionalResponse: z.string().optional(),
});

const PoiData = z.object({ POITransactionID: AdyenTransactionId, POIReconciliationID: z.unknown().optional() });

export const AdyenPaymentResponse = z.object({
  Response: AdyenResponse,
  SaleData: z
    .object({ SaleTransactionID: AdyenTransactionId.optional(), OperatorID: z.string().optional() })
    .optional(),
  POIData: PoiData.optional(),
  PaymentResult: z
    .object({
      PaymentType: z.string().optional(),
      AmountsResp: z.object({ AuthorizedAmount: Amount.optional(), Currency: z.string().optional() }).optional(),
      PaymentInstrumentData: z
        .object({
          PaymentInstrumentType: z.string().optional(),
          CardData: z.object({ PaymentBrand: z.string().optional(), MaskedPan: z.string().optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
});

export const AdyenReversalResponse = z.object({
  Response: AdyenResponse,
  POIData: PoiData.optional(),
  OriginalPOITransaction: z
    .object({ SaleID: z.string().optional(), POITransactionID: AdyenTransactionId.optional() })
    .optional(),
  ReversedAmount: Amount.optional(),
});

export const AdyenSaleToPoiResponse = z.object({
  SaleToPOIResponse: z
    .object({
      MessageHeader: AdyenMessageHeader,
      PaymentResponse: z.unknown().optional(),
      ReversalResponse: z.unknown().optional(),
    })
    .loose(),
});

type AdyenResult = z.infer<typeof AdyenResponse>;

/** The AdditionalResponse keys this adapter reads; the others (expiry, BIN, ...) are never decoded. */
const ADDITIONAL_KEYS: ReadonlySet<string> = new Set([
  'authorisedAmountValue',
  'authorisedAmountCurrency',
  'posAuthAmountValue',
  'posAuthAmountCurrency',
  'posOriginalAmountValue',
  'paymentMethod',
  'cardType',
  'cardSummary',
]);

/** AdditionalResponse is a URL-encoded query string (Adyen also documents a base64 JSON form). */
function readAdditional(text: string | undefined, path: string, findings: Finding[]): Map<string, string> {
  if (!text) return new Map();
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || !trimmed.includes('=')) {
    findings.push(
      finding('source.adyen.additional_response_malformed', 'warning', path, 'AdditionalResponse is not URL-encoded key=value text'),
    );
    return new Map();
  }
  return pickFormValues(trimmed, ADDITIONAL_KEYS);
}

const METHODS: Record<string, TenderMethod> = {
  card: 'card',
  mobile: 'mobile',
  storedvalue: 'gift_card',
  cash: 'cash',
  check: 'other',
};

// Compiled once, not per response.
const PAN_LAST_FOUR = /(\d{4})\s*$/;
const FOUR_DIGITS = /^\d{4}$/;
const MINOR_UNITS = /^\d+$/;
// Signs as Bigs: big.js parses a number argument through its regex on every call.
const ONE = dec(1);
const MINUS_ONE = dec(-1);

function last4Of(maskedPan: string | undefined, cardSummary: string | undefined): string | undefined {
  const fromPan = maskedPan ? PAN_LAST_FOUR.exec(maskedPan)?.[1] : undefined;
  if (fromPan) return fromPan;
  return cardSummary && FOUR_DIGITS.test(cardSummary) ? cardSummary : undefined;
}

/** The minor-unit amount AdditionalResponse states, if any. */
function minorTextOf(extra: Map<string, string>): string | undefined {
  return extra.get('authorisedAmountValue') ?? extra.get('posAuthAmountValue');
}

/** The currency of the amounts: AmountsResp.Currency preferred, cross-checked against AdditionalResponse's. */
function amountCurrency(
  majorCurrency: string | undefined,
  extra: Map<string, string>,
  ctx: SourceContext,
  path: string,
  findings: Finding[],
): string | null {
  const minorCurrency = extra.get('authorisedAmountCurrency') ?? extra.get('posAuthAmountCurrency');
  if (majorCurrency && minorCurrency && majorCurrency.toUpperCase() !== minorCurrency.toUpperCase()) {
    findings.push(
      finding(
        'source.adyen.currency_mismatch',
        'error',
        `${path}/AmountsResp/Currency`,
        `AmountsResp.Currency ${majorCurrency} but AdditionalResponse says ${minorCurrency}`,
      ),
    );
  }
  return resolveCurrency(majorCurrency ?? minorCurrency, ctx, `${path}/AmountsResp/Currency`, findings);
}

/**
 * The amount in major units: AuthorizedAmount preferred, cross-checked against the minor units. The
 * reference for agreedAmountText, which answers the usual case (the two agree) without big.js.
 */
function resolveAmount(
  major: string | number | undefined,
  currency: string | null,
  extra: Map<string, string>,
  path: string,
  findings: Finding[],
  crossCheck: boolean,
): Decimal | null {
  const minorText = minorTextOf(extra);
  const minor = minorText !== undefined && MINOR_UNITS.test(minorText) ? fromMinorUnits(minorText, currency) : null;
  if (major !== undefined) {
    const amount = dec(major);
    if (crossCheck && minor && !minor.eq(amount)) {
      findings.push(
        finding(
          'source.adyen.amount_mismatch',
          'error',
          `${path}/AmountsResp/AuthorizedAmount`,
          `AuthorizedAmount ${toDecimalString(amount)} but AdditionalResponse authorisedAmountValue ${minorText} (minor units) is ${toDecimalString(minor)}`,
        ),
      );
    }
    return amount;
  }
  if (minor) {
    findings.push(
      finding(
        'source.adyen.amount_from_additional_response',
        'warning',
        `${path}/AmountsResp`,
        'no AuthorizedAmount; the amount is read from AdditionalResponse (minor units)',
      ),
    );
  }
  return minor;
}

/**
 * The signed money text of an approved response whose two amounts agree, which needs no finding, or
 * undefined: then the big.js path (which also reports what is off) decides.
 */
function agreedText(
  status: 'approved' | 'declined',
  major: string | number | undefined,
  currency: string | null,
  extra: Map<string, string>,
  negative: boolean,
): string | undefined {
  return status === 'approved' ? agreedAmountText(major, minorTextOf(extra), minorUnits(currency), negative) : undefined;
}

interface PaymentDraft {
  header: z.infer<typeof AdyenMessageHeader>;
  sourceKey: string;
  timeStamp: string | undefined;
  tender: Tender;
  total: string;
  currency: string | null;
  operatorId: string | null;
  originalKey: string | null;
}

function paymentTransaction(d: PaymentDraft, ctx: SourceContext, path: string, findings: Finding[]): CanonicalTransaction {
  const time = resolveTime(d.timeStamp, ctx, `${path}/POIData/POITransactionID/TimeStamp`, findings);
  return buildTransaction({
    source: 'adyen',
    sourceKey: d.sourceKey,
    kind: 'payment',
    channel: 'store',
    storeId: ctx.storeId ?? null,
    registerId: d.header.POIID,
    operatorId: d.operatorId,
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency: d.currency,
    total: d.total,
    taxTotal: null,
    discounts: [],
    lines: [],
    tenders: [d.tender],
    customer: null,
    originalRef: d.originalKey ? { sourceKey: d.originalKey } : null,
    findings,
  });
}

function statusOf(result: AdyenResult, path: string, findings: Finding[]): 'approved' | 'declined' {
  if (result.Result === 'Failure') {
    findings.push(
      finding(
        'source.adyen.payment_declined',
        'warning',
        `${path}/Response/Result`,
        `terminal result Failure${result.ErrorCondition ? ` (${result.ErrorCondition})` : ''}; nothing was paid`,
      ),
    );
    return 'declined';
  }
  if (result.Result === 'Partial') {
    findings.push(
      finding('source.adyen.partial_approval', 'warning', `${path}/Response/Result`, 'partially approved: only the authorised amount was paid'),
    );
  }
  return 'approved';
}

function fromPayment(
  header: z.infer<typeof AdyenMessageHeader>,
  raw: unknown,
  ctx: SourceContext,
  path: string,
): AdapterResult {
  const parsed = safeParseFast(AdyenPaymentResponse, raw);
  if (!parsed.success) return { transactions: [], findings: schemaFindings(parsed.error, path) };
  const p = parsed.data;
  const findings: Finding[] = [];
  const extra = readAdditional(p.Response.AdditionalResponse, `${path}/Response/AdditionalResponse`, findings);
  const poiId = p.POIData ? idString(p.POIData.POITransactionID.TransactionID) : null;
  const saleId = p.SaleData?.SaleTransactionID ? idString(p.SaleData.SaleTransactionID.TransactionID) : null;
  const sourceKey = poiId ?? (saleId ? `sale:${header.SaleID ?? ''}/${saleId}` : null);
  if (!sourceKey) {
    return {
      transactions: [],
      findings: [finding('payload.schema', 'error', `${path}/POIData/POITransactionID`, 'neither POITransactionID nor SaleTransactionID is present')],
    };
  }
  const result = p.PaymentResult;
  const status = statusOf(p.Response, path, findings);
  const currency = amountCurrency(result?.AmountsResp?.Currency, extra, ctx, `${path}/PaymentResult`, findings);
  const major = result?.AmountsResp?.AuthorizedAmount;
  const refund = result?.PaymentType === 'Refund';
  const amountText =
    agreedText(status, major, currency, extra, refund) ?? paymentAmountText(major, currency, extra, status, refund, path, findings);
  const card = result?.PaymentInstrumentData?.CardData;
  const tender = tenderOf(result?.PaymentInstrumentData?.PaymentInstrumentType, card?.PaymentBrand, card?.MaskedPan, extra);
  tender.amount = amountText;
  tender.status = status;
  const total = status === 'approved' ? tender.amount : '0';
  const timeStamp = p.POIData?.POITransactionID.TimeStamp ?? p.SaleData?.SaleTransactionID?.TimeStamp;
  const tx = paymentTransaction(
    { header, sourceKey, timeStamp, tender, total, currency, operatorId: p.SaleData?.OperatorID ?? null, originalKey: null },
    ctx,
    path,
    findings,
  );
  return { transactions: [tx], findings: [] };
}

/** A payment's signed money text through big.js, with the findings on its amounts. */
function paymentAmountText(
  major: string | number | undefined,
  currency: string | null,
  extra: Map<string, string>,
  status: 'approved' | 'declined',
  refund: boolean,
  path: string,
  findings: Finding[],
): string {
  // A refusal authorises nothing, so its amounts are not expected to agree.
  let amount = resolveAmount(major, currency, extra, `${path}/PaymentResult`, findings, status === 'approved');
  if (!amount && status === 'approved') {
    findings.push(finding('source.adyen.amount_missing', 'error', `${path}/PaymentResult/AmountsResp`, 'approved payment without an amount'));
  }
  if (status === 'declined') {
    // A refused authorisation states 0 or nothing; the amount asked for is in posOriginalAmountValue.
    const asked = extra.get('posOriginalAmountValue');
    if (asked && MINOR_UNITS.test(asked)) amount = fromMinorUnits(asked, currency);
  }
  return toMoneyString((amount ?? ZERO).times(refund ? MINUS_ONE : ONE), currency);
}

/** A reversal's money text (negative: money back) through big.js, with the findings on its amount. */
function reversalAmountText(
  reversed: string | number | undefined,
  currency: string | null,
  extra: Map<string, string>,
  status: 'approved' | 'declined',
  path: string,
  findings: Finding[],
): string {
  const amount = resolveAmount(reversed, currency, extra, path, findings, status === 'approved');
  if (!amount && status === 'approved') {
    findings.push(finding('source.adyen.amount_missing', 'error', `${path}/ReversedAmount`, 'reversal without an amount'));
  }
  return toMoneyString((amount ?? ZERO).times(MINUS_ONE), currency);
}

function tenderOf(
  instrumentType: string | undefined,
  brand: string | undefined,
  maskedPan: string | undefined,
  extra: Map<string, string>,
): Tender {
  const method = ownValue(METHODS, (instrumentType ?? 'card').toLowerCase()) ?? 'other';
  const tender: Tender = { method, amount: '0' };
  const cardBrand = brand ?? extra.get('paymentMethod') ?? extra.get('cardType');
  if (cardBrand) tender.cardBrand = cardBrand;
  const last4 = last4Of(maskedPan, extra.get('cardSummary'));
  if (last4) tender.last4 = last4;
  return tender;
}

function fromReversal(
  header: z.infer<typeof AdyenMessageHeader>,
  raw: unknown,
  ctx: SourceContext,
  path: string,
): AdapterResult {
  const parsed = safeParseFast(AdyenReversalResponse, raw);
  if (!parsed.success) return { transactions: [], findings: schemaFindings(parsed.error, path) };
  const r = parsed.data;
  const findings: Finding[] = [];
  const extra = readAdditional(r.Response.AdditionalResponse, `${path}/Response/AdditionalResponse`, findings);
  const original = r.OriginalPOITransaction?.POITransactionID
    ? idString(r.OriginalPOITransaction.POITransactionID.TransactionID)
    : null;
  const own = r.POIData ? idString(r.POIData.POITransactionID.TransactionID) : null;
  // A reversal without its own POI id is keyed by the original it reverses: one reversal per payment.
  const sourceKey = own ?? (original ? `reversal:${original}` : null);
  if (!sourceKey) {
    return {
      transactions: [],
      findings: [finding('payload.schema', 'error', `${path}/POIData/POITransactionID`, 'reversal names neither itself nor its original')],
    };
  }
  const status = statusOf(r.Response, path, findings);
  const currency = amountCurrency(undefined, extra, ctx, path, findings);
  const amountText =
    agreedText(status, r.ReversedAmount, currency, extra, true) ??
    reversalAmountText(r.ReversedAmount, currency, extra, status, path, findings);
  const tender = tenderOf(undefined, undefined, undefined, extra);
  tender.amount = amountText;
  tender.status = status;
  const tx = paymentTransaction(
    {
      header,
      sourceKey,
      timeStamp: r.POIData?.POITransactionID.TimeStamp,
      tender,
      total: status === 'approved' ? tender.amount : '0',
      currency,
      operatorId: null,
      originalKey: original,
    },
    ctx,
    path,
    findings,
  );
  return { transactions: [tx], findings: [] };
}

function convert(payload: unknown, payloadCtx: SourceContext): AdapterResult {
  // A terminal response names no store: the configured store of the ingest hint, if any, is its store.
  const ctx = forStore(payloadCtx, payloadCtx.storeId);
  const parsed = safeParseFast(AdyenSaleToPoiResponse, payload);
  if (!parsed.success) return { transactions: [], findings: schemaFindings(parsed.error) };
  const body = parsed.data.SaleToPOIResponse;
  if (body.PaymentResponse !== undefined) {
    return fromPayment(body.MessageHeader, body.PaymentResponse, ctx, '/SaleToPOIResponse/PaymentResponse');
  }
  if (body.ReversalResponse !== undefined) {
    return fromReversal(body.MessageHeader, body.ReversalResponse, ctx, '/SaleToPOIResponse/ReversalResponse');
  }
  return {
    transactions: [],
    findings: [
      finding(
        'source.adyen.unsupported_message',
        'warning',
        '/SaleToPOIResponse',
        `no PaymentResponse or ReversalResponse (category ${body.MessageHeader.MessageCategory ?? 'unknown'}): no transaction`,
      ),
    ],
  };
}

/** One Adyen Terminal API response to canonical transactions; never throws. */
export const toCanonical = guardAdapter('adyen', convert);

export const adyenAdapter: SourceAdapter = { name: 'adyen', parse: parseJson, toCanonical };
