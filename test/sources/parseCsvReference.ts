// test/sources/parseCsvReference.ts: parseCsv of shared/sources/csv.ts before its fast path, kept
// verbatim (csv-parse for every text) as the reference the differential test compares against.
import { parse as parseCsvText } from 'csv-parse/sync';
import { finding } from '../../shared/sources/common';
import type { CsvPayload } from '../../shared/sources/csv';
import type { Finding } from '../../shared/model';
import type { ParseResult } from '../../shared/sources/types';

/** Reads CSV text; rows csv-parse cannot read become findings naming their line. Never throws. */
export function parseCsvReference(text: string): ParseResult {
  const findings: Finding[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvText(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        const line = (err as { lines?: number } | undefined)?.lines;
        findings.push(finding('payload.malformed_csv', 'error', `/line/${line ?? '?'}`, `line ${line ?? '?'}: ${err?.message ?? 'unreadable row'}`));
        return undefined;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    return { ok: false, finding: finding('payload.malformed_csv', 'error', '', `unreadable CSV: ${(err as Error).message}`) };
  }
  const [head, ...data] = records;
  const columns = (head?.record ?? []).map((c) => c.trim().toLowerCase());
  if (!columns.includes('transaction_id') || !columns.includes('occurred_at')) {
    return {
      ok: false,
      finding: finding('payload.csv_header_missing', 'error', '/line/1', 'the first row must be a header naming at least transaction_id and occurred_at'),
    };
  }
  const rows = data.map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(columns.map((c, i) => [c, (record[i] ?? '').trim()])),
  }));
  return { ok: true, value: { columns, rows, findings } satisfies CsvPayload };
}
