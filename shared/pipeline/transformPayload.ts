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
  const lines = trimmed.split(/\r?\n/);
  if (lines.length > 1 && lines.filter((l) => l.trim()).every((l) => l.trimStart().startsWith('{')) && lines.filter((l) => l.trim()).length > 1) {
    const parts: PayloadText[] = [];
    lines.forEach((l, i) => {
      if (l.trim()) parts.push({ text: l, label: `/line/${i + 1}` });
    });
    // A pretty-printed single object also has lines starting with `{` only if nested objects start
    // lines; such a body parses as a whole, so prefer that reading.
    const whole = adapter.parse(trimmed);
    if (whole.ok) return { parts: [{ value: whole.value }], findings: [] };
    return { parts, findings: [] };
  }
  return { parts: [{ text: trimmed }], findings: [] };
}

function withLabel(findings: Finding[], label: string | undefined): Finding[] {
  return label ? findings.map((f) => ({ ...f, path: label + f.path })) : findings;
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
    findings.push({ code: 'privacy.card_number_masked', severity: 'warning', path: '', message: `${scrub.cardNumbers} card number(s) masked before storage` });
  }
  if (scrub.sensitiveFields > 0) {
    findings.push({ code: 'privacy.card_data_removed', severity: 'warning', path: '', message: `${scrub.sensitiveFields} expiry date, security code or track data value(s) removed` });
  }
  const split = format === 'json' ? splitJson(scrub.text, adapter) : { parts: [{ text: scrub.text }], findings: [] };
  findings.push(...split.findings);
  const transactions: CanonicalTransaction[] = [];
  const workItems: WorkItem[] = [];
  let readParts = 0;
  for (const part of split.parts) {
    let value = part.value;
    if (value === undefined) {
      const parsed = adapter.parse(part.text ?? '');
      if (!parsed.ok) {
        findings.push(...withLabel([parsed.finding], part.label));
        continue;
      }
      value = parsed.value;
    }
    readParts++;
    const result = adapter.toCanonical(value, ctx);
    transactions.push(...result.transactions);
    findings.push(...withLabel(result.findings, part.label));
    if (result.workItems) workItems.push(...result.workItems);
  }
  return {
    transactions: validateTransactions(transactions, { now, timeZone: ctx.timeZone }),
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
