import fc from 'fast-check';
import { CanonicalTransaction } from '../../shared/model';
import { serializeTransactions, transformPayload } from '../../shared/pipeline/transformPayload';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { adapterFor } from '../../shared/sources/registry';
import { arbCanonical, sale } from '../support/canonical';

const ctx = { timeZone: 'America/New_York', currency: 'USD', pseudonymize: createPseudonymizer('test-key-0123456789abcdef') };
const NOW = Date.parse('2026-12-01T00:00:00Z');
const canonical = adapterFor('canonical')!;

describe('transformPayload', () => {
  it('reads a JSON array of payloads', () => {
    const body = JSON.stringify([sale({ sourceKey: 'a' }), sale({ sourceKey: 'b' })]);
    const r = transformPayload(canonical, body, ctx, NOW);
    expect(r.readable).toBe(true);
    expect(r.transactions.map((t) => t.sourceKey)).toEqual(['a', 'b']);
    expect(r.findings).toEqual([]);
  });

  it('reads NDJSON and reports a bad line by its number without losing the others', () => {
    const body = [JSON.stringify(sale({ sourceKey: 'a' })), '{"broken": ', JSON.stringify(sale({ sourceKey: 'c' }))].join('\n');
    const r = transformPayload(canonical, body, ctx, NOW);
    expect(r.transactions.map((t) => t.sourceKey)).toEqual(['a', 'c']);
    expect(r.findings.map((f) => `${f.code}@${f.path}`)).toEqual(['payload.malformed_json@/line/2']);
  });

  it('is unreadable when nothing parses', () => {
    const r = transformPayload(canonical, 'not json', ctx, NOW);
    expect(r.readable).toBe(false);
    expect(r.transactions).toEqual([]);
    expect(r.findings[0]!.code).toBe('payload.malformed_json');
  });

  it('masks a card number before parsing, in the stored text and in the output', () => {
    const tx = sale({ lines: [{ ...sale().lines[0]!, description: 'paid with 4111 1111 1111 1111' }] });
    const r = transformPayload(canonical, JSON.stringify(tx), ctx, NOW);
    expect(r.scrubbedText).not.toContain('4111 1111 1111 1111');
    expect(r.scrubbedText).toContain('4111 11** **** 1111');
    expect(r.transactions[0]!.lines[0]!.description).toBe('paid with 4111 11** **** 1111');
    expect(r.findings.map((f) => f.code)).toEqual(['privacy.card_number_masked']);
  });

  it('appends quality findings to the transactions', () => {
    const r = transformPayload(canonical, JSON.stringify(sale({ total: '99.00', tenders: [{ method: 'cash', amount: '99.00' }] })), ctx, NOW);
    expect(r.transactions[0]!.findings.map((f) => f.code)).toEqual(['total.lines_mismatch']);
  });

  it('serialize then parse is the identity for any canonical transaction', () => {
    fc.assert(
      fc.property(arbCanonical, (tx) => {
        const back = CanonicalTransaction.parse(JSON.parse(serializeTransactions(tx)));
        expect(back).toEqual(tx);
        // And through the canonical adapter: same transaction, no new findings.
        const again = transformPayload(canonical, serializeTransactions(tx), { ...ctx, timeZone: null }, NOW);
        expect(again.transactions).toHaveLength(1);
        expect({ ...again.transactions[0]!, findings: [] }).toEqual(tx);
      }),
      { numRuns: 200 },
    );
  });
});
