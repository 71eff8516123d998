// Acceptance property: scrubbing removes every Luhn-valid card number planted anywhere in a payload of
// any format. A card number is planted in a real payload (the fixtures, and generated traffic) in place
// of a string or a number, inside free text, as a new field, in an XML text node or attribute, or in a
// CSV cell; whatever the adapter then makes of the payload, neither the text kept for storage nor the
// canonical output nor the findings may hold the number, and the pipeline must not throw.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { isLosslessNumber, LosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { GENERATORS } from '../../bench/generators';
import { createRng } from '../../bench/rng';
import type { SourceName } from '../../shared/model';
import { serializeTransactions, textFormatOf, transformPayload } from '../../shared/pipeline/transformPayload';
import { adapterFor, sourceNames } from '../../shared/sources/registry';
import type { SourceContext } from '../../shared/sources/types';
import { arbWrittenCard, type WrittenCard } from '../support/cards';
import { newYorkStoreContext } from '../support/storeContext';

const ctx: SourceContext = newYorkStoreContext();
const NOW = Date.parse('2026-12-01T00:00:00Z');
const FIXTURES = path.join(__dirname, '..', 'fixtures');
const GENERATED_PER_SOURCE = 12;
const RUNS_PER_SOURCE = 150;

/** Where and how a card number goes into a payload; `where` and `at` pick among the candidates. */
interface Plan {
  mode: 'replace' | 'embed' | 'field' | 'number';
  where: number;
  at: number;
}
const arbPlan: fc.Arbitrary<Plan> = fc.record({
  mode: fc.constantFrom('replace', 'embed', 'field', 'number'),
  where: fc.nat(),
  at: fc.nat(),
});

/**
 * Free text with the card put between two words (or at either end), separated by spaces as people
 * write it. Gluing it to other digits would make a longer number that is no card number at all.
 */
function embed(text: string, card: string, at: number): string {
  const words = text === '' ? [] : text.split(' ');
  words.splice(at % (words.length + 1), 0, card);
  return words.join(' ');
}

type Json = unknown;

/** Plants the card in a JSON payload: a string or number replaced, free text, or a new field. */
function plantJson(text: string, card: WrittenCard, plan: Plan): string {
  // lossless-json keeps ids beyond 2^53 exact, so the payload is otherwise unchanged.
  const root = { payload: parseLossless(text) as Json };
  const strings: { parent: Record<string, Json> | Json[]; key: string | number }[] = [];
  const numbers: typeof strings = [];
  const objects: Record<string, Json>[] = [];
  const walk = (v: Json, parent: Record<string, Json> | Json[], key: string | number) => {
    if (typeof v === 'string') strings.push({ parent, key });
    else if (isLosslessNumber(v) || typeof v === 'number') numbers.push({ parent, key });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, v, i));
    else if (v && typeof v === 'object') {
      objects.push(v as Record<string, Json>);
      for (const [k, x] of Object.entries(v)) walk(x, v as Record<string, Json>, k);
    }
  };
  walk(root.payload, root, 'payload');
  const set = (slot: (typeof strings)[number], value: Json) => ((slot.parent as Record<string | number, Json>)[slot.key] = value);
  const bare = /^\d+$/.test(card.text);
  const slotsFor = plan.mode === 'number' ? (numbers.length ? numbers : strings) : strings;
  if (plan.mode === 'field' || slotsFor.length === 0) {
    const target = objects[plan.where % Math.max(1, objects.length)] ?? (root as Record<string, Json>);
    // A new field, as a string or (when written without separators) as a bare JSON number.
    target[`x_note_${plan.at % 7}`] = bare && plan.at % 2 ? new LosslessNumber(card.text) : card.text;
  } else {
    const slot = slotsFor[plan.where % slotsFor.length]!;
    const current = (slot.parent as Record<string | number, Json>)[slot.key];
    if (plan.mode === 'number') set(slot, bare ? new LosslessNumber(card.text) : card.text);
    else if (plan.mode === 'embed' && typeof current === 'string') set(slot, embed(current, card.text, plan.at));
    else set(slot, card.text);
  }
  return stringifyLossless(root.payload, undefined, plan.at % 3 === 0 ? 2 : undefined)!;
}

/** Plants the card in XML: a text node (replaced or within), an attribute value, or a new element. */
function plantXml(text: string, card: WrittenCard, plan: Plan): string {
  const texts = [...text.matchAll(/>([^<]+)</g)].filter((m) => m[1]!.trim() !== '');
  const attrs = [...text.matchAll(/\s[\w:.-]+="([^"]*)"/g)];
  const opens = [...text.matchAll(/<([A-Za-z][\w:.-]*)(\s[^>]*)?>/g)].filter((m) => !m[0].endsWith('/>'));
  const splice = (start: number, end: number, value: string) => text.slice(0, start) + value + text.slice(end);
  if (plan.mode === 'field' && opens.length) {
    const m = opens[plan.where % opens.length]!;
    const end = m.index + m[0].length;
    return splice(end, end, `<Note>${card.text}</Note>`);
  }
  if (plan.mode === 'number' && attrs.length) {
    const m = attrs[plan.where % attrs.length]!;
    const start = m.index + m[0].length - 1 - m[1]!.length;
    return splice(start, start + m[1]!.length, plan.at % 2 ? card.text : embed(m[1]!, card.text, plan.at));
  }
  const m = texts[plan.where % Math.max(1, texts.length)];
  if (!m) return text + card.text;
  const start = m.index + 1;
  const value = m[1]!;
  return splice(start, start + value.length, plan.mode === 'embed' ? embed(value, card.text, plan.at) : card.text);
}

/** RFC 4180 cell, quoted when it must be. */
const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Plants the card in a CSV cell (replaced or within), or in a new column. */
function plantCsv(text: string, card: WrittenCard, plan: Plan): string {
  let rows: string[][];
  try {
    rows = parseCsv(text, { bom: true, relax_column_count: true, relax_quotes: true }) as string[][];
  } catch {
    // An unreadable file: the card goes on a line of its own.
    return `${text}\n${card.text}\n`;
  }
  if (rows.length === 0) return card.text;
  if (plan.mode === 'field') {
    rows.forEach((r, i) => r.push(i === 0 ? 'note' : i === 1 + (plan.where % Math.max(1, rows.length - 1)) ? card.text : ''));
  } else {
    const r = rows[plan.where % rows.length]!;
    const c = plan.at % Math.max(1, r.length);
    r[c] = plan.mode === 'embed' ? embed(r[c] ?? '', card.text, plan.at) : card.text;
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function plant(source: SourceName, text: string, card: WrittenCard, plan: Plan): string {
  const format = textFormatOf(source);
  if (format === 'xml') return plantXml(text, card, plan);
  if (format === 'text') return plantCsv(text, card, plan);
  return plantJson(text, card, plan);
}

const EXTENSION: Record<string, string> = { json: '.json', xml: '.xml', text: '.csv' };

/** The format's own fixtures, and generated traffic, as the payloads to plant in. */
function payloadsOf(source: SourceName): { name: string; text: string }[] {
  const dir = path.join(FIXTURES, source);
  const ext = EXTENSION[textFormatOf(source)]!;
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => ({ name: `fixture ${f}`, text: readFileSync(path.join(dir, f), 'utf8') }));
  const generate = GENERATORS[source];
  const rng = createRng(2026);
  const generated = generate ? Array.from({ length: GENERATED_PER_SOURCE }, (_, i) => ({ name: `generated #${i}`, text: generate(rng, i) })) : [];
  return [...fixtures, ...generated];
}

/** Digits as they would be read back: spaces and dashes (the ways of grouping a card number) removed. */
const ungrouped = (text: string) => text.replace(/[\s-]/g, '');

describe('card numbers planted anywhere in any format', () => {
  it.each(sourceNames())('%s: scrubbed text, canonical output and findings never hold the planted number', (source) => {
    const adapter = adapterFor(source)!;
    const payloads = payloadsOf(source);
    expect(payloads.length).toBeGreaterThan(GENERATED_PER_SOURCE);
    fc.assert(
      fc.property(fc.constantFrom(...payloads), arbWrittenCard, arbPlan, (payload, card, plan) => {
        const text = plant(source, payload.text, card, plan);
        // The plan really planted it (a plan that found no place would prove nothing).
        expect(ungrouped(text)).toContain(card.pan);
        const r = transformPayload(adapter, text, ctx, NOW);
        expect(ungrouped(r.scrubbedText)).not.toContain(card.pan);
        expect(ungrouped(serializeTransactions(r.transactions))).not.toContain(card.pan);
        expect(ungrouped(JSON.stringify(r.findings))).not.toContain(card.pan);
        expect(ungrouped(JSON.stringify(r.workItems))).not.toContain(card.pan);
      }),
      { numRuns: RUNS_PER_SOURCE },
    );
  });

  it('plants where it says: a bare JSON number, an XML attribute, a CSV cell', () => {
    const card = { pan: '4111111111111111', text: '4111111111111111' };
    expect(plantJson('{"a":{"amount":12}}', card, { mode: 'number', where: 0, at: 1 })).toBe('{"a":{"amount":4111111111111111}}');
    expect(plantJson('{"a":"paid by card"}', card, { mode: 'embed', where: 0, at: 2 })).toBe('{"a":"paid by 4111111111111111 card"}');
    expect(plantXml('<a><b n="x">t</b></a>', card, { mode: 'number', where: 0, at: 1 })).toBe('<a><b n="4111111111111111">t</b></a>');
    expect(plantXml('<a><b>t</b></a>', card, { mode: 'field', where: 1, at: 0 })).toBe('<a><b><Note>4111111111111111</Note>t</b></a>');
    expect(plantCsv('h1,h2\r\nx,"y, z"\r\n', card, { mode: 'replace', where: 1, at: 0 })).toBe('h1,h2\r\n4111111111111111,"y, z"\r\n');
  });
});
