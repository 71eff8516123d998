// The benchmark measures the happy path, so every generator must produce payloads that its adapter and
// the quality rules accept without a single error finding, and that both sinks can store exactly, the
// same payload for the same seed. (The sink check found Lightspeed line taxes with 7 to 9 decimals that
// sent every such realistic sale to quarantine.)
import { GENERATORS } from '../../bench/generators';
import { BENCH_NOW, BENCH_SOURCE_CONTEXT } from '../../bench/pipeline';
import { createRng } from '../../bench/rng';
import type { CanonicalTransaction, Finding, SourceName } from '../../shared/model';
import { toDataverseRow } from '../../shared/dataverse/toDataverseRow';
import { CURATED_TABLE_NAMES, CURATED_TABLES } from '../../shared/lake/curatedTables';
import { unstorableCells } from '../../shared/lake/toParquetBuffer';
import { transformPayload } from '../../shared/pipeline/transformPayload';
import { adapterFor, sourceNames } from '../../shared/sources/registry';

// The context and clock bench/pipeline.ts runs with.
const ctx = BENCH_SOURCE_CONTEXT;
const NOW = BENCH_NOW;
const PAYLOADS = 200;

const sources = Object.keys(GENERATORS) as SourceName[];

type Feature = 'return' | 'split tender' | 'weighed item' | 'customer' | 'discount';
/** What each format's traffic must show (a terminal sees no basket; Shopify sells whole units only). */
const FEATURES: Record<SourceName, Feature[]> = {
  poslog: ['return', 'split tender', 'weighed item', 'customer', 'discount'],
  csv: ['return', 'split tender', 'weighed item', 'customer', 'discount'],
  shopify: ['return', 'split tender', 'customer', 'discount'],
  square: ['return', 'split tender', 'weighed item', 'customer', 'discount'],
  'lightspeed-x': ['return', 'split tender', 'weighed item', 'customer', 'discount'],
  'lightspeed-r': ['return', 'split tender', 'weighed item', 'customer', 'discount'],
  clover: ['return', 'split tender', 'weighed item', 'customer', 'discount'],
  toast: ['split tender', 'weighed item', 'customer', 'discount'],
  adyen: ['return'],
  canonical: ['weighed item'],
};

function featuresOf(tx: CanonicalTransaction): Feature[] {
  const out: Feature[] = [];
  // A terminal's refund is a `payment` with a negative total: money back all the same.
  if (tx.kind === 'return' || tx.total.startsWith('-')) out.push('return');
  if (tx.tenders.length > 1) out.push('split tender');
  if (tx.lines.some((l) => l.quantity.includes('.'))) out.push('weighed item');
  if (tx.customer) out.push('customer');
  if (tx.discounts.length) out.push('discount');
  return out;
}

/** The first error finding of a payload, on the payload or any of its transactions, with where it was. */
function firstError(r: ReturnType<typeof transformPayload>): string | undefined {
  const describe = (f: Finding, where: string) => `${where}: ${f.code} at ${f.path}: ${f.message}`;
  const top = r.findings.find((f) => f.severity === 'error');
  if (top) return describe(top, 'payload');
  for (const tx of r.transactions) {
    const f = tx.findings.find((x) => x.severity === 'error');
    if (f) return describe(f, `transaction ${tx.sourceKey}`);
  }
  return undefined;
}

/** What the lake or Dataverse would refuse to store of a transaction (it would be quarantined). */
function sinkProblem(tx: CanonicalTransaction): string | undefined {
  const lake = CURATED_TABLE_NAMES.flatMap((t) =>
    unstorableCells(CURATED_TABLES[t], CURATED_TABLES[t].rowsOf(tx, 'batch-1')),
  );
  if (lake.length) return `transaction ${tx.sourceKey}: lake: ${lake[0]}`;
  const dataverse = toDataverseRow(tx);
  if (!dataverse.ok)
    return `transaction ${tx.sourceKey}: Dataverse: ${dataverse.findings[0]?.code}: ${dataverse.findings[0]?.message}`;
  return undefined;
}

describe('payload generators', () => {
  it('cover every source format the registry knows', () => {
    expect([...sources].sort()).toEqual([...sourceNames()].sort());
  });

  describe.each(sources)('%s', (source) => {
    const generate = GENERATORS[source]!;
    const adapter = adapterFor(source)!;

    it(`produces ${PAYLOADS} readable payloads with transactions, no error findings, all storable in both sinks`, () => {
      const rng = createRng(42);
      const problems: string[] = [];
      let transactions = 0;
      const seen = new Set<Feature>();
      for (let i = 0; i < PAYLOADS; i++) {
        const text = generate(rng, i);
        const r = transformPayload(adapter, text, ctx, NOW);
        transactions += r.transactions.length;
        for (const tx of r.transactions) featuresOf(tx).forEach((f) => seen.add(f));
        if (!r.readable) problems.push(`payload ${i}: unreadable: ${r.findings[0]?.message}`);
        else if (r.transactions.length === 0) problems.push(`payload ${i}: no transaction`);
        const error = firstError(r) ?? r.transactions.map(sinkProblem).find((p) => p !== undefined);
        if (error) problems.push(`payload ${i}: ${error}`);
        if (problems.length) {
          // The first offending payload in full makes the failure reproducible by eye.
          throw new Error(`${problems[0]}\n--- payload ${i} ---\n${text}`);
        }
      }
      expect(transactions).toBeGreaterThanOrEqual(PAYLOADS);
      // Realistic traffic, not one shape repeated: returns, split tenders, weighed goods, known customers.
      expect([...seen].sort()).toEqual([...FEATURES[source]].sort());
    });

    it('is deterministic: the same seed gives the same text', () => {
      const a = createRng(7);
      const b = createRng(7);
      for (let i = 0; i < 20; i++) expect(generate(a, i)).toBe(generate(b, i));
      // And a different seed gives different payloads (the seed is actually used).
      expect(generate(createRng(8), 0)).not.toBe(generate(createRng(7), 0));
    });
  });
});
