// shared/pipeline/transformPayload.ts: the pure pipeline for one received body: scrub card data from
// the raw text, split it into payloads, adapt each to canonical transactions, validate them.
// No I/O: ingestion, the CLI and the benchmark all run exactly this.
import type { CanonicalTransaction, Finding, SourceName } from '../model';
import { scrubCardData, type TextFormat } from '../privacy/cardNumbers';
import { validateTransactions } from '../quality';
import type { SourceAdapter, SourceContext, WorkItem } from '../sources/types';

export interface TransformResult {
  transactions: CanonicalTransaction[];
  /** Findings about the body as a whole (unreadable parts, masked card data). */
  findings: Finding[];
  workItems: WorkItem[];
  /** The body with card data masked: the only form in which it may be stored. */
  scrubbedText: string;
  /** False when nothing in the body could be read at all. */
  readable: boolean;
}

/** The text format of a source's payloads, for format-aware scrubbing. */
export function textFormatOf(source: SourceName): TextFormat {
  if (source === 'poslog') return 'xml';
  if (source === 'csv') return 'text';
  return 'json';
}

interface PayloadText {
  /** Parsed value when the splitting already parsed it (JSON arrays). */
  value?: unknown;
  text?: string;
  /** Position for findings: the array index or NDJSON line. */
  label?: string;
}

/**
 * A JSON body may hold one payload, a JSON array of payloads, or NDJSON (one payload per line).
 * NDJSON is recognised by more than one line each starting with `{`.
 */
function splitJson(text: string, adapter: SourceAdapter): { parts: PayloadText[]; findings: Finding[] } {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const parsed = adapter.parse(trimmed);
    if (!parsed.ok) return { parts: [], findings: [parsed.finding] };
    if (!Array.isArray(parsed.value)) return { parts: [{ value: parsed.value }], findings: [] };
    return { parts: parsed.value.map((value, i) => ({ value, label: `/${i}` })), findings: [] };
  }
  // Most bodies are one object on one line, and a pretty-printed one fails on its second line: only a
  // body that can be NDJSON is split into lines.
  if (!mayBeNdjson(trimmed)) return { parts: [{ text: trimmed }], findings: [] };
  const lines = trimmed.split(/\r?\n/);
  const parts: PayloadText[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim()) parts.push({ text: l, label: `/line/${i + 1}` });
  }
  // A pretty-printed single object also has lines starting with `{` only if nested objects start
  // lines; such a body parses as a whole, so prefer that reading.
  const whole = adapter.parse(trimmed);
  if (whole.ok) return { parts: [{ value: whole.value }], findings: [] };
  return { parts, findings: [] };
}

/**
 * True when the (trimmed) text has more than one non-blank line and every non-blank line starts with
 * `{` after white space; lines as `split(/\r?\n/)` makes them, blank and white space as `trim` has them.
 * One pass over the line starts, without making the lines.
 */
export function mayBeNdjson(text: string): boolean {
  let start = 0;
  let nonBlank = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    if (nl === -1 && start === 0) return false; // one line
    const first = firstNonSpace(text, start, end);
    if (first !== -1) {
      if (text.charCodeAt(first) !== 0x7b) return false; // '{'
      nonBlank++;
    }
    if (nl === -1) return nonBlank > 1;
    start = nl + 1;
  }
}

/** Index of the first character in [from, to) that `trimStart` would keep, or -1 for a blank line. */
function firstNonSpace(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    if (c < 0x80) return i;
    // Unicode white space (no-break space, BOM, line separators...): let trimStart decide.
    const rest = text.slice(i, to).trimStart();
    return rest === '' ? -1 : to - rest.length;
  }
  return -1;
}

/** Appends `found` to `out`, each path prefixed with the part's label when there is one. */
function pushLabelled(out: Finding[], found: Finding[], label: string | undefined): void {
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    out.push(label ? { ...f, path: label + f.path } : f);
  }
}

export function transformPayload(
  adapter: SourceAdapter,
  text: string,
  ctx: SourceContext,
  now: number = Date.now(),
): TransformResult {
  const format = textFormatOf(adapter.name);
  const scrub = scrubCardData(text, format);
  const findings: Finding[] = [];
  if (scrub.cardNumbers > 0) {
    findings.push({
      code: 'privacy.card_number_masked',
      severity: 'warning',
      path: '',
      message: `${scrub.cardNumbers} card number(s) masked before storage`,
    });
  }
  if (scrub.sensitiveFields > 0) {
    findings.push({
      code: 'privacy.card_data_removed',
      severity: 'warning',
      path: '',
      message: `${scrub.sensitiveFields} expiry date, security code or track data value(s) removed`,
    });
  }
  const split =
    format === 'json' ? splitJson(scrub.text, adapter) : { parts: [{ text: scrub.text }], findings: [] };
  pushLabelled(findings, split.findings, undefined);
  let transactions: CanonicalTransaction[] = [];
  const workItems: WorkItem[] = [];
  let readParts = 0;
  const parts = split.parts;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    let value = part.value;
    if (value === undefined) {
      const parsed = adapter.parse(part.text ?? '');
      if (!parsed.ok) {
        pushLabelled(findings, [parsed.finding], part.label);
        continue;
      }
      value = parsed.value;
    }
    readParts++;
    const result = adapter.toCanonical(value, ctx);
    // One part (the usual body) hands its array over; validateTransactions makes a new one anyway.
    if (parts.length === 1) transactions = result.transactions;
    else for (let i = 0; i < result.transactions.length; i++) transactions.push(result.transactions[i]!);
    pushLabelled(findings, result.findings, part.label);
    if (result.workItems)
      for (let i = 0; i < result.workItems.length; i++) workItems.push(result.workItems[i]!);
  }
  return {
    // The adapters' transactions are new objects nobody else holds: findings are set on them, not on copies.
    transactions: validateTransactions(transactions, { now, timeZone: ctx.timeZone, stores: ctx.stores, inPlace: true }),
    findings,
    workItems,
    scrubbedText: scrub.text,
    readable: readParts > 0,
  };
}

/**
 * Serializes canonical transactions as JSON, with a last card-number check on the output: a number that
 * reached the canonical form some other way (escaped in the source, say) is still never written.
 */
export function serializeTransactions(value: unknown): string {
  return scrubCardData(JSON.stringify(value), 'json').text;
}
