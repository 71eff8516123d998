// The quality rules check amounts on exact integers and fall back to big.js only for what they cannot read
// or must report. Their findings (codes, severities, paths, messages and order) and their errors must stay
// those of the rules as they were, kept in test/support/qualityReference: this compares the two on the
// transactions the bench generators' payloads turn into, and on mutations of them aimed at the places
// where the fast path could go wrong (tolerance boundaries, many decimals, huge amounts, signs, zero and
// implausible quantities, tender statuses, dates near the limits, time zones, placeholders).
import Big from 'big.js';
import fc from 'fast-check';
import type { CanonicalTransaction } from '../../shared/model';
import { minorUnits } from '../../shared/model/money';
import { RULES, validateTransaction, validateTransactions } from '../../shared/quality';
import type { QualityContext } from '../../shared/quality/types';
import * as reference from '../support/qualityReference/validate';
import { hasCanonicalShape as referenceShape } from '../support/qualityReference/shape';
import { amountsOf } from '../../shared/quality/amounts';
import { lineAddsUp } from '../../shared/quality/lineAddsUp';
import { readCanonical } from '../../shared/quality/readCanonical';
import { arbCtx, arbEdit, clone, NOW, nudged, POOL, sourceCtx, type Tx } from './qualityMutations';

/** What a call gives: its value, or the error it throws (as text, so different stacks compare equal). */
function outcome<T>(f: () => T): { value: T } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: String(e) };
  }
}

const seenCodes = new Set<string>();
/** Asserts that the new and the reference code agree on `tx`, as a whole and rule by rule (each rule alone reads its own amounts). */
function expectSame(tx: CanonicalTransaction, ctx: QualityContext): void {
  const expected = outcome(() => reference.validateTransaction(tx, ctx));
  expect(outcome(() => validateTransaction(tx, ctx))).toEqual(expected);
  if ('value' in expected) for (const f of expected.value) seenCodes.add(f.code);
  RULES.forEach((rule, r) => {
    expect(outcome(() => rule(tx, ctx))).toEqual(outcome(() => reference.RULES[r]!(tx, ctx)));
  });
  expectSameReading(tx);
}

/**
 * readCanonical walks the transaction once for the shape check, the amounts and the lines' arithmetic:
 * it must accept exactly what the reference shape check accepts, come out exact exactly when
 * `amountsOf` does (with the same sums then), and say the lines add up only when `lineAddsUp` says so
 * of each (the quantities rule then skips them).
 */
function expectSameReading(tx: CanonicalTransaction): void {
  const read = readCanonical(tx);
  expect(read !== undefined).toBe(referenceShape(tx));
  if (read === undefined) return;
  const own = amountsOf(tx);
  expect(read.exact).toBe(own.exact);
  if (read.exact) expect({ ...read, linesAddUp: false }).toEqual(own);
  expect(read.linesAddUp).toBe(tx.lines.every((l) => lineAddsUp(l, minorUnits(tx.currency))));
}


describe('quality rules against the reference copy', () => {
  it('give the same findings on every generated transaction', () => {
    expect(POOL.length).toBeGreaterThan(200);
    const ctx = { now: NOW, timeZone: sourceCtx.timeZone };
    for (const tx of POOL) expectSame(tx, ctx);
    expect(validateTransactions(POOL, ctx)).toEqual(reference.validateTransactions(POOL, ctx));
  });

  it('give the same findings on mutated transactions', () => {
    fc.assert(
      fc.property(fc.nat({ max: POOL.length - 1 }), fc.array(fc.tuple(arbEdit, fc.nat()), { minLength: 1, maxLength: 4 }), arbCtx, (i, edits, ctx) => {
        const tx = clone(POOL[i]!);
        for (const [edit, pick] of edits) edit(tx, pick);
        expectSame(tx, ctx);
        const batch = [tx, clone(POOL[(i + 1) % POOL.length]!), tx];
        expect(outcome(() => validateTransactions(batch, ctx))).toEqual(outcome(() => reference.validateTransactions(batch, ctx)));
      }),
      { numRuns: 2500 },
    );
    // The mutations reached the findings of every rule the fast path touches.
    for (const code of [
      'total.lines_mismatch', 'total.tenders_mismatch', 'tender.missing', 'tax.counted_twice', 'tax.lines_mismatch',
      'line.quantity_zero', 'line.quantity_implausible', 'line.sign_mismatch', 'line.amount_mismatch', 'total.return_positive',
      'time.impossible', 'time.future', 'time.business_date_mismatch', 'value.placeholder', 'store.missing', 'currency.invalid', 'schema.invalid',
    ]) {
      expect([code, seenCodes.has(code)]).toEqual([code, true]);
    }
  });

  it('give the same findings at and around every tolerance boundary', () => {
    // One amount at a time moved by whole half units of the currency and by a tenth of a unit more or
    // less: an off-by-one in a tolerance or in a scale shows here.
    const ctx = { now: NOW, timeZone: sourceCtx.timeZone };
    const fields: [string, (tx: Tx) => Record<string, unknown> | undefined, string][] = [
      ['total', (tx) => tx as unknown as Record<string, unknown>, 'total'],
      ['taxTotal', (tx) => (tx.taxTotal === null ? undefined : (tx as unknown as Record<string, unknown>)), 'taxTotal'],
      ['line amount', (tx) => tx.lines[0] as unknown as Record<string, unknown> | undefined, 'amount'],
      ['line tax', (tx) => (tx.lines[0]?.tax == null ? undefined : (tx.lines[0] as unknown as Record<string, unknown>)), 'tax'],
      ['unit price', (tx) => tx.lines[0] as unknown as Record<string, unknown> | undefined, 'unitPrice'],
      ['tender', (tx) => tx.tenders[0] as unknown as Record<string, unknown> | undefined, 'amount'],
    ];
    for (let i = 0; i < POOL.length; i += 40) {
      const base = POOL[i]!;
      const minor = minorUnits(base.currency);
      // Each rule's tolerance in half units is its number of components: moves of one half unit less,
      // as much and more reach every boundary.
      const components = [1, 2, base.tenders.length, base.lines.length + 1, base.lines.length + (base.charges?.length ?? 0) + 1];
      const moves = new Set([0, ...components.flatMap((c) => [c - 1, c, c + 1, c + 2, 1 - c, -c, -c - 1, -c - 2])]);
      const taxIncluded = clone(base);
      if (base.taxTotal !== null) taxIncluded.total = new Big(base.total).minus(base.taxTotal).toFixed();
      for (const [, target, key] of fields) {
        for (const k of moves) {
          for (const extra of ['0', new Big(10).pow(-minor - 1).toFixed(), new Big(10).pow(-minor - 1).neg().toFixed()]) {
            for (const from of base.taxTotal === null ? [base] : [base, taxIncluded]) {
              const tx = clone(from);
              const obj = target(tx);
              if (!obj) continue;
              obj[key] = nudged(obj[key] as string, k, minor, extra);
              expectSame(tx, ctx);
            }
          }
        }
      }
    }
  });

  it('give the same findings on amounts too large for exact doubles', () => {
    const ctx = { now: NOW, timeZone: sourceCtx.timeZone };
    const base = POOL.find((tx) => tx.kind === 'sale' && tx.currency === 'USD')!;
    for (const [total, amounts] of [
      ['999999999999999', ['999999999999999', '-0.015001']],
      ['999999999999999', ['999999999999999', '-0.014999']],
      ['999999999999999', ['999999999999999', '-0.009999']],
      ['999999999999999', ['999999999999999', '-0.010001']],
      ['99999999999999.9', ['99999999999999.9', '0.000015001']],
      ['9007199254.740993', ['9007199254.740993']],
      ['900719925474099', ['900719925474099', '900719925474099', '-900719925474099']],
      // Millionths of about 1e17 and 1e18, where doubles are 16 and 128 apart: a sum would round onto the tolerance.
      ...['99999999999', '999999999999'].flatMap((big) =>
        Array.from({ length: 40 }, (_, n) => [big, [big, `-0.01${String(4980 + n)}`]] as const),
      ),
    ] as const) {
      for (let skew = -3; skew <= 3; skew++) {
        const tx = clone(base);
        tx.total = nudged(total, skew, 6, '0');
        tx.taxTotal = null;
        tx.discounts = [];
        delete tx.charges;
        tx.lines = amounts.map((amount, n) => ({ lineNo: n + 1, sku: 'S', description: 'D', quantity: '1', unitPrice: amount, amount, discount: '0', tax: null }));
        tx.tenders = [{ method: 'cash', amount: tx.total }];
        expectSame(tx, ctx);
      }
    }
  });

  it('never shorten text by lower-casing it (which the placeholder check relies on)', () => {
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = String.fromCodePoint(c);
      if (s.toLowerCase().length < s.length) throw new Error(`U+${c.toString(16)} lower-cases shorter`);
    }
  });
});
