// Acceptance: canonical transactions loaded into the stand-in: idempotence, round trip, quarantine.
// (The 50,000-row load under throttling is in throttledLoad.test.ts, to keep each file short.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Big from 'big.js';
import fc from 'fast-check';
import { startDataverseStandIn, type DataverseStandIn } from '../../local/dataverse/startDataverseStandIn';
import { createDataverseClient, lineKey, loadTransactions, quarantineFailures, toKeyValue } from '../../shared/dataverse';
import { arbCanonical, line, sale, salesOverStores } from '../support/canonical';

const started: DataverseStandIn[] = [];
const tmpDirs: string[] = [];
async function standIn(...args: Parameters<typeof startDataverseStandIn>) {
  const dv = await startDataverseStandIn(...args);
  started.push(dv);
  return dv;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

test('loading the same transactions twice leaves Dataverse unchanged the second time', async () => {
  const dv = await standIn({ limits: { requestsPerWindow: 1000, windowMs: 1000, maxConcurrent: 52 } });
  const client = createDataverseClient({ environmentUrl: dv.url });
  const txs = [...salesOverStores(300, 'I'), sale({ sourceKey: 'I/c', customer: { emailRef: 'em_x' } })];
  const first = await loadTransactions(client, txs);
  const snapshot = ['pos_stores', 'contacts', 'pos_transactions', 'pos_transactionlines'].map((s) => dv.rows(s));
  const second = await loadTransactions(client, txs);
  expect(second).toEqual(first);
  expect(['pos_stores', 'contacts', 'pos_transactions', 'pos_transactionlines'].map((s) => dv.rows(s))).toEqual(snapshot);
  expect(snapshot.map((rows) => rows.length)).toEqual([21, 1, 301, 1201]);
});

test('round trip: GET with $filter on the key returns the mapped values', async () => {
  const dv = await standIn({ limits: { requestsPerWindow: 1000, windowMs: 1000, maxConcurrent: 52 } });
  const client = createDataverseClient({ environmentUrl: dv.url });
  const txs = [
    sale({ customer: { loyaltyRef: 'ly_7' }, storeId: 'NYC/5th' }),
    ...fc.sample(arbCanonical, { numRuns: 25, seed: 20261130 }),
  ];
  const unique = [...new Map(txs.map((t) => [t.id, t])).values()];
  const result = await loadTransactions(client, unique);
  expect(result.failures).toEqual([]);
  for (const tx of unique) {
    const [row] = await client.query('pos_transactions', { filter: `pos_hubid eq '${tx.id.replace(/'/g, "''")}'` });
    expect(row).toBeDefined();
    const num = (v: unknown) => new Big(v as number).toFixed();
    expect({
      source: row!.pos_source,
      sourceKey: row!.pos_sourcekey,
      kind: row!.pos_kind,
      channel: row!.pos_channel,
      businessDate: row!.pos_businessdate,
      occurredAt: row!.pos_occurredat,
      currency: row!.pos_currency,
      total: num(row!.pos_total),
      taxTotal: row!.pos_taxtotal === null ? null : num(row!.pos_taxtotal),
      lineCount: row!.pos_linecount,
    }).toEqual({
      source: tx.source,
      sourceKey: tx.sourceKey,
      kind: tx.kind,
      channel: tx.channel,
      businessDate: tx.businessDate,
      occurredAt: tx.occurredAt.replace(/\.\d{3}Z$/, 'Z'),
      currency: tx.currency,
      total: new Big(tx.total).toFixed(),
      taxTotal: tx.taxTotal === null ? null : new Big(tx.taxTotal).toFixed(),
      lineCount: tx.lines.length,
    });
    if (tx.storeId !== null) {
      const [store] = await client.query('pos_stores', { filter: `pos_hubstoreid eq '${toKeyValue(tx.storeId).replace(/'/g, "''")}'` });
      expect([store!.pos_name, store!.pos_storeid]).toEqual([tx.storeId, row!._pos_storeid_value]);
    }
    const lines = await client.query('pos_transactionlines', {
      filter: `_pos_transactionid_value eq ${String(row!.pos_transactionid)}`,
      select: ['pos_lineno', 'pos_sku', 'pos_quantity', 'pos_unitprice', 'pos_amount'],
    });
    expect(lines.sort((a, b) => Number(a.pos_lineno) - Number(b.pos_lineno)).map((l) => [l.pos_lineno, l.pos_sku, num(l.pos_quantity), num(l.pos_unitprice), num(l.pos_amount)])).toEqual(
      tx.lines.map((l) => [l.lineNo, l.sku, new Big(l.quantity).toFixed(), new Big(l.unitPrice).toFixed(), new Big(l.amount).toFixed()]),
    );
  }
  const [customer] = await client.query('contacts', { filter: "pos_customerref eq 'l-ly_7'", select: ['pos_loyaltyref'] });
  expect(customer!.pos_loyaltyref).toBe('ly_7');
}, 30_000);

test('rows the service refuses are isolated by $batch and quarantined with its error; the rest load', async () => {
  // A deployment whose SKU column is narrower than the hub assumes: the service, not the mapping, refuses.
  const dir = mkdtempSync(path.join(tmpdir(), 'pos-hub-dvq-'));
  tmpDirs.push(dir);
  const tables = JSON.parse(readFileSync(path.join(__dirname, '../../dataverse/tables.json'), 'utf8')) as {
    entities: Array<{ LogicalName: string; Attributes: Array<{ LogicalName: string; MaxLength?: number }> }>;
  };
  tables.entities.find((e) => e.LogicalName === 'pos_transactionline')!.Attributes.find((a) => a.LogicalName === 'pos_sku')!.MaxLength = 6;
  writeFileSync(path.join(dir, 'tables.json'), JSON.stringify(tables));
  const dv = await standIn({ tablesFile: path.join(dir, 'tables.json') });
  const client = createDataverseClient({ environmentUrl: dv.url });

  const good = salesOverStores(30, 'Q');
  const badSku = sale({ sourceKey: 'Q/bad-sku', lines: [line(), line({ lineNo: 2, sku: 'SKU-TOO-LONG' })] });
  const badMoney = sale({ sourceKey: 'Q/bad-money', total: '21.6000001' });
  const txs = [...good.slice(0, 10), badSku, badMoney, ...good.slice(10)];
  const result = await loadTransactions(client, txs);

  expect(result.failures).toEqual([
    {
      table: 'pos_transactionline',
      keyValue: lineKey(badSku.id, 2),
      origins: [badSku.id],
      error: { status: 400, code: '0x80044331', message: "Column 'pos_sku' of table 'pos_transactionline': length 12 is over the maximum of 6." },
      retryable: false,
      contentId: expect.stringMatching(/^\d+$/),
    },
  ]);
  expect(result.loaded.sort()).toEqual(good.map((t) => t.id).sort());
  expect(dv.rows('pos_transactionlines')).toHaveLength(121); // 30 x 4 + the good line of badSku

  const records = quarantineFailures(result, txs);
  expect(records.map((r) => [r.transaction.id, r.retryable, r.findings.map((f) => f.code)])).toEqual([
    [badSku.id, false, ['dataverse.rejected']],
    [badMoney.id, false, ['dataverse.decimal_precision']],
  ]);
  expect(records[0]!.findings[0]).toEqual({
    code: 'dataverse.rejected',
    severity: 'error',
    path: `/dataverse/pos_transactionline/${lineKey(badSku.id, 2)}`,
    message: "400 0x80044331: Column 'pos_sku' of table 'pos_transactionline': length 12 is over the maximum of 6.",
  });
});
