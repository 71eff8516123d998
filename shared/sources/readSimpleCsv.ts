// shared/sources/readSimpleCsv.ts: a one-pass reader for the plain CSV that POS exports write, giving
// exactly the records (and file line of each) that csv-parse gives with parseCsv's options.
//
// It reads a deliberately small subset: an optional BOM, line breaks all `\n` or all `\r\n`, fields
// either unquoted (no `"`) or wholly quoted (`""` for a quote, no line break inside), every record as
// long as the first, empty lines skipped. On that subset csv-parse reports no error, so nothing is
// lost; anything else returns undefined and parseCsv lets csv-parse read it and word the findings.

export interface CsvRecord {
  record: string[];
  /** The file line the record ends on (1-based), as csv-parse's `info.lines`. */
  lines: number;
}

const COMMA = 44;
const QUOTE = 34;
const SURROGATE = /[\ud800-\udfff]/;

/** Splits one line (without its line break) into fields; undefined when it is outside the subset. */
function fieldsOf(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0) return undefined;
        value += line.slice(from, q);
        if (line.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line.charCodeAt(i) !== COMMA) return undefined;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      const value = line.slice(i, end);
      if (value.includes('"')) return undefined;
      fields.push(value);
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/** The records of the text, or undefined when it is outside the subset this reader handles. */
export function readSimpleCsv(input: string): CsvRecord[] | undefined {
  // csv-parse reads through a Buffer, which turns a lone surrogate into U+FFFD: left to it.
  if (SURROGATE.test(input)) return undefined;
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const crlf = text.includes('\r');
  const lines = text.split(crlf ? '\r\n' : '\n');
  const records: CsvRecord[] = [];
  let width = -1;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    if (crlf && (line.includes('\r') || line.includes('\n'))) return undefined;
    const record = fieldsOf(line);
    if (!record) return undefined;
    if (width < 0) width = record.length;
    else if (record.length !== width) return undefined;
    records.push({ record, lines: n + 1 });
  }
  return records.length ? records : undefined;
}
