// Cash rounding at Shopify POS (CAD 10.02 paid with 10.00 in cash): the adjustment is a `rounding` charge,
// the cash tender holds what changed hands, and the data-quality rules find nothing wrong with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CanonicalTransaction, type Finding } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { validateTransaction } from '../../shared/quality';
import { compileFastParser, REJECTED, UNKNOWN } from '../../shared/sources/fast/compileFastParser';
import { ShopifyOrder, ShopifyRefund, shopifyAdapter, toCanonical } from '../../shared/sources/shopify';
import type { SourceContext } from '../../shared/sources/types';
import { expectTotalsIdentity } from '../support/totalsIdentity';

const ctx: SourceContext = {
  timeZone: 'America/Toronto',
  currency: 'CAD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};
/** The parts of the fixtures the tests edit. */
interface TxJson {
  amount: string;
  amount_rounding?: unknown;
  gateway: string;
  payment_details: unknown;
}
type MoneySetJson = { shop_money: { amount: string } };
interface OrderJson {
  transactions?: TxJson[];
  payment_gateway_names: string[];
  financial_status: string;
  total_cash_rounding_payment_adjustment_set: MoneySetJson;
  total_cash_rounding_refund_adjustment_set: MoneySetJson;
}
interface RefundJson {
  transactions: [TxJson];
}
const load = (name: string): unknown => {
  const parsed = shopifyAdapter.parse(readFileSync(join(__dirname, '..', 'fixtures', 'shopify', name), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value;
};
const order = () => load('order-pos-cash-rounding.json') as { order: OrderJson & { transactions: [TxJson] } };
const refund = () => load('refund-pos-cash-rounding.json') as RefundJson;

function only(payload: unknown): CanonicalTransaction {
  const result = toCanonical(payload, ctx);
  expect(result.findings).toEqual([]);
  expect(result.transactions).toHaveLength(1);
  return CanonicalTransaction.parse(result.transactions[0]);
}
const errorsOf = (tx: CanonicalTransaction): Finding[] =>
  [...tx.findings, ...validateTransaction(tx, { now: Date.parse('2027-01-01T00:00:00Z'), timeZone: ctx.timeZone })].filter(
    (f) => f.severity === 'error',
  );
const money = (tx: CanonicalTransaction) => ({
  total: tx.total,
  taxTotal: tx.taxTotal,
  charges: tx.charges ?? [],
  tenders: tx.tenders.map((t) => [t.method, t.amount]),
});

describe('shopify cash rounding: a CAD POS sale of 10.02 paid with 10.00 in cash', () => {
  it('totals what was paid, with the -0.02 as a rounding charge and a 10.00 cash tender', () => {
    const tx = only(order());
    expect(money(tx)).toEqual({
      total: '10.00',
      taxTotal: '1.07',
      charges: [{ type: 'rounding', amount: '-0.02', description: 'cash rounding' }],
      tenders: [['cash', '10.00']],
    });
    expect(tx.lines.map((l) => [l.sku, l.amount, l.tax])).toEqual([['WB-340-MED', '8.95', '1.07']]);
    expectTotalsIdentity(tx, false);
    expect(errorsOf(tx)).toEqual([]);
  });

  it('gives the same sale from the webhook body, which has no transactions', () => {
    const bare: OrderJson = order().order;
    delete bare.transactions;
    const tx = only(bare);
    expect(money(tx)).toEqual(money(only(order())));
    expect(errorsOf(tx)).toEqual([]);
  });

  it('puts the order-level adjustment on the single cash payment when the transaction states none', () => {
    const o = order();
    delete o.order.transactions[0].amount_rounding;
    const tx = only(o);
    expect(money(tx).tenders).toEqual([['cash', '10.00']]);
    expect(errorsOf(tx)).toEqual([]);
  });

  it('leaves a cash payment recorded already rounded (10.00) as it is', () => {
    const o = order();
    delete o.order.transactions[0].amount_rounding;
    o.order.transactions[0].amount = '10.00';
    const tx = only(o);
    expect(money(tx).tenders).toEqual([['cash', '10.00']]);
    expect(errorsOf(tx)).toEqual([]);
  });

  it('reads a transaction rounding given as a money set too', () => {
    const o = order();
    o.order.transactions[0].amount_rounding = { shop_money: { amount: '-0.02', currency_code: 'CAD' } };
    expect(money(only(o))).toEqual(money(only(order())));
  });

  it("does not let the order's refund adjustment change the sale (the refund is its own transaction)", () => {
    const o = order();
    o.order.total_cash_rounding_refund_adjustment_set.shop_money.amount = '-0.02';
    o.order.financial_status = 'refunded';
    expect(money(only(o))).toEqual(money(only(order())));
  });
});

describe('shopify cash rounding: the refund paid back as 10.00 in cash', () => {
  it('is a -10.00 return with a +0.02 rounding charge, a -10.00 cash tender and no error', () => {
    const tx = only(refund());
    expect(tx).toMatchObject({ kind: 'return', sourceKey: 'refund:1029384756102', originalRef: { sourceKey: '6104827391023' } });
    expect(money(tx)).toEqual({
      total: '-10.00',
      taxTotal: '-1.07',
      charges: [{ type: 'rounding', amount: '0.02', description: 'cash rounding' }],
      tenders: [['cash', '-10.00']],
    });
    expect(tx.findings).toEqual([]);
    expectTotalsIdentity(tx, false);
    expect(errorsOf(tx)).toEqual([]);
  });

  it('without a rounding the refund of 10.02 stays 10.02', () => {
    const r = refund();
    delete r.transactions[0].amount_rounding;
    const tx = only(r);
    expect(money(tx)).toEqual({ total: '-10.02', taxTotal: '-1.07', charges: [], tenders: [['cash', '-10.02']] });
    expect(errorsOf(tx)).toEqual([]);
  });
});

describe('shopify cash rounding: what it must not touch or hide', () => {
  it('a card order with a zero adjustment is unchanged: no rounding charge, the card pays total_price', () => {
    const o = order();
    o.order.payment_gateway_names = ['shopify_payments'];
    o.order.total_cash_rounding_payment_adjustment_set.shop_money.amount = '0.00';
    Object.assign(o.order.transactions[0], {
      gateway: 'shopify_payments',
      amount_rounding: null,
      payment_details: { credit_card_company: 'Visa', credit_card_number: '•••• •••• •••• 4242' },
    });
    const tx = only(o);
    expect(money(tx)).toEqual({ total: '10.02', taxTotal: '1.07', charges: [], tenders: [['card', '10.02']] });
    expect(errorsOf(tx)).toEqual([]);
  });

  it('the split cash/card EUR order keeps its tenders and has no charge', () => {
    const tx = only(load('order-pos-big-id.json'));
    expect(money(tx)).toEqual({
      total: '62.30',
      taxTotal: '9.95',
      charges: [],
      tenders: [
        ['cash', '20.00'],
        ['card', '42.30'],
      ],
    });
  });

  it('a cash payment that does not reconcile with the rounded total still gets the tenders error', () => {
    const o = order();
    o.order.transactions[0].amount = '9.50';
    const tx = only(o);
    expect(money(tx)).toMatchObject({ total: '10.00', tenders: [['cash', '9.48']] });
    expect(errorsOf(tx).map((f) => f.code)).toEqual(['total.tenders_mismatch']);
  });

  it('an order-level adjustment that cannot be placed leaves the payment as recorded, and the error stands', () => {
    const o = order();
    delete o.order.transactions[0].amount_rounding;
    o.order.transactions[0].amount = '9.50';
    const tx = only(o);
    expect(money(tx)).toMatchObject({ total: '10.00', tenders: [['cash', '9.50']] });
    expect(errorsOf(tx).map((f) => f.code)).toEqual(['total.tenders_mismatch']);
  });

  it('a refund whose rounding makes the tender disagree with its parts keeps the mismatch warning', () => {
    const r = refund();
    r.transactions[0].amount = '12.00';
    const result = toCanonical(r, ctx).transactions[0]!;
    expect(result.findings.map((f) => f.code)).toEqual(['source.shopify.refund_total_mismatch']);
    expect(result.total).toBe('-11.98');
  });
});

describe('shopify cash rounding: the fast parser agrees with zod on the new fields', () => {
  const fastOrder = compileFastParser(ShopifyOrder);
  const fastRefund = compileFastParser(ShopifyRefund);
  const variants: unknown[] = ['-0.02', -0.02, null, { shop_money: { amount: '-0.02', currency_code: 'CAD' } }, 'abc', true, {}];

  it.each(variants.map((v) => [JSON.stringify(v), v]))('amount_rounding %s', (_label, value) => {
    for (const [fast, schema, payload] of [
      [fastOrder, ShopifyOrder, order().order],
      [fastRefund, ShopifyRefund, refund()],
    ] as const) {
      const p = structuredClone(payload) as RefundJson;
      p.transactions[0].amount_rounding = value;
      const zod = schema.safeParse(p);
      const got = fast(p);
      if (got === UNKNOWN) continue;
      if (got === REJECTED) expect(zod.success).toBe(false);
      else expect(got).toStrictEqual(zod.data);
    }
  });

  it('rejects a malformed payment adjustment as zod does', () => {
    const p = order().order;
    p.total_cash_rounding_payment_adjustment_set.shop_money.amount = '1e5';
    expect(ShopifyOrder.safeParse(p).success).toBe(false);
    expect([REJECTED, UNKNOWN]).toContain(fastOrder(p));
    expect(toCanonical(p, ctx).transactions).toEqual([]);
  });
});
