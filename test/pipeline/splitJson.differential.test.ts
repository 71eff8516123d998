// transformPayload decides whether a JSON body is NDJSON in one pass over the line starts instead of
// splitting every body into lines; this holds that decision, and the whole result, to the straightforward
// reading it replaced (split on /\r?\n/, trim each line) on generated bodies.
import fc from 'fast-check';
import type { CanonicalTransaction, Finding } from '../../shared/model';
import { mayBeNdjson, transformPayload } from '../../shared/pipeline/transformPayload';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { scrubCardData } from '../../shared/privacy/cardNumbers';
import { validateTransactions } from '../../shared/quality';
import { adapterFor } from '../../shared/sources/registry';
import type { SourceAdapter, SourceContext, WorkItem } from '../../shared/sources/types';
import { arbCanonical, sale } from '../support/canonical';

const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};
const NOW = Date.parse('2026-12-01T00:00:00Z');
const canonical = adapterFor('canonical')!;

function referenceMayBeNdjson(trimmed: string): boolean {
  const lines = trimmed.split(/\r?\n/);
  const nonBlank = lines.filter((l) => l.trim());
  return lines.length > 1 && nonBlank.every((l) => l.trimStart().startsWith('{')) && nonBlank.length > 1;
}

interface PayloadText {
  value?: unknown;
  text?: string;
  label?: string;
}

/** transformPayload for JSON sources as it was before the one-pass NDJSON check. */
function referenceTransform(adapter: SourceAdapter, text: string, sourceCtx: SourceContext, now: number) {
  const scrub = scrubCardData(text, 'json');
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
  const withLabel = (fs: Finding[], label: string | undefined) =>
    label ? fs.map((f) => ({ ...f, path: label + f.path })) : fs;
  const split = ((): { parts: PayloadText[]; findings: Finding[] } => {
    const trimmed = scrub.text.trim();
    if (trimmed.startsWith('[')) {
      const parsed = adapter.parse(trimmed);
      if (!parsed.ok) return { parts: [], findings: [parsed.finding] };
      if (!Array.isArray(parsed.value)) return { parts: [{ value: parsed.value }], findings: [] };
      return { parts: parsed.value.map((value, i) => ({ value, label: `/${i}` })), findings: [] };
    }
    const lines = trimmed.split(/\r?\n/);
    if (referenceMayBeNdjson(trimmed)) {
      const parts: PayloadText[] = [];
      lines.forEach((l, i) => {
        if (l.trim()) parts.push({ text: l, label: `/line/${i + 1}` });
      });
      const whole = adapter.parse(trimmed);
      if (whole.ok) return { parts: [{ value: whole.value }], findings: [] };
      return { parts, findings: [] };
    }
    return { parts: [{ text: trimmed }], findings: [] };
  })();
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
    const result = adapter.toCanonical(value, sourceCtx);
    transactions.push(...result.transactions);
    findings.push(...withLabel(result.findings, part.label));
    if (result.workItems) workItems.push(...result.workItems);
  }
  return {
    transactions: validateTransactions(transactions, { now, timeZone: sourceCtx.timeZone }),
    findings,
    workItems,
    scrubbedText: scrub.text,
    readable: readParts > 0,
  };
}

const SPACES = [' ', '\t', '\r', '\v', '\f', '\u00a0', '\ufeff', '\u2028', '\u3000', '\u001f', '\u0085'];

describe('NDJSON detection', () => {
  it('agrees with splitting into trimmed lines', () => {
    const body = fc
      .array(fc.constantFrom('{', '}', '[', 'x', '"', '\n', '\r\n', '\n', ...SPACES), { maxLength: 40 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(body, fc.string()), (text) => {
        const trimmed = text.trim();
        expect(mayBeNdjson(trimmed)).toBe(referenceMayBeNdjson(trimmed));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('transformPayload on JSON bodies', () => {
  const line = fc.oneof(
    arbCanonical.map((tx) => JSON.stringify(tx)),
    arbCanonical.map((tx) => JSON.stringify(tx, null, 2)),
    fc.constantFrom(
      '{"broken": ',
      '',
      '   ',
      '[1]',
      'x',
      JSON.stringify(sale({ sourceKey: 'dup' })),
      '{"lines": 4111111111111111}',
    ),
  );
  const sep = fc.constantFrom('\n', '\r\n', '\n\n', ' \n\t', '\u00a0\n');
  const bodies = fc.oneof(
    fc.array(fc.tuple(line, sep), { maxLength: 5 }).map((a) => a.map(([l, s]) => l + s).join('')),
    fc.array(arbCanonical, { maxLength: 3 }).map((txs) => JSON.stringify(txs)),
    line,
  );

  it('gives the result it gave before', () => {
    fc.assert(
      fc.property(bodies, (text) => {
        expect(transformPayload(canonical, text, ctx, NOW)).toEqual(
          referenceTransform(canonical, text, ctx, NOW),
        );
      }),
      { numRuns: 300 },
    );
  });
});
