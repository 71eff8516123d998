import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CanonicalTransaction, transactionId } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { adyenAdapter, readFormPairs, toCanonical } from '../../shared/sources/adyen';
import type { SourceContext } from '../../shared/sources/types';

const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};

// Tests mutate fixtures field by field to build variants; a loose type keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function fixtureText(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'adyen', name), 'utf8');
}
function fixture(name: string): Loose {
  const parsed = adyenAdapter.parse(fixtureText(name));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value;
}
function only(result: ReturnType<typeof toCanonical>): CanonicalTransaction {
  expect(result.transactions).toHaveLength(1);
  return CanonicalTransaction.parse(result.transactions[0]);
}
function paymentResponse(payload: Loose): Loose {
  return payload.SaleToPOIResponse.PaymentResponse;
}
function codes(tx: CanonicalTransaction): string[] {
  return tx.findings.map((f) => f.code);
}

const PAYMENT_KEY = '4r7i001764511509000.8815645295894301';

describe('adyen adapter: payments', () => {
  test('an approved card payment becomes one payment transaction with brand and last4 only', () => {
    const result = toCanonical(fixture('payment-success.json'), ctx);
    expect(result.findings).toEqual([]);
    expect(only(result)).toEqual({
      schemaVersion: 1,
      id: transactionId('adyen', PAYMENT_KEY),
      source: 'adyen',
      sourceKey: PAYMENT_KEY,
      kind: 'payment',
      channel: 'store',
      storeId: null,
      registerId: 'V400m-324688179',
      operatorId: 'emp-0042',
      businessDate: '2026-11-30',
      occurredAt: '2026-11-30T14:05:09.000Z',
      currency: 'USD',
      total: '24.50',
      taxTotal: null,
      discountTotal: '0.00',
      discounts: [],
      lines: [],
      tenders: [{ method: 'card', amount: '24.50', cardBrand: 'visa', last4: '1111', status: 'approved' }],
      customer: null,
      originalRef: null,
      findings: [],
    });
  });

  test('no expiry date, card BIN, masked PAN or card alias reaches the output', () => {
    const out = JSON.stringify(toCanonical(fixture('payment-success.json'), ctx));
    for (const secret of ['0330', '3/2030', '3%2F2030', '2030', '411111', 'xxxxxx', 'M469509594859802', 'N/A']) {
      expect(out).not.toContain(secret);
    }
    // The fixture really carries them, so the assertion above can fail.
    expect(fixtureText('payment-success.json')).toContain('expiryDate=3%2F2030');
    expect(fixtureText('payment-success.json')).toContain('"ExpiryDate": "0330"');
  });

  test('the store comes from configuration when the terminal does not name it', () => {
    const tx = only(toCanonical(fixture('payment-success.json'), { ...ctx, storeId: 'S042' }));
    expect(tx.storeId).toBe('S042');
  });

  test('a refused payment keeps the attempt: total 0, tender declined at the amount asked', () => {
    const tx = only(toCanonical(fixture('payment-refused.json'), ctx));
    expect(tx.kind).toBe('payment');
    expect(tx.total).toBe('0');
    expect(tx.tenders).toEqual([{ method: 'card', amount: '12.50', cardBrand: 'mc', last4: '9999', status: 'declined' }]);
    expect(tx.findings).toEqual([
      {
        code: 'source.adyen.payment_declined',
        severity: 'warning',
        path: '/SaleToPOIResponse/PaymentResponse/Response/Result',
        message: 'terminal result Failure (Refusal); nothing was paid',
      },
    ]);
    expect(JSON.stringify(tx)).not.toContain('2028');
    expect(JSON.stringify(tx)).not.toContain('541333');
  });

  test('a partial approval counts only the authorised amount, with a warning', () => {
    const payload = fixture('payment-success.json');
    paymentResponse(payload).Response.Result = 'Partial';
    const tx = only(toCanonical(payload, ctx));
    expect(tx.total).toBe('24.50');
    expect(tx.tenders[0]?.status).toBe('approved');
    expect(codes(tx)).toEqual(['source.adyen.partial_approval']);
  });

  test('an unreferenced refund (PaymentType Refund) is negative', () => {
    const payload = fixture('payment-success.json');
    paymentResponse(payload).PaymentResult.PaymentType = 'Refund';
    const tx = only(toCanonical(payload, ctx));
    expect(tx.total).toBe('-24.50');
    expect(tx.tenders).toEqual([{ method: 'card', amount: '-24.50', cardBrand: 'visa', last4: '1111', status: 'approved' }]);
    expect(tx.originalRef).toBeNull();
  });
});

describe('adyen adapter: reversals', () => {
  test('a reversal is a negative payment linked to the original POI transaction', () => {
    const result = toCanonical(fixture('reversal.json'), ctx);
    expect(result.findings).toEqual([]);
    const tx = only(result);
    expect(tx).toMatchObject({
      sourceKey: '4r7i001764520201000.8815645296000001',
      id: transactionId('adyen', '4r7i001764520201000.8815645296000001'),
      kind: 'payment',
      registerId: 'V400m-324688179',
      occurredAt: '2026-11-30T16:30:01.000Z',
      businessDate: '2026-11-30',
      currency: 'USD',
      total: '-24.50',
      tenders: [{ method: 'card', amount: '-24.50', cardBrand: 'visa', last4: '1111', status: 'approved' }],
      originalRef: { sourceKey: PAYMENT_KEY },
      findings: [],
    });
    // The original payment's own key: the two rows join on it.
    expect(only(toCanonical(fixture('payment-success.json'), ctx)).sourceKey).toBe(tx.originalRef?.sourceKey);
    expect(JSON.stringify(tx)).not.toContain('2030');
  });

  test('a reversal without its own POI id is keyed by the original it reverses', () => {
    const payload = fixture('reversal.json');
    delete payload.SaleToPOIResponse.ReversalResponse.POIData;
    const tx = only(toCanonical(payload, ctx));
    expect(tx.sourceKey).toBe(`reversal:${PAYMENT_KEY}`);
    expect(codes(tx)).toEqual(['time.missing']);
  });
});

describe('adyen adapter: minor and major units', () => {
  test('AuthorizedAmount (major) and authorisedAmountValue (minor) that disagree give an error', () => {
    const payload = fixture('payment-success.json');
    paymentResponse(payload).Response.AdditionalResponse = paymentResponse(payload).Response.AdditionalResponse.replace(
      'authorisedAmountValue=2450',
      'authorisedAmountValue=2405',
    );
    const tx = only(toCanonical(payload, ctx));
    expect(tx.total).toBe('24.50');
    expect(tx.findings).toEqual([
      {
        code: 'source.adyen.amount_mismatch',
        severity: 'error',
        path: '/SaleToPOIResponse/PaymentResponse/PaymentResult/AmountsResp/AuthorizedAmount',
        message: 'AuthorizedAmount 24.5 but AdditionalResponse authorisedAmountValue 2405 (minor units) is 24.05',
      },
    ]);
  });

  test('without AuthorizedAmount the minor units are converted with the currency exponent', () => {
    const payload = fixture('payment-success.json');
    delete paymentResponse(payload).PaymentResult.AmountsResp.AuthorizedAmount;
    const tx = only(toCanonical(payload, ctx));
    expect(tx.total).toBe('24.50');
    expect(codes(tx)).toEqual(['source.adyen.amount_from_additional_response']);
  });

  test('an amount written as text with a plus sign is read as that amount, not an adapter error', () => {
    const payload = fixture('payment-success.json');
    paymentResponse(payload).PaymentResult.AmountsResp.AuthorizedAmount = '+24.50';
    const result = toCanonical(payload, ctx);
    expect(result.findings).toEqual([]);
    const tx = only(result);
    expect(tx.total).toBe('24.50');
    expect(tx.findings).toEqual([]);
  });

  test('a zero-decimal currency (JPY) is not divided by 100', () => {
    const payload = fixture('payment-success.json');
    const p = paymentResponse(payload);
    p.PaymentResult.AmountsResp = { AuthorizedAmount: 1500, Currency: 'JPY' };
    p.Response.AdditionalResponse = 'authorisedAmountValue=1500&authorisedAmountCurrency=JPY&cardSummary=1111';
    const tx = only(toCanonical(payload, ctx));
    expect(tx.currency).toBe('JPY');
    expect(tx.total).toBe('1500');
    expect(tx.findings).toEqual([]);
  });

  test('a three-decimal currency (KWD) keeps its fils', () => {
    const payload = fixture('payment-success.json');
    const p = paymentResponse(payload);
    p.PaymentResult.AmountsResp = { AuthorizedAmount: 7.125, Currency: 'KWD' };
    p.Response.AdditionalResponse = 'authorisedAmountValue=7125&authorisedAmountCurrency=KWD';
    const tx = only(toCanonical(payload, ctx));
    expect(tx.total).toBe('7.125');
    expect(tx.findings).toEqual([]);
  });

  test('currencies that disagree give an error', () => {
    const payload = fixture('payment-success.json');
    paymentResponse(payload).PaymentResult.AmountsResp.Currency = 'EUR';
    const tx = only(toCanonical(payload, ctx));
    expect(tx.currency).toBe('EUR');
    expect(codes(tx)).toEqual(['source.adyen.currency_mismatch']);
  });
});

describe('adyen adapter: time', () => {
  test('an offset timestamp is converted to UTC and the business day taken in the store zone', () => {
    const payload = fixture('payment-success.json');
    paymentResponse(payload).POIData.POITransactionID.TimeStamp = '2026-11-30T21:30:00.000-05:00';
    const tx = only(toCanonical(payload, ctx));
    expect(tx.occurredAt).toBe('2026-12-01T02:30:00.000Z');
    expect(tx.businessDate).toBe('2026-11-30');
  });

  test('a timestamp without offset is read in the configured zone', () => {
    const payload = fixture('payment-success.json');
    paymentResponse(payload).POIData.POITransactionID.TimeStamp = '2026-11-30T09:05:09';
    const tx = only(toCanonical(payload, ctx));
    expect(tx.occurredAt).toBe('2026-11-30T14:05:09.000Z');
    expect(tx.findings).toEqual([]);
  });

  test('a timestamp without offset and no configured zone is an error, read as UTC', () => {
    const payload = fixture('payment-success.json');
    paymentResponse(payload).POIData.POITransactionID.TimeStamp = '2026-11-30T09:05:09';
    const tx = only(toCanonical(payload, { ...ctx, timeZone: null }));
    expect(tx.occurredAt).toBe('2026-11-30T09:05:09.000Z');
    expect(tx.businessDate).toBe('2026-11-30');
    expect(codes(tx)).toEqual(['time.zone_unknown']);
  });
});

describe('adyen adapter: ids and bad input', () => {
  test('a numeric SaleTransactionID beyond 2^53 is kept exact when it is the key', () => {
    const text = fixtureText('payment-success.json')
      .replace('"TransactionID": "27908"', '"TransactionID": 900719925474099312345')
      .replace(/"POIData": \{[\s\S]*?\}\s*\}\s*,/, '');
    const parsed = adyenAdapter.parse(text);
    expect(parsed.ok).toBe(true);
    const tx = only(toCanonical(parsed.ok ? parsed.value : null, ctx));
    expect(tx.sourceKey).toBe('sale:POS-S042-R3/900719925474099312345');
    expect(tx.occurredAt).toBe('2026-11-30T14:05:02.000Z');
  });

  test('a payload that is not a terminal response gives schema findings with paths', () => {
    expect(toCanonical({}, ctx)).toEqual({
      transactions: [],
      findings: [expect.objectContaining({ code: 'payload.schema', severity: 'error', path: '/SaleToPOIResponse' })],
    });
    const noPoi = { SaleToPOIResponse: { MessageHeader: { MessageCategory: 'Payment' }, PaymentResponse: {} } };
    expect(toCanonical(noPoi, ctx).findings.map((f) => f.path)).toEqual(['/SaleToPOIResponse/MessageHeader/POIID']);
    const badAmount = fixture('payment-success.json');
    paymentResponse(badAmount).PaymentResult.AmountsResp.AuthorizedAmount = 'twenty';
    const result = toCanonical(badAmount, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/SaleToPOIResponse/PaymentResponse/PaymentResult/AmountsResp/AuthorizedAmount'],
    ]);
  });

  test('a response that moves no money gives a warning and no transaction', () => {
    const payload = { SaleToPOIResponse: { MessageHeader: { MessageCategory: 'Diagnosis', POIID: 'V400m-1' }, DiagnosisResponse: {} } };
    expect(toCanonical(payload, ctx)).toEqual({
      transactions: [],
      findings: [
        {
          code: 'source.adyen.unsupported_message',
          severity: 'warning',
          path: '/SaleToPOIResponse',
          message: 'no PaymentResponse or ReversalResponse (category Diagnosis): no transaction',
        },
      ],
    });
  });

  test('malformed JSON text is a finding from parse, not an exception', () => {
    const parsed = adyenAdapter.parse('{"SaleToPOIResponse": ');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.finding.code).toBe('payload.malformed_json');
  });

  test('toCanonical never throws and always returns arrays (fc.anything)', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const r = toCanonical(value, ctx);
        return Array.isArray(r.transactions) && Array.isArray(r.findings);
      }),
      { numRuns: 300 },
    );
  });

  test('toCanonical never throws on JSON values, nor on mutations of a real response', () => {
    const base = fixture('payment-success.json');
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('MessageHeader', 'PaymentResponse'), (value, key) => {
        const r1 = toCanonical(value, ctx);
        const mutated = { SaleToPOIResponse: { ...base.SaleToPOIResponse, [key]: value } };
        const r2 = toCanonical(mutated, ctx);
        for (const tx of r2.transactions) CanonicalTransaction.parse(tx);
        return [r1, r2].every((r) => Array.isArray(r.transactions) && Array.isArray(r.findings));
      }),
      { numRuns: 300 },
    );
  });
});

describe('adyen adapter: AdditionalResponse pairs', () => {
  const reference = (text: string) => {
    const out = new Map<string, string>();
    for (const [k, v] of new URLSearchParams(text)) out.set(k, v);
    return [...out];
  };
  const read = (text: string) => [...readFormPairs(text, new Map())];

  it('reads pairs as URLSearchParams does', () => {
    for (const text of ['a=1&b=2', 'a=1&&b=2&', '=x&a', 'a&b=', 'a=1=2', 'a=1&a=2&b=3', ' a = b ', '?a=1', 'a=%41+b', 'a%3Db=c%26d', 'k=1%2F2027+x%2B', 'x=%7F%80', '&', '']) {
      expect(read(text)).toEqual(reference(text));
    }
  });

  it('matches URLSearchParams on generated text', () => {
    // Mostly the characters that matter to the split and to decoding, plus any code unit at all.
    const char = fc.oneof(
      fc.constantFrom('&', '=', '%', '+', '?', ' ', 'a', 'b', '1', '%4', '%41', '%2B', '%2b', '%3D', '%26', '%25', '%7F', '%80', '%E2%82%AC', '%zz', '\t', 'é', '\ud800'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    const text = fc.array(char, { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(read(t)).toEqual(reference(t));
      }),
      { numRuns: 5000 },
    );
  });
});
