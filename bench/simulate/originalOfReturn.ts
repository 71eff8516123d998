// bench/simulate/originalOfReturn.ts: the sale a return refers to, for formats where the simulator can
// make it. Generated returns name originals from before the simulated window; a retailer's traffic
// mostly returns what it sold, so the simulator sends the original first. Each builder makes the
// original from the return itself (same store, register, goods) or from the vendor's own generator
// under the referenced id; the planner keeps an original only if the hub's pipeline reads it as a
// sale whose sourceKey is the one the return names.
import type { SourceName } from '../../shared/model';
import { GENERATORS } from '../generators';
import { createRng } from '../rng';
import { seedOf } from './seedOf';

/** The register's local wall-clock text one day earlier (2026-11-05T10:11:12-05:00 keeps its offset). */
function dayEarlier(local: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2}:\d{2}|Z)$/.exec(local);
  if (!m) return local;
  const d = new Date(`${m[1]}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return `${d.toISOString().slice(0, 10)}T${m[2]}${m[3]}`;
}

/** CSV: the return's rows as a sale, under the original's transaction id, a day earlier. */
function csvOriginal(text: string, returnKey: string, originalKey: string): string | null {
  const lines = text.split('\r\n').filter((l) => l !== '');
  const header = lines[0]!.split(',');
  const col = (name: string) => header.indexOf(name);
  const [id, kind, original, day, at] = [
    'transaction_id',
    'kind',
    'original_transaction_id',
    'business_date',
    'occurred_at',
  ].map(col) as [number, number, number, number, number];
  const rows = lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((cells) => cells[id] === returnKey);
  if (rows.length === 0 || rows.some((cells) => cells.some((c) => c.startsWith('"')))) return null;
  for (const cells of rows) {
    cells[id] = originalKey;
    if (cells[kind]) cells[kind] = 'sale';
    if (original >= 0) cells[original] = '';
    if (cells[at]) cells[at] = dayEarlier(cells[at]!);
    if (cells[day]) cells[day] = dayEarlier(`${cells[day]}T00:00:00Z`).slice(0, 10);
  }
  return [lines[0], ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
}

/** POSLog: the return's Transaction element as a sale under the sequence and id its link names. */
function poslogOriginal(text: string, returnKey: string): string | null {
  const root = /^([\s\S]*?<POSLog[^>]*>\n)/.exec(text)?.[1];
  const transactions = text.match(/<Transaction[ >][\s\S]*?<\/Transaction>/g) ?? [];
  const ret = transactions.find((t) => {
    if (!t.includes('<TransactionLink')) return false;
    // The transaction's own key: its TransactionID, else store/workstation/day/sequence.
    const header = t.slice(0, t.indexOf('<RetailTransaction'));
    const id = /<TransactionID>([^<]+)<\/TransactionID>/.exec(header)?.[1];
    const seq = /<\/WorkstationID><SequenceNumber>(\d+)</.exec(header)?.[1];
    return id !== undefined ? id === returnKey : seq !== undefined && returnKey.endsWith(`/${seq}`);
  });
  if (!root || !ret) return null;
  const link =
    /<TransactionLink[^>]*>[\s\S]*?<SequenceNumber>(\d+)<\/SequenceNumber><TransactionID>([^<]+)<\/TransactionID><\/TransactionLink>/.exec(
      ret,
    );
  if (!link) return null;
  const [, seq, tid] = link;
  const sale = ret
    .replace(/<TransactionLink[^>]*>[\s\S]*?<\/TransactionLink>/g, '')
    .replace(/<Return /g, '<Sale ')
    .replace(/<\/Return>/g, '</Sale>')
    .replace(/TypeCode="Refund"/g, 'TypeCode="Sale"')
    .replace(/(<Total TotalType="[A-Za-z]+">)-/g, '$1')
    // The transaction's own sequence follows its workstation; its TransactionID (if any) follows that.
    .replace(
      /(<\/WorkstationID><SequenceNumber>)\d+(<\/SequenceNumber>)(<TransactionID>[^<]*<\/TransactionID>)?/,
      `$1${seq}$2<TransactionID>${tid}</TransactionID>`,
    );
  return `${root}${sale}\n</POSLog>\n`;
}

/** Shopify: the order the refund's order_id names, from the Shopify generator at that order's index. */
function shopifyOriginal(text: string, seed: number): string | null {
  const orderId = Number(/"order_id":(\d+)/.exec(text)?.[1]);
  // Generated order ids are 1_010_000_000_000 + 10 x index (bench/generators/shopify.ts).
  const index = (orderId - 1_010_000_000_000) / 10;
  if (!Number.isInteger(index) || index < 0) return null;
  for (let attempt = 0; attempt < 30; attempt++) {
    const body = GENERATORS.shopify!(createRng(seedOf(seed, 'shopify-original', index, attempt)), index);
    if (!body.includes('"refund_line_items"')) return body;
  }
  return null;
}

/** Adyen: an approved terminal payment under the POI transaction id a reversal names. */
function adyenOriginal(originalKey: string, seed: number): string | null {
  for (let attempt = 0; attempt < 30; attempt++) {
    const body = GENERATORS.adyen!(createRng(seedOf(seed, 'adyen-original', originalKey, attempt)), attempt);
    // The first TransactionID in a PaymentResponse is POIData's: the payment's own key.
    if (body.includes('"PaymentType":"Normal"'))
      return body.replace(/"TransactionID":"[^"]*"/, `"TransactionID":${JSON.stringify(originalKey)}`);
  }
  return null;
}

/** The original sale's payload, or null when this format's originals cannot be made. */
export function originalOfReturn(
  source: SourceName,
  text: string,
  returnKey: string,
  originalKey: string,
  seed: number,
): string | null {
  switch (source) {
    case 'csv':
      return csvOriginal(text, returnKey, originalKey);
    case 'poslog':
      return poslogOriginal(text, returnKey);
    case 'shopify':
      return shopifyOriginal(text, seed);
    case 'adyen':
      return adyenOriginal(originalKey, seed);
    default:
      return null;
  }
}
