// Property: whatever valid canonical transactions go in, reading the live partitions gives back the same
// transactions and the same exact totals.
import fc from 'fast-check';
import Big from 'big.js';
import { arbCanonical } from '../support/canonical';
import { CURATED_TABLE_NAMES, listPartitions, loadBatch, readPartition } from '../../shared/lake';
import { startLake, type Lake } from './lakeFixture';

let lake: Lake;
beforeAll(async () => {
  lake = await startLake();
}, 60_000);
afterAll(async () => {
  await lake?.stop();
});

test('load then read gives back the same totals, lines and tenders', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(arbCanonical, { minLength: 1, maxLength: 8 }), async (txs) => {
      const container = await lake.fresh();
      const r = await loadBatch(container, { batchId: 'prop', transactions: txs });
      // A repeated source key is one id twice: the second is quarantined, never a second row.
      const unique = [...new Map(txs.map((t) => [t.id, t] as const)).values()];
      const firstOf = new Map<string, (typeof txs)[number]>();
      for (const t of txs) if (!firstOf.has(t.id)) firstOf.set(t.id, t);
      expect(r.curated).toBe(unique.length);
      expect(r.quarantined).toBe(txs.length - unique.length);

      const read = Object.fromEntries(
        await Promise.all(
          CURATED_TABLE_NAMES.map(async (t) => {
            const parts = await listPartitions(container, t);
            const rows = (await Promise.all(parts.map((p) => readPartition(container, t, p)))).flatMap((p) => p.rows);
            return [t, rows] as const;
          }),
        ),
      );
      const txRows = read.transactions!;
      expect(txRows.map((x) => x.transaction_id).sort()).toEqual([...firstOf.keys()].sort());
      for (const row of txRows) {
        const t = firstOf.get(String(row.transaction_id))!;
        expect(new Big(String(row.total)).eq(t.total)).toBe(true);
        expect([row.store_id, row.business_date, row.occurred_at, row.source_key]).toEqual([t.storeId, t.businessDate, t.occurredAt, t.sourceKey]);
      }
      const all = [...firstOf.values()];
      const sumOf = (values: string[]) => values.reduce((s, v) => s.plus(v), new Big(0));
      expect(sumOf(txRows.map((x) => String(x.total))).eq(sumOf(all.map((t) => t.total)))).toBe(true);
      expect(read.transaction_lines).toHaveLength(all.reduce((n, t) => n + t.lines.length, 0));
      expect(sumOf(read.transaction_lines!.map((x) => String(x.quantity))).eq(sumOf(all.flatMap((t) => t.lines.map((l) => l.quantity))))).toBe(true);
      expect(sumOf(read.tenders!.map((x) => String(x.amount))).eq(sumOf(all.flatMap((t) => t.tenders.map((l) => l.amount))))).toBe(true);
    }),
    { numRuns: 5, seed: 20261130 },
  );
}, 55_000);
