// bench/run.ts: `npm run bench [-- --only NAME[,NAME]]`. Every figure is a ratio against a baseline
// measured in the same run, since the machines are shared and noisy.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeResults, type BenchEntry } from './results';
import { dataverseBench } from './dataverse';
import { ingestBench } from './ingest';
import { lakeBench } from './lake';
import { pipelineBench } from './pipeline';

type Bench = () => Promise<Record<string, BenchEntry>>;
const BENCHES: Record<string, Bench> = {
  pipeline: pipelineBench,
  lake: lakeBench,
  dataverse: dataverseBench,
  ingest: ingestBench,
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' } } });
  const names = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(BENCHES);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  const out = values.out ?? path.join(process.cwd(), 'bench-results.json');
  for (const name of names) {
    console.log(`\n== ${name}`);
    const entries = await BENCHES[name]!();
    writeResults(out, entries);
    for (const [key, e] of Object.entries(entries)) {
      const verdict = e.ratio >= e.target ? 'meets target' : 'BELOW target';
      console.log(`${key}: ${e.value.toFixed(1)} ${e.unit}, baseline ${e.baseline.toFixed(1)}, ratio ${e.ratio.toFixed(2)} (target ${e.target}) ${verdict}`);
    }
  }
  console.log(`\nwrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
