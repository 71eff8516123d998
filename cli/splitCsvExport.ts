// cli/splitCsvExport.ts: a CSV export (docs/csv-format.md) as CSV request bodies, each the header line
// then whole transactions. The hub groups rows into transactions by transaction_id, and its rows need
// not be adjacent, so the record here is a transaction: all its rows, in file order, in one body. A
// transaction cut across two bodies would become two partial transactions with the same id, and the
// second load would replace the first. csv-parse finds where each row ends (quoted fields may hold line
// breaks); the rows keep their original bytes.
import { parse } from 'csv-parse/sync';
import { packRecords, type ExportRecord, type SplitResult } from './packRecords';

interface ParsedRow {
  record: string[];
  /** `bytes`: where the record ends (after its line end) in the input, which is the file's bytes. */
  info: { bytes: number };
}

function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Drops the whitespace-only lines csv-parse skipped before a row (they are in its byte range). */
function withoutLeadingBlankLines(bytes: Buffer): { bytes: Buffer; dropped: number } {
  let dropped = 0;
  for (;;) {
    const nl = bytes.indexOf(0x0a);
    if (nl === -1 || bytes.subarray(0, nl).toString('latin1').trim() !== '') return { bytes, dropped };
    bytes = bytes.subarray(nl + 1);
    dropped++;
  }
}

/** `data` as read from the file (a byte-order mark is dropped here). */
export function splitCsvExport(file: string, data: Buffer, maxBytes: number): SplitResult {
  const malformed: string[] = [];
  let rows: ParsedRow[];
  try {
    rows = parse(data, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        const e = err as { lines?: number; code?: string; record?: string[] } | undefined;
        // A line of spaces is a one-field record to csv-parse: a blank line to us.
        if (e?.record?.length === 1 && e.record[0]!.trim() === '') return undefined;
        // The code, not csv-parse's message: that quotes the cell, which may be a customer's email.
        malformed.push(`line ${e?.lines ?? '?'}: ${e?.code ?? 'unreadable row'}`);
        return undefined;
      },
    }) as unknown as ParsedRow[];
  } catch (e) {
    malformed.push((e as { code?: string }).code ?? 'unreadable CSV');
    rows = [];
  }
  if (malformed.length > 0) {
    // The hub refuses a CSV body with a row it cannot read rather than lose the row: so does this.
    return { bodies: [], refusals: [{ file, record: null, message: `${file} has rows csv-parse cannot read (${[...new Set(malformed)].slice(0, 3).join('; ')}, lines as csv-parse counts them); not sent` }] };
  }
  const [head, ...dataRows] = rows;
  if (!head) return { bodies: [], refusals: [] };
  const start = data.subarray(0, 3).equals(BOM) ? 3 : 0;
  const header = withoutLeadingBlankLines(data.subarray(start, head.info.bytes)).bytes;
  const eol = header.subarray(-2).toString('latin1') === '\r\n' ? '\r\n' : '\n';
  const idColumn = head.record.map((c) => c.trim().toLowerCase()).indexOf('transaction_id');
  if (idColumn === -1) {
    return { bodies: [], refusals: [{ file, record: null, message: `${file}: the header (line 1) names no transaction_id column (docs/csv-format.md); not sent` }] };
  }
  const headerLine = header.at(-1) === 0x0a ? header : Buffer.concat([header, Buffer.from(eol)]);

  // Transactions in order of their first row; a row without an id is a transaction of its own (the hub
  // reports it).
  const groups = new Map<string, { rows: Buffer[]; line: number }>();
  let end = head.info.bytes;
  // File lines are counted here: csv-parse's info.lines is not the line a record starts on.
  let line = 1 + countNewlines(data.subarray(0, end));
  dataRows.forEach((row, i) => {
    const slice = data.subarray(end, row.info.bytes);
    const { bytes, dropped } = withoutLeadingBlankLines(slice);
    const firstLine = line + dropped;
    end = row.info.bytes;
    line += countNewlines(slice);
    const id = (row.record[idColumn] ?? '').trim();
    const key = id ? `id:${id}` : `row:${i}`;
    const rowBytes = bytes.at(-1) === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from(eol)]);
    const group = groups.get(key);
    if (group) group.rows.push(rowBytes);
    else groups.set(key, { rows: [rowBytes], line: firstLine });
  });
  function* records(): Generator<ExportRecord> {
    let n = 0;
    for (const [key, g] of groups) {
      n++;
      const what = key.startsWith('id:') ? `transaction ${key.slice(3)}` : 'a row without transaction_id';
      yield { bytes: Buffer.concat(g.rows), number: n, where: `${what}, line ${g.line}` };
    }
  }
  return packRecords(file, records(), headerLine, maxBytes, 'text/csv');
}
