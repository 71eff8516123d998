// Mapping canonical transactions to Dataverse rows, and the table definitions the rows rely on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toDataverseRow, toKeyValue, keyPredicate, customerKey, LOAD_ORDER, NAV } from '../../shared/dataverse';
import { line, sale } from '../support/canonical';

const tables = JSON.parse(readFileSync(path.join(__dirname, '../../dataverse/tables.json'), 'utf8')) as {
  entities: Array<{ LogicalName: string; EntitySetName: string; Attributes: Array<{ LogicalName: string; '@odata.type': string; Precision?: number }>; Keys: Array<{ KeyAttributes: string[] }> }>;
  relationships: Array<{ ReferencingEntity: string; ReferencedEntity: string; ReferencingEntityNavigationPropertyName: string }>;
};

describe('toDataverseRow', () => {
  test('a sale becomes a store, a transaction and its lines, keyed and bound by alternate keys', () => {
    const tx = sale();
    const result = toDataverseRow(tx);
    if (!result.ok) throw new Error('expected ok');
    expect(result.rows.map((r) => [r.table.logicalName, r.keyValue])).toEqual([
      ['pos_store', 'S042'],
      ['pos_transaction', tx.id],
      ['pos_transactionline', `${tx.id}-1`],
    ]);
    expect(result.rows[1]!.columns).toEqual({
      pos_name: 'canonical:S042/R1/2026-11-30/1001',
      pos_source: 'canonical',
      pos_sourcekey: 'S042/R1/2026-11-30/1001',
      pos_kind: 'sale',
      pos_channel: 'store',
      pos_registerid: 'R1',
      pos_operatorid: 'OP7',
      pos_businessdate: '2026-11-30',
      pos_occurredat: '2026-11-30T15:04:05Z',
      pos_currency: 'USD',
      pos_total: 21.6,
      pos_taxtotal: 1.6,
      pos_discounttotal: 0,
      pos_linecount: 1,
      pos_originalsourcekey: null,
      'pos_StoreId@odata.bind': "/pos_stores(pos_hubstoreid='S042')",
    });
    expect(result.rows[2]!.columns).toEqual({
      pos_name: 'SKU-1 Coffee beans 1kg',
      pos_lineno: 1,
      pos_sku: 'SKU-1',
      pos_gtin: null,
      pos_description: 'Coffee beans 1kg',
      pos_quantity: 2,
      pos_unitprice: 10,
      pos_amount: 20,
      pos_discount: 0,
      pos_tax: 1.6,
      'pos_TransactionId@odata.bind': `/pos_transactions(pos_hubid='${tx.id}')`,
    });
    expect(result.rows.every((r) => r.origins.length === 1 && r.origins[0] === tx.id)).toBe(true);
  });

  test('a customer becomes a contact keyed by its first pseudonymized reference, and the transaction binds to it', () => {
    const tx = sale({ customer: { emailRef: 'em_abc', loyaltyRef: 'ly_9' } });
    const result = toDataverseRow(tx);
    if (!result.ok) throw new Error('expected ok');
    const contact = result.rows.find((r) => r.table.logicalName === 'contact')!;
    expect(contact.keyValue).toBe('l-ly_9');
    expect(contact.columns).toEqual({ pos_emailref: 'em_abc', pos_phoneref: null, pos_loyaltyref: 'ly_9' });
    expect(result.rows.find((r) => r.table.logicalName === 'pos_transaction')!.columns['pos_ContactId@odata.bind']).toBe("/contacts(pos_customerref='l-ly_9')");
    expect(customerKey({})).toBeNull();
    expect(customerKey({ ref: 'G1', emailRef: 'e' })).toBe('r-G1');
  });

  test('money with more decimals than the column keeps is refused with findings, not rounded', () => {
    const tx = sale({ total: '21.6000001', lines: [line({ unitPrice: '10.1234567', tax: '0.864646875' })] });
    const result = toDataverseRow(tx);
    expect(result).toEqual({
      ok: false,
      findings: [
        { code: 'dataverse.decimal_precision', severity: 'error', path: '/total', message: '21.6000001 has 7 decimal places; Dataverse keeps 6' },
        { code: 'dataverse.decimal_precision', severity: 'error', path: '/lines/0/unitPrice', message: '10.1234567 has 7 decimal places; Dataverse keeps 6' },
        { code: 'dataverse.decimal_precision', severity: 'error', path: '/lines/0/tax', message: '0.864646875 has 9 decimal places; Dataverse keeps 6' },
      ],
    });
  });

  test('Lightspeed X-Series 5- and 6-decimal amounts travel exactly', () => {
    const tx = sale({ total: '50.000001', taxTotal: '6.52174', lines: [line({ unitPrice: '43.47826', amount: '43.47826', tax: '6.52174', quantity: '1.000001' })] });
    const result = toDataverseRow(tx);
    if (!result.ok) throw new Error(`expected ok: ${JSON.stringify(result.findings)}`);
    const txBody = JSON.stringify(result.rows.find((r) => r.table.logicalName === 'pos_transaction')!.columns);
    expect(txBody).toContain('"pos_total":50.000001');
    expect(txBody).toContain('"pos_taxtotal":6.52174');
    const lineBody = JSON.stringify(result.rows.find((r) => r.table.logicalName === 'pos_transactionline')!.columns);
    expect(lineBody).toContain('"pos_unitprice":43.47826');
    expect(lineBody).toContain('"pos_amount":43.47826');
    expect(lineBody).toContain('"pos_tax":6.52174');
    expect(lineBody).toContain('"pos_quantity":1.000001');
  });

  test('6 decimals with more than 15 significant digits go out only when a double holds them exactly, never rounded', () => {
    // 17 digits: 99999999999.999999 is the double 100000000000 (refused); 12345678901.123457 is a
    // double whose shortest text is the decimal itself (sent).
    expect(toDataverseRow(sale({ total: '99999999999.999999' }))).toEqual({
      ok: false,
      findings: [{ code: 'dataverse.decimal_precision', severity: 'error', path: '/total', message: '99999999999.999999 cannot be sent as an exact JSON number' }],
    });
    const result = toDataverseRow(sale({ total: '12345678901.123457', discountTotal: '-0.000001' }));
    if (!result.ok) throw new Error(`expected ok: ${JSON.stringify(result.findings)}`);
    const body = JSON.stringify(result.rows[1]!.columns);
    expect(body).toContain('"pos_total":12345678901.123457');
    expect(body).toContain('"pos_discounttotal":-0.000001');
  });

  test('amounts beyond the decimal range and duplicate line numbers are findings', () => {
    const result = toDataverseRow(sale({ total: '100000000000.01', lines: [line(), line()] }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['dataverse.decimal_range', '/total'],
      ['dataverse.duplicate_line', '/lines/1/lineNo'],
    ]);
  });

  test('large exact amounts travel as JSON numbers whose text is the decimal itself', () => {
    const result = toDataverseRow(sale({ total: '-99999999999.9999', taxTotal: null }));
    if (!result.ok) throw new Error('expected ok');
    const body = JSON.stringify(result.rows[1]!.columns);
    expect(body).toContain('"pos_total":-99999999999.9999');
    expect(body).toContain('"pos_taxtotal":null');
  });

  test('store ids with characters a URL key cannot carry are hashed the same way in the row and in the lookup', () => {
    const result = toDataverseRow(sale({ storeId: 'NYC/5th&Main' }));
    if (!result.ok) throw new Error('expected ok');
    const hashed = toKeyValue('NYC/5th&Main');
    expect(hashed).toMatch(/^h_[0-9a-f]{40}$/);
    expect(result.rows[0]!.keyValue).toBe(hashed);
    expect(result.rows[0]!.columns.pos_name).toBe('NYC/5th&Main');
    expect(result.rows[1]!.columns['pos_StoreId@odata.bind']).toBe(`/pos_stores(pos_hubstoreid='${hashed}')`);
  });
});

describe('keys', () => {
  test('safe values stay as they are; unsafe, over-long and prefix-looking values are hashed', () => {
    expect(toKeyValue('S042')).toBe('S042');
    expect(toKeyValue("O'Brien St")).toBe("O'Brien St");
    for (const raw of ['a:b', 'a+b', 'a%b', 'a?b', 'a#b', 'x'.repeat(101), 'h_abc', ' padded', '']) {
      expect(toKeyValue(raw)).toMatch(/^h_[0-9a-f]{40}$/);
    }
    expect(toKeyValue('a:b')).not.toBe(toKeyValue('a:c'));
  });

  test('key predicates quote strings, double single quotes and percent-encode the rest', () => {
    expect(keyPredicate({ pos_hubid: 'abc' })).toBe("(pos_hubid='abc')");
    expect(keyPredicate({ pos_name: "O'Brien St" })).toBe("(pos_name='O''Brien%20St')");
    expect(keyPredicate({ a: 'x', b: 2 })).toBe("(a='x',b=2)");
    expect(() => keyPredicate({ a: 'x/y' })).toThrow(/cannot carry/);
  });
});

describe('dataverse/tables.json', () => {
  const entity = (logical: string) => tables.entities.find((e) => e.LogicalName === logical)!;

  test('defines every table the loader writes, with its entity set and alternate key', () => {
    for (const t of LOAD_ORDER) {
      const e = entity(t.logicalName);
      expect(e.EntitySetName).toBe(t.entitySet);
      expect(e.Keys.map((k) => k.KeyAttributes)).toEqual([[t.keyColumn]]);
      expect(e.Attributes.some((a) => a.LogicalName === t.keyColumn)).toBe(true);
    }
  });

  test('every column the mapping sends exists with a matching type, and every lookup is a relationship', () => {
    const tx = sale({ customer: { emailRef: 'em_1', phoneRef: 'ph_1', loyaltyRef: 'ly_1' }, originalRef: { sourceKey: 'x' } });
    const result = toDataverseRow(tx);
    if (!result.ok) throw new Error('expected ok');
    for (const row of result.rows) {
      const e = entity(row.table.logicalName);
      for (const [column, value] of Object.entries(row.columns)) {
        if (column.endsWith('@odata.bind')) {
          const nav = column.slice(0, -'@odata.bind'.length);
          expect(tables.relationships.some((r) => r.ReferencingEntity === row.table.logicalName && r.ReferencingEntityNavigationPropertyName === nav)).toBe(true);
          continue;
        }
        const attr = e.Attributes.find((a) => a.LogicalName === column);
        expect([row.table.logicalName, column, attr !== undefined]).toEqual([row.table.logicalName, column, true]);
        if (typeof value === 'number' && !Number.isInteger(value)) expect(attr!['@odata.type']).toBe('Microsoft.Dynamics.CRM.DecimalAttributeMetadata');
      }
    }
    expect(Object.values(NAV).sort()).toEqual(tables.relationships.map((r) => r.ReferencingEntityNavigationPropertyName).sort());
  });
});
