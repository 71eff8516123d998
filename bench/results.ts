// bench/results.ts: the bench-results.json entries of CONTRACTS.md (Benchmarks).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface BenchEntry {
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  target: number;
  notes: string;
  [extra: string]: unknown;
}

export function writeResults(file: string, entries: Record<string, BenchEntry>): void {
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, BenchEntry>) : {};
  writeFileSync(file, JSON.stringify({ ...previous, ...entries }, null, 2) + '\n');
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
