import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { generatePoslog } from '../../bench/generators/poslog';
import { createRng } from '../../bench/rng';
import { PosLogTransaction } from '../../shared/sources/poslog';
import { readPosLogTransaction } from '../../shared/sources/readPosLogTransaction';
import { parseXml } from '../../shared/sources/xml';

/** The hand reading either steps aside or gives exactly what the zod schema gives. */
function check(raw: unknown): boolean {
  const fast = readPosLogTransaction(raw);
  if (fast === undefined) return false;
  const zod = PosLogTransaction.safeParse(raw);
  expect(zod.success).toBe(true);
  expect(fast).toEqual(zod.data);
  return true;
}

const transactionsOf = (xml: string): unknown[] => {
  const r = parseXml(xml);
  if (!r.ok) throw new Error(r.finding.message);
  const t = (r.value as { POSLog: { Transaction: unknown } }).POSLog.Transaction;
  return Array.isArray(t) ? t : [t];
};

describe('readPosLogTransaction gives what the PosLogTransaction schema gives', () => {
  it('on the fixtures and generated payloads, all read by hand', () => {
    const dir = join(__dirname, '../fixtures/poslog');
    const rng = createRng(5);
    const docs = [
      ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')),
      ...Array.from({ length: 40 }, (_, i) => generatePoslog(rng, i)),
    ];
    for (const doc of docs) for (const t of transactionsOf(doc)) expect(check(t)).toBe(true);
  });

  it('on POSLog-shaped values with arbitrary leaves', () => {
    // Mostly valid leaves, so that deep valid transactions are common and one bad leaf in them is too.
    const leaf = fc.oneof(
      { arbitrary: fc.constantFrom('1.00', '-2', '+.5', '3.', ' 4 ', '0'), weight: 40 },
      {
        arbitrary: fc.record({ '#text': fc.constantFrom('1.00', '7'), '@_Currency': fc.constant('USD') }),
        weight: 6,
      },
      { arbitrary: fc.constantFrom('abc', '', '1,5', 'x', '1e3'), weight: 2 },
      {
        arbitrary: fc.record(
          { '#text': fc.constantFrom('abc', ''), '@_Currency': fc.constant('USD') },
          { requiredKeys: [] },
        ),
        weight: 1,
      },
      { arbitrary: fc.array(fc.constantFrom('2.50', 'abc')), weight: 1 },
      { arbitrary: fc.anything(), weight: 1 },
    );
    const maybe = <T>(a: fc.Arbitrary<T>) =>
      fc.oneof(
        { arbitrary: a, weight: 12 },
        { arbitrary: fc.array(a, { maxLength: 2 }), weight: 6 },
        { arbitrary: fc.constantFrom('', undefined), weight: 1 },
        { arbitrary: fc.anything(), weight: 1 },
      );
    const amount = fc.record({ Amount: leaf }, { requiredKeys: [] });
    const linkArb = fc.record({ TransactionID: leaf, BusinessUnit: maybe(leaf) }, { requiredKeys: [] });
    const item = fc.record(
      {
        Quantity: leaf,
        RegularSalesUnitPrice: leaf,
        ExtendedAmount: leaf,
        DiscountAmount: leaf,
        ItemID: leaf,
        POSIdentity: maybe(leaf),
        RetailPriceModifier: maybe(amount),
        Tax: maybe(amount),
        TransactionLink: maybe(linkArb),
        ReturnLink: maybe(linkArb),
      },
      { requiredKeys: [] },
    );
    const lineItem = fc.record(
      {
        Sale: item,
        Return: item,
        Tender: fc.record({ Amount: leaf, TenderChange: maybe(amount) }, { requiredKeys: [] }),
        TenderChange: amount,
        Tax: maybe(amount),
        Discount: amount,
        LoyaltyReward: fc.record({ Amount: leaf, ExtendedRewardAmount: leaf }, { requiredKeys: [] }),
        '@_VoidFlag': leaf,
      },
      { requiredKeys: [] },
    );
    const tx = fc.record(
      {
        TransactionID: leaf,
        BusinessUnit: maybe(leaf),
        RetailTransaction: fc.oneof(
          {
            arbitrary: fc.record(
              {
                LineItem: maybe(lineItem),
                Total: maybe(leaf),
                TransactionLink: maybe(linkArb),
                LoyaltyAccount: maybe(leaf),
              },
              { requiredKeys: [] },
            ),
            weight: 8,
          },
          { arbitrary: fc.anything(), weight: 1 },
        ),
        ControlTransaction: leaf,
      },
      { requiredKeys: [] },
    );
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: tx, weight: 9 }, { arbitrary: fc.anything(), weight: 1 }), (t) => {
        if (check(t)) fast++;
      }),
      { numRuns: 3000 },
    );
    // Both outcomes must be common, or the comparison proves little.
    expect(fast).toBeGreaterThan(300);
    expect(fast).toBeLessThan(2700);
  });
});
