// shared/ingest/checkReadable.ts: proves a body readable before it is acknowledged, cheaply: the
// parse the transform will do, and nothing more (no adapters, no validation). Unreadable bodies get a
// problem naming the position, empty ones an "empty batch" problem; nothing is stored for either.
import { parse as parseLossless } from 'lossless-json';
import type { SourceName } from '../model';
import { textFormatOf } from '../pipeline/transformPayload';
import type { SourceAdapter } from '../sources/types';
import type { CsvPayload } from '../sources/csv';
import { problem, type Problem } from './problem';

export type Readability = { ok: true; payloads: number } | { ok: false; problem: Problem };

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where JSON text first goes wrong: lossless-json names the offset in every message ("at position N"),
 * which JSON.parse in Node 20 does not always do.
 */
function jsonErrorAt(text: string): { line: number; column: number; message: string } | null {
  try {
    parseLossless(text);
    return null;
  } catch (err) {
    const message = (err as Error).message;
    const m = /at position (\d+)/.exec(message);
    const at = lineColumnAt(text, m ? Number(m[1]) : 0);
    return { ...at, message: message.replace(/\s*at position \d+$/, '') };
  }
}

function malformedJson(text: string, lineOffset: number, fallback: string): Problem {
  const at = jsonErrorAt(text);
  const where = at ? `line ${at.line + lineOffset}, column ${at.column}: ${at.message}` : `line ${lineOffset + 1}: ${fallback}`;
  return problem('malformed-body', `malformed JSON at ${where}`);
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkJson(adapter: SourceAdapter, text: string): Readability {
  const trimmed = text.trim();
  const whole = adapter.parse(trimmed);
  if (whole.ok) {
    if (Array.isArray(whole.value)) {
      if (whole.value.length === 0) return { ok: false, problem: problem('empty-batch', 'empty batch: the JSON array holds no payloads') };
      const bad = whole.value.findIndex((v) => !isObject(v));
      if (bad >= 0) return { ok: false, problem: problem('malformed-body', `element ${bad} of the JSON array is not a JSON object`) };
      return { ok: true, payloads: whole.value.length };
    }
    if (!isObject(whole.value)) return { ok: false, problem: problem('malformed-body', 'the body is JSON but not an object, an array of objects or NDJSON') };
    return { ok: true, payloads: 1 };
  }
  // NDJSON, recognised as transformPayload recognises it: more than one line, each starting with `{`.
  const lines = text.split(/\r?\n/);
  const filled = lines.filter((l) => l.trim());
  if (!trimmed.startsWith('[') && filled.length > 1 && filled.every((l) => l.trimStart().startsWith('{'))) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line.trim()) continue;
      const parsed = adapter.parse(line);
      if (!parsed.ok) return { ok: false, problem: malformedJson(line, i, parsed.finding.message) };
      if (!isObject(parsed.value)) return { ok: false, problem: problem('malformed-body', `NDJSON line ${i + 1} is not a JSON object`) };
    }
    return { ok: true, payloads: filled.length };
  }
  // Offsets in the message are relative to the text with its leading whitespace, so report on that.
  return { ok: false, problem: malformedJson(text.trimEnd(), 0, whole.finding.message) };
}

function checkXml(adapter: SourceAdapter, text: string): Readability {
  const parsed = adapter.parse(text);
  if (parsed.ok) return { ok: true, payloads: 1 };
  const { code, message } = parsed.finding;
  if (code === 'payload.xml_dtd_forbidden' || code === 'payload.xml_too_deep') return { ok: false, problem: problem('hostile-xml', message) };
  return { ok: false, problem: problem('malformed-body', message) };
}

function checkCsv(adapter: SourceAdapter, text: string): Readability {
  const parsed = adapter.parse(text);
  if (!parsed.ok) return { ok: false, problem: problem('malformed-body', `malformed CSV: ${parsed.finding.message}`) };
  const csv = parsed.value as CsvPayload;
  // A row csv-parse could not read would be lost to the transform: refuse the file, naming the rows.
  if (csv.findings.length > 0) {
    const shown = csv.findings.slice(0, 3).map((f) => f.message).join('; ');
    const more = csv.findings.length > 3 ? `; and ${csv.findings.length - 3} more` : '';
    return { ok: false, problem: problem('malformed-body', `malformed CSV at ${shown}${more}`) };
  }
  if (csv.rows.length === 0) return { ok: false, problem: problem('empty-batch', 'empty batch: the CSV has a header and no rows') };
  return { ok: true, payloads: 1 };
}

export function checkReadable(source: SourceName, adapter: SourceAdapter, text: string): Readability {
  if (text.trim() === '') return { ok: false, problem: problem('empty-batch', 'empty batch: the body is empty') };
  const format = textFormatOf(source);
  if (format === 'xml') return checkXml(adapter, text);
  if (format === 'text') return checkCsv(adapter, text);
  return checkJson(adapter, text);
}
