// bench/pipeline.ts: the pure pipeline (scrub, parse, adapt, validate, pseudonymize, serialize) per
// format, as records/s and as a ratio to JSON.parse + JSON.stringify of the same payloads in the same
// run; and heap use over one million records, which must stay flat.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SourceName } from '../shared/model';
import { serializeTransactions, textFormatOf, transformPayload } from '../shared/pipeline/transformPayload';
import { scrubCardData } from '../shared/privacy/cardNumbers';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { adapterFor } from '../shared/sources/registry';
import type { SourceContext } from '../shared/sources/types';
import { GENERATORS } from './generators';
import { median, type BenchEntry } from './results';
import { createRng } from './rng';

const PAYLOADS = Number(process.env.BENCH_PAYLOADS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MEMORY_RECORDS = Number(process.env.BENCH_MEMORY_RECORDS ?? 1_000_000);

/** A New York store as a store master would configure it; test/bench checks the generators under it. */
export const BENCH_SOURCE_CONTEXT: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  country: 'US',
  headers: { 'toast-restaurant-external-id': 'bench-restaurant' },
  storeId: 'S001',
  pseudonymize: createPseudonymizer('bench-key-0123456789abcdef', 'US'),
};
export const BENCH_NOW = Date.parse('2026-12-01T00:00:00Z');

function runPipeline(source: SourceName, payloads: string[]): number {
  const adapter = adapterFor(source)!;
  let records = 0;
  for (const text of payloads) {
    const r = transformPayload(adapter, text, BENCH_SOURCE_CONTEXT, BENCH_NOW);
    serializeTransactions(r.transactions);
    records += r.transactions.length;
  }
  return records;
}

function runBaseline(texts: string[]): void {
  for (const t of texts) JSON.stringify(JSON.parse(t));
}

/**
 * The floor under any pipeline that keeps card data out and writes canonical JSON: the card scan of the
 * input, JSON.parse of it, JSON.stringify of the finished transactions and the card check of that
 * output, with no adapter, schema check, id, pseudonym or quality rule at all. What the pipeline costs
 * beyond it is those steps. (For XML and CSV the input is not JSON: the floor is then only measured for
 * the JSON formats.)
 */
function runFloor(payloads: string[], outputs: unknown[]): void {
  for (let i = 0; i < payloads.length; i++) {
    JSON.parse(scrubCardData(payloads[i]!, 'json').text);
    scrubCardData(JSON.stringify(outputs[i]), 'json');
  }
}

function timeIt(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

interface FormatFigures {
  records: number;
  recordsPerSecond: number;
  baselineRecordsPerSecond: number;
  ratio: number;
  baselineKind: string;
  /** Floor and full pipeline in units of the baseline's time (the target allows 2.0); JSON formats only. */
  floorCost?: number;
  pipelineCost: number;
}

function benchFormat(source: SourceName): FormatFigures {
  const rng = createRng(42);
  const generate = GENERATORS[source]!;
  const payloads = Array.from({ length: PAYLOADS }, (_, i) => generate(rng, i));
  const records = runPipeline(source, payloads);
  if (records === 0) throw new Error(`${source}: the generated payloads produced no transactions`);
  // Baseline: JSON formats parse+stringify their own payloads; XML and CSV have no JSON.parse, so their
  // baseline is the same work on the canonical JSON of the same records.
  const json = textFormatOf(source) === 'json';
  const adapter = adapterFor(source)!;
  const outputs = payloads.map((p) => transformPayload(adapter, p, BENCH_SOURCE_CONTEXT, BENCH_NOW).transactions);
  const baselineTexts = json ? payloads : outputs.map((transactions) => JSON.stringify(transactions));
  runBaseline(baselineTexts);
  const pipelineTimes: number[] = [];
  const baselineTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    baselineTimes.push(timeIt(() => runBaseline(baselineTexts)));
    pipelineTimes.push(timeIt(() => runPipeline(source, payloads)));
    if (json) floorTimes.push(timeIt(() => runFloor(payloads, outputs)));
  }
  const tp = median(pipelineTimes);
  const tb = median(baselineTimes);
  return {
    records,
    recordsPerSecond: records / tp,
    baselineRecordsPerSecond: records / tb,
    ratio: tb / tp,
    baselineKind: json ? 'JSON.parse+stringify of the payloads' : 'JSON.parse+stringify of the canonical JSON',
    ...(json ? { floorCost: median(floorTimes) / tb } : {}),
    pipelineCost: tp / tb,
  };
}

/**
 * The garbage collector, to read a settled heap. `npm run bench` starts node without --expose-gc, and
 * without a forced collection the heap samples are whatever garbage happens to be uncollected; so the
 * flag is set at run time and `gc` taken from a fresh context, where V8 then installs it.
 */
let gc: (() => void) | undefined;
function collector(): () => void {
  gc ??= (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  return gc;
}

function heapAfterGc(): number {
  collector()();
  return process.memoryUsage().heapUsed;
}

/** Streams MEMORY_RECORDS records through the pipeline, generating payloads on the fly. */
function memoryOverMillion(source: SourceName): { samplesMb: number[]; growth: number; records: number } {
  const rng = createRng(7);
  const generate = GENERATORS[source]!;
  const adapter = adapterFor(source)!;
  const samples: number[] = [];
  let records = 0;
  let i = 0;
  const step = Math.max(1, Math.floor(MEMORY_RECORDS / 10));
  let nextSample = step;
  samples.push(heapAfterGc());
  while (records < MEMORY_RECORDS) {
    const r = transformPayload(adapter, generate(rng, i++), BENCH_SOURCE_CONTEXT, BENCH_NOW);
    serializeTransactions(r.transactions);
    records += r.transactions.length;
    if (records >= nextSample) {
      samples.push(heapAfterGc());
      nextSample += step;
    }
  }
  // Compare the settled heap at the end with the heap after the first tenth (warm caches, JIT code).
  const growth = (samples[samples.length - 1]! - samples[1]!) / samples[1]!;
  return { samplesMb: samples.map((b) => Math.round((b / 1048576) * 10) / 10), growth, records };
}

export async function pipelineBench(): Promise<Record<string, BenchEntry>> {
  const formats: Partial<Record<SourceName, FormatFigures>> = {};
  for (const source of Object.keys(GENERATORS) as SourceName[]) {
    const f = benchFormat(source);
    formats[source] = f;
    const costs =
      f.floorCost === undefined
        ? ''
        : `  cost x baseline: floor ${f.floorCost.toFixed(2)}, pipeline ${f.pipelineCost.toFixed(2)}`;
    console.log(
      `${source.padEnd(13)} ${f.recordsPerSecond.toFixed(0).padStart(8)} records/s  baseline ${f.baselineRecordsPerSecond.toFixed(0).padStart(8)}  ratio ${f.ratio.toFixed(2)}${costs}`,
    );
  }
  const jsonFormats = (Object.keys(formats) as SourceName[]).filter((s) => textFormatOf(s) === 'json');
  const worst = jsonFormats.reduce((a, b) => (formats[a]!.ratio <= formats[b]!.ratio ? a : b));
  const memorySource: SourceName = GENERATORS.shopify ? 'shopify' : jsonFormats[0]!;
  const memory = memoryOverMillion(memorySource);
  console.log(`memory over ${memory.records} ${memorySource} records: heap samples (MB) ${memory.samplesMb.join(', ')}; growth ${(memory.growth * 100).toFixed(1)}%`);
  return {
    pipeline: {
      value: formats[worst]!.recordsPerSecond,
      unit: 'records/s',
      baseline: formats[worst]!.baselineRecordsPerSecond,
      ratio: formats[worst]!.ratio,
      target: 0.5,
      notes: `worst JSON format (${worst}); ratio = pipeline throughput / JSON.parse+JSON.stringify throughput of the same payloads; per-format figures in "formats" (floorCost and pipelineCost: card scan in, JSON.parse, JSON.stringify of the output and card scan out alone, and the whole pipeline, in units of the baseline time, of which the target allows 2.0); heap growth over ${memory.records} records in "memory"`,
      formats,
      memory: { source: memorySource, records: memory.records, heapSamplesMb: memory.samplesMb, growth: memory.growth, target: 'growth < 10%' },
    },
  };
}
