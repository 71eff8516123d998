// cli/splitJsonExport.ts: a JSON export (one object, a top-level array of objects, or NDJSON) as
// NDJSON request bodies. Records are never re-serialized: JSON.parse would round vendor ids beyond
// 2^53 (Shopify's), so an array element keeps its own text with only the white space outside strings
// removed (JSON strings cannot hold a raw line break, so that puts it on one line).
import { packRecords, type ExportRecord, type SplitResult } from './packRecords';

/** Where the text stops being JSON; not JSON.parse's message, which quotes the text (customer data). */
function syntaxError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    return at === undefined ? 'not valid JSON' : `not valid JSON at character ${at}`;
  }
}

const isWhiteSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** The elements of a valid top-level array (`text` starts with `[`), white space outside strings removed. */
function* arrayElements(text: string): Generator<string> {
  let depth = 1;
  let inString = false;
  let pieces: string[] = [];
  let from = -1; // start of the current run of kept characters
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
      continue;
    }
    if (isWhiteSpace(c)) {
      if (from !== -1) pieces.push(text.slice(from, i));
      from = -1;
      continue;
    }
    if (depth === 1 && (c === 0x2c || c === 0x5d)) {
      // `,` or the closing `]` of the array: the element so far is complete
      if (from !== -1) pieces.push(text.slice(from, i));
      if (pieces.length > 0) yield pieces.join('');
      pieces = [];
      from = -1;
      if (c === 0x5d) return;
      continue;
    }
    if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x22) inString = true;
    if (from === -1) from = i;
  }
}

function* arrayRecords(file: string, text: string, refuse: (n: number, m: string) => void): Generator<ExportRecord> {
  let n = 0;
  for (const element of arrayElements(text)) {
    n++;
    if (!element.startsWith('{')) {
      refuse(n, `${file}: record ${n} is not a JSON object; not sent`);
      continue;
    }
    yield { bytes: Buffer.from(element + '\n', 'utf8'), number: n, where: `array element ${n - 1}` };
  }
}

function* ndjsonRecords(file: string, text: string, refuse: (n: number, m: string) => void): Generator<ExportRecord> {
  const lines = text.split('\n');
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue; // blank lines carry nothing
    n++;
    const error = line.startsWith('{') ? syntaxError(line) : 'not a JSON object';
    if (error) {
      refuse(n, `${file}: record ${n} (line ${i + 1}) is not valid NDJSON: ${error}; not sent`);
      continue;
    }
    yield { bytes: Buffer.from(line + '\n', 'utf8'), number: n, where: `line ${i + 1}` };
  }
}

/** `text` without its byte-order mark. */
export function splitJsonExport(file: string, text: string, maxBytes: number): SplitResult {
  const trimmed = text.trim();
  if (!trimmed) return { bodies: [], refusals: [] };
  const refusals: SplitResult['refusals'] = [];
  const refuse = (record: number, message: string) => refusals.push({ file, record, message });
  if (trimmed.startsWith('[')) {
    const error = syntaxError(trimmed);
    if (error) return { bodies: [], refusals: [{ file, record: null, message: `${file} is not valid JSON (${error}); not sent` }] };
    const packed = packRecords(file, arrayRecords(file, trimmed, refuse), Buffer.alloc(0), maxBytes, 'application/x-ndjson');
    return { bodies: packed.bodies, refusals: [...refusals, ...packed.refusals].sort(byRecord) };
  }
  if (!trimmed.startsWith('{')) {
    return { bodies: [], refusals: [{ file, record: null, message: `${file} is not a JSON object, an array of objects or NDJSON; not sent` }] };
  }
  if (syntaxError(trimmed) === null) {
    // One object, maybe pretty-printed: sent as it is.
    const body = Buffer.from(trimmed, 'utf8');
    if (body.length > maxBytes) {
      return { bodies: [], refusals: [{ file, record: 1, message: `${file}: record 1 (the file's one object) has ${body.length} bytes, over the limit of ${maxBytes} bytes per body; not sent` }] };
    }
    return { bodies: [{ file, part: 1, records: 1, body, contentType: 'application/json' }], refusals: [] };
  }
  const firstLine = trimmed.slice(0, trimmed.indexOf('\n') === -1 ? undefined : trimmed.indexOf('\n')).trim();
  const firstError = syntaxError(firstLine);
  if (firstError) {
    // Neither one value nor a first NDJSON line: a broken file, not a few bad records.
    return { bodies: [], refusals: [{ file, record: null, message: `${file} is neither one JSON object nor NDJSON (line 1: ${firstError}); not sent` }] };
  }
  const packed = packRecords(file, ndjsonRecords(file, trimmed, refuse), Buffer.alloc(0), maxBytes, 'application/x-ndjson');
  return { bodies: packed.bodies, refusals: [...refusals, ...packed.refusals].sort(byRecord) };
}

const byRecord = (a: { record: number | null }, b: { record: number | null }) => (a.record ?? 0) - (b.record ?? 0);
