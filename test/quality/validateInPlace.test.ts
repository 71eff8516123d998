import fc from 'fast-check';
import type { CanonicalTransaction } from '../../shared/model';
import { validateTransactions, type ValidateOptions } from '../../shared/quality';
import { arbCanonical, sale } from '../support/canonical';

const ctx: ValidateOptions = { now: Date.parse('2031-01-01T00:00:00Z'), timeZone: 'America/New_York' };

/**
 * A payload's transactions with what makes `inPlace` delicate: the same object listed twice, ids
 * repeated by different objects, findings already present, keys in another order, and a placeholder
 * (a finding of its own).
 */
const arbList = fc
  .tuple(
    fc.array(arbCanonical, { minLength: 1, maxLength: 5 }),
    fc.array(fc.tuple(fc.nat(20), fc.constantFrom('same', 'clone', 'findings', 'reorder', 'placeholder')), {
      maxLength: 6,
    }),
  )
  .map(([txs, edits]) => {
    const list: CanonicalTransaction[] = [...txs];
    for (const [at, edit] of edits) {
      const tx = list[at % list.length]!;
      if (edit === 'same') list.push(tx);
      else if (edit === 'clone') list.push(structuredClone(tx));
      else if (edit === 'findings') tx.findings = [{ code: 'given.one', severity: 'warning', path: '/', message: 'm' }];
      else if (edit === 'placeholder') tx.storeId = 'n/a';
      else list[at % list.length] = Object.fromEntries(Object.entries(tx).reverse()) as unknown as CanonicalTransaction;
    }
    return list;
  });

describe('validateTransactions inPlace', () => {
  test('gives what the copying form gives: same values, same key order, same serialized text', () => {
    fc.assert(
      fc.property(arbList, (list) => {
        const copied = validateTransactions(structuredClone(list), ctx);
        // structuredClone keeps an object listed twice as one object listed twice.
        const owned = structuredClone(list);
        const inPlace = validateTransactions(owned, { ...ctx, inPlace: true });
        expect(inPlace).toEqual(copied);
        expect(JSON.stringify(inPlace)).toBe(JSON.stringify(copied));
        expect(inPlace.map((t) => Object.keys(t))).toEqual(copied.map((t) => Object.keys(t)));
        // The first listing of each object is that object itself, changed.
        expect(inPlace[0]).toBe(owned[0]);
      }),
      { numRuns: 300 },
    );
  });

  test('an object listed twice keeps the findings of its first listing; its copy has the duplicate', () => {
    const tx = sale();
    const [first, second] = validateTransactions([tx, tx], { ...ctx, inPlace: true });
    expect(first).toBe(tx);
    expect(second).not.toBe(tx);
    expect(first!.findings.map((f) => f.code)).not.toContain('duplicate.in_payload');
    expect(second!.findings.map((f) => f.code)).toContain('duplicate.in_payload');
    expect(second!.findings.slice(0, first!.findings.length)).toEqual(first!.findings);
  });

  test('without the option the input objects are left as they were', () => {
    const tx = sale({ storeId: 'n/a' });
    const before = structuredClone(tx);
    const [out] = validateTransactions([tx], ctx);
    expect(out).not.toBe(tx);
    expect(out!.findings.length).toBeGreaterThan(0);
    expect(tx).toEqual(before);
  });
});
