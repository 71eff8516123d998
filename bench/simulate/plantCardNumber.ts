// bench/simulate/plantCardNumber.ts: card numbers where real POS leak them. A misconfigured register
// logs the full PAN in POSLog's PrimaryAccountNumber; cashiers type card numbers into notes and item
// descriptions; a terminal integration dumps one into a free-text field. The hub must mask every one
// before anything is stored, so the simulator plants test numbers (Luhn-valid, real scheme prefixes)
// and reports where.
import type { SourceName } from '../../shared/model';
import { isLuhnValid, maskCardNumber } from '../../shared/privacy/cardNumbers';
import type { Rng } from '../rng';

const PREFIXES: [string, number][] = [
  ['4', 16],
  ['51', 16],
  ['2221', 16],
  ['37', 15],
  ['6011', 16],
];

/** A Luhn-valid card number with a real issuer prefix (digits only). */
export function cardNumberFrom(rng: Rng): string {
  const [prefix, length] = rng.pick(PREFIXES);
  let body = prefix;
  while (body.length < length - 1) body += String(rng.int(0, 9));
  for (let d = 0; d <= 9; d++) if (isLuhnValid(body + d)) return body + d;
  throw new Error('unreachable: one check digit always fits');
}

/** What the report shows of a planted number: the PCI display mask, never the number. */
export const maskedForReport = (pan: string) => maskCardNumber(pan);

const grouped = (pan: string) => pan.replace(/(\d{4})(?=\d)/g, '$1 ');

// JSON fields people type into; the first one found (in document order) gets the number.
const JSON_FREE_TEXT = /"(note|name|description|displayName|title|reason|variation_name)":"/;

export interface Planted {
  text: string;
  /** Where the number went, for the report. */
  where: string;
}

export function plantCardNumber(source: SourceName, text: string, pan: string): Planted {
  if (source === 'poslog') {
    if (/<PrimaryAccountNumber>\*+\d{4}<\/PrimaryAccountNumber>/.test(text)) {
      return {
        text: text.replace(
          /<PrimaryAccountNumber>\*+\d{4}<\/PrimaryAccountNumber>/,
          `<PrimaryAccountNumber>${pan}</PrimaryAccountNumber>`,
        ),
        where: 'PrimaryAccountNumber',
      };
    }
    return {
      text: text.replace(/<Description>/, `<Description>card ${grouped(pan)} `),
      where: 'Description',
    };
  }
  if (source === 'csv') {
    // The description column of the first data row (no comma or quote is added, so no quoting changes).
    const lines = text.split('\r\n');
    const header = lines[0]!.split(',');
    const col = header.indexOf('description');
    const cells = lines[1]!.split(',');
    if (col >= 0 && cells[col] !== undefined && !cells[col]!.startsWith('"')) {
      cells[col] = `${cells[col]} card ${grouped(pan)}`;
      lines[1] = cells.join(',');
      return { text: lines.join('\r\n'), where: 'description' };
    }
    throw new Error('csv payload without a plain description cell in its first row');
  }
  const m = JSON_FREE_TEXT.exec(text);
  if (m) {
    const at = m.index + m[0].length;
    return { text: `${text.slice(0, at)}card ${grouped(pan)} ${text.slice(at)}`, where: m[1]! };
  }
  const brace = text.indexOf('{');
  return {
    text: `${text.slice(0, brace + 1)}"note":"card ${grouped(pan)}",${text.slice(brace + 1)}`,
    where: 'note',
  };
}
