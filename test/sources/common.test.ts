import { buildTransaction, type TransactionDraft } from '../../shared/sources/common';

function draft(currency: string | null, discounts: string[]): TransactionDraft {
  return {
    source: 'csv',
    sourceKey: 'T1',
    kind: 'sale',
    channel: 'store',
    storeId: 'S1',
    registerId: null,
    operatorId: null,
    businessDate: '2026-11-30',
    occurredAt: '2026-11-30T15:04:05.000Z',
    currency,
    total: '0',
    taxTotal: null,
    discounts: discounts.map((amount) => ({ amount })),
    lines: [],
    tenders: [],
    customer: null,
    originalRef: null,
  };
}

describe('buildTransaction', () => {
  it('writes discountTotal with the currency digits, keeping any further digits the discounts have', () => {
    expect(buildTransaction(draft('USD', ['4', '0.5'])).discountTotal).toBe('4.50');
    expect(buildTransaction(draft('USD', [])).discountTotal).toBe('0.00');
    expect(buildTransaction(draft('USD', ['0.12345'])).discountTotal).toBe('0.12345');
    expect(buildTransaction(draft('JPY', [])).discountTotal).toBe('0');
    expect(buildTransaction(draft('JPY', ['300', '20'])).discountTotal).toBe('320');
    expect(buildTransaction(draft('KWD', ['1.5'])).discountTotal).toBe('1.500');
  });
});
