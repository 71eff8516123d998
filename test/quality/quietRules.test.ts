// quietRules says "no rule has a finding" from what readCanonical read, and validateTransaction then
// skips the rules. It may be wrong only in the safe direction: whenever it answers true, every rule
// (the reference, run here on its own) must give nothing; and it must answer true for the ordinary
// transactions of every source, or it would save nothing.
import fc from 'fast-check';
import type { CanonicalTransaction } from '../../shared/model';
import { RULES } from '../../shared/quality';
import { quietRules } from '../../shared/quality/quietRules';
import { readCanonical, type ReadFacts } from '../../shared/quality/readCanonical';
import type { QualityContext } from '../../shared/quality/types';
import { arbCtx, arbEdit, clone, NOW, POOL, sourceCtx } from './qualityMutations';

const facts = (): ReadFacts => ({ kind: '', currency: null, occurredAt: '', businessDate: '', lineCount: 0, chargeCount: 0, plainTexts: false });

/**
 * quietRules' answer for `tx`, and what the rules find; a transaction readCanonical declines is not the
 * model (validateTransaction reports it as such, and the rules, which may throw on it, never see it).
 */
function judged(tx: CanonicalTransaction, ctx: QualityContext): { quiet: boolean; found: string[] } {
  const f = facts();
  const a = readCanonical(tx, f);
  if (a === undefined) return { quiet: false, found: ['schema.invalid'] };
  const quiet = quietRules(a, f, ctx);
  const found: string[] = [];
  for (const rule of RULES) for (const finding of rule(tx, ctx)) found.push(finding.code);
  return { quiet, found };
}

describe('quietRules', () => {
  it('judges exactly the rules validateTransaction runs: a new rule must be taught to quietRules too', () => {
    // quietRules calls each rule's quick test where the rule applies; a rule it does not know would be
    // skipped for every transaction it calls quiet. Add the new rule's test there, then its name here.
    expect(RULES.map((rule) => rule.name)).toEqual([
      'totalsVsLines',
      'tendersVsTotal',
      'taxCountedOnce',
      'currencyCode',
      'dates',
      'quantities',
      'placeholders',
    ]);
  });

  it('is true for the generated transactions the rules pass, and only for those', () => {
    const ctx = { now: NOW, timeZone: sourceCtx.timeZone };
    let quiet = 0;
    let passed = 0;
    for (const tx of POOL) {
      const j = judged(tx, ctx);
      if (j.quiet) expect([tx.id, j.found]).toEqual([tx.id, []]);
      if (j.found.length === 0) passed++;
      if (j.quiet) quiet++;
    }
    // Nearly all of them: only amounts too long to read exactly, or too close to call, go to the rules.
    expect(quiet).toBeGreaterThan(passed * 0.95);
  });

  it('never hides a finding of a rule on mutated transactions', () => {
    let quiet = 0;
    let found = 0;
    fc.assert(
      fc.property(fc.nat({ max: POOL.length - 1 }), fc.array(fc.tuple(arbEdit, fc.nat()), { minLength: 1, maxLength: 4 }), arbCtx, (i, edits, ctx) => {
        const tx = clone(POOL[i]!);
        for (const [edit, pick] of edits) edit(tx, pick);
        const j = judged(tx, ctx);
        if (j.quiet) {
          quiet++;
          expect(j.found).toEqual([]);
        } else if (j.found.length > 0) found++;
      }),
      { numRuns: 4000 },
    );
    // Both answers were reached often.
    expect(quiet).toBeGreaterThan(400);
    expect(found).toBeGreaterThan(1000);
  });
});
