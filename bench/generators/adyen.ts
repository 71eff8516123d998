// bench/generators/adyen.ts: Adyen Terminal API (nexo) responses as a payment terminal returns them to
// the sale system: mostly approved card payments (`PaymentResponse`), sometimes an unreferenced refund
// (PaymentType `Refund`) or a reversal of an earlier payment (`ReversalResponse`). AuthorizedAmount is in
// major units, AdditionalResponse is URL-encoded with the same amount in minor units, and like the real
// thing it carries the card's expiry, which the pipeline must drop.
import type { Rng } from '../rng';
import { sale, type Sale, type SaleTender } from './sale';

const BINS: Record<string, { bin: string; length: number; scheme: string; variant: string }> = {
  Visa: { bin: '476173', length: 16, scheme: 'visa', variant: 'visacredit' },
  Mastercard: { bin: '545454', length: 16, scheme: 'mc', variant: 'mccredit' },
  Amex: { bin: '374245', length: 15, scheme: 'amex', variant: 'amex' },
  Discover: { bin: '601100', length: 16, scheme: 'discover', variant: 'discover' },
};

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
const letters = (rng: Rng, n: number) => Array.from({ length: n }, () => 'abcdefghijkmnpqrstuvwxyz'[rng.int(0, 23)]).join('');

/** POI transaction ids look like `4r7i001764511509000.8815645295894301`: a tender reference, then the PSP reference. */
function poiTransactionId(rng: Rng, at: Date, psp: string): string {
  return `${rng.int(1, 9)}${letters(rng, 3)}00${at.getTime()}.${psp}`;
}

const pspReference = (rng: Rng) => `88${digits(rng, 14)}`;

function additional(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString().replace(/\+/g, '%20');
}

function header(s: Sale, category: string, serviceId: string) {
  return {
    ProtocolVersion: '3.0',
    MessageClass: 'Service',
    MessageCategory: category,
    MessageType: 'Response',
    ServiceID: serviceId,
    SaleID: `POS-${s.storeId}-R${s.registerNo}`,
    POIID: `V400m-3246${String(s.storeId.charCodeAt(3)).padStart(3, '0')}${s.registerNo}`,
  };
}

function cardFields(t: SaleTender, expiry: { month: string; year: string }) {
  const card = BINS[t.brand ?? 'Visa']!;
  return {
    card,
    masked: `${card.bin}${'x'.repeat(card.length - 10)}${t.last4}`,
    fields: {
      paymentMethod: card.scheme,
      cardType: card.scheme,
      cardScheme: card.scheme,
      paymentMethodVariant: card.variant,
      cardBin: card.bin,
      cardSummary: t.last4 ?? '0000',
      expiryMonth: expiry.month,
      expiryYear: expiry.year,
      expiryDate: `${Number(expiry.month)}/${expiry.year}`,
    },
  };
}

function payment(rng: Rng, s: Sale, refund: boolean) {
  const t: SaleTender = s.tenders.find((x) => x.method === 'card') ?? { method: 'card', cents: s.totalCents, brand: 'Visa', last4: digits(rng, 4) };
  const expiry = { month: String(rng.int(1, 12)).padStart(2, '0'), year: String(rng.int(2027, 2031)) };
  const { card, masked, fields } = cardFields(t, expiry);
  const mobile = !refund && rng.bool(0.15);
  const psp = pspReference(rng);
  const saleTxId = String(s.sequence);
  const cents = s.totalCents;
  const extra = additional({
    tid: digits(rng, 8),
    AID: card.scheme === 'visa' ? 'A0000000031010' : 'A0000000041010',
    transactionType: refund ? 'REFUND' : 'GOODS_SERVICES',
    giftcardIndicator: 'false',
    posOriginalAmountCurrency: s.currency,
    authorisedAmountValue: String(cents),
    authorisedAmountCurrency: s.currency,
    posOriginalAmountValue: String(cents),
    posAuthAmountValue: String(cents),
    posAuthAmountCurrency: s.currency,
    pspReference: psp,
    merchantReference: saleTxId,
    refusalReasonRaw: 'APPROVED',
    posEntryMode: mobile ? 'CLESS_CHIP' : rng.pick(['CLESS_CHIP', 'ICC']),
    iso8601TxDate: s.at.toISOString().replace('Z', '0000+0000'),
    offline: 'false',
    ...fields,
  });
  return {
    SaleToPOIResponse: {
      MessageHeader: header(s, 'Payment', digits(rng, 10)),
      PaymentResponse: {
        POIData: { POIReconciliationID: '1000', POITransactionID: { TimeStamp: s.at.toISOString(), TransactionID: poiTransactionId(rng, s.at, psp) } },
        SaleData: { OperatorID: `emp-${s.operatorNo}`, SaleTransactionID: { TimeStamp: new Date(s.at.getTime() - 7000).toISOString(), TransactionID: saleTxId } },
        PaymentResult: {
          PaymentType: refund ? 'Refund' : 'Normal',
          OnlineFlag: true,
          AmountsResp: { AuthorizedAmount: cents / 100, Currency: s.currency },
          PaymentAcquirerData: {
            AcquirerPOIID: 'V400m-324688179',
            AcquirerTransactionID: { TimeStamp: s.at.toISOString(), TransactionID: psp },
            ApprovalCode: digits(rng, 6),
            MerchantID: 'ExampleMerchantPOS',
          },
          PaymentInstrumentData: {
            PaymentInstrumentType: mobile ? 'Mobile' : 'Card',
            CardData: { EntryMode: [mobile ? 'Contactless' : 'ICC'], PaymentBrand: card.scheme, MaskedPan: masked, SensitiveCardData: { ExpiryDate: `${expiry.month}${expiry.year.slice(2)}` } },
          },
        },
        PaymentReceipt: [
          {
            DocumentQualifier: 'CashierReceipt',
            OutputContent: {
              OutputFormat: 'Text',
              OutputText: [
                { EndOfLineFlag: true, Text: `name=Card&value=${encodeURIComponent('*'.repeat(card.length - 4) + t.last4)}&key=pan` },
                { CharacterStyle: 'Bold', EndOfLineFlag: true, Text: `name=TOTAL&value=${encodeURIComponent('$' + (cents / 100).toFixed(2))}&key=totalAmount` },
                { CharacterStyle: 'Bold', EndOfLineFlag: true, Text: 'name=APPROVED&key=approved' },
              ],
            },
            RequiredSignatureFlag: false,
          },
        ],
        Response: { Result: 'Success', AdditionalResponse: extra },
      },
    },
  };
}

function reversal(rng: Rng, s: Sale) {
  const psp = pspReference(rng);
  const original = pspReference(rng);
  const t = s.tenders[0]!;
  const earlier = new Date(s.at.getTime() - rng.int(5, 120) * 60_000);
  return {
    SaleToPOIResponse: {
      MessageHeader: header(s, 'Reversal', digits(rng, 10)),
      ReversalResponse: {
        POIData: { POITransactionID: { TimeStamp: s.at.toISOString(), TransactionID: poiTransactionId(rng, s.at, psp) } },
        OriginalPOITransaction: { SaleID: `POS-${s.storeId}-R${s.registerNo}`, POITransactionID: { TimeStamp: earlier.toISOString(), TransactionID: poiTransactionId(rng, earlier, original) } },
        ReversedAmount: s.totalCents / 100,
        Response: {
          Result: 'Success',
          AdditionalResponse: additional({
            pspReference: psp,
            originalPspReference: original,
            paymentMethod: BINS[t.brand ?? 'Visa']!.scheme,
            cardSummary: t.last4 ?? digits(rng, 4),
            posAuthAmountCurrency: s.currency,
            posAuthAmountValue: String(s.totalCents),
            merchantReference: `${s.sequence}-R`,
          }),
        },
      },
    },
  };
}

export function generateAdyen(rng: Rng, i: number): string {
  const s = sale(rng, i, { returnRate: 0.12 });
  if (s.kind === 'return') return JSON.stringify(rng.bool() ? reversal(rng, s) : payment(rng, s, true));
  return JSON.stringify(payment(rng, s, false));
}
