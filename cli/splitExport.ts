// cli/splitExport.ts: one export file as request bodies for POST /api/v1/ingest/{source}, each at most
// `maxBytes` (uncompressed), split on record boundaries and deterministically (docs/ingest.md, "Loading
// historical exports"). XML is never split: a POSLog file is one document, and cutting it would need
// the vendor's schema; a file over the limit is refused instead.
import { textFormatOf } from '../shared/pipeline/transformPayload';
import type { SourceName } from '../shared/model';
import type { SplitResult } from './packRecords';
import { splitCsvExport } from './splitCsvExport';
import { splitJsonExport } from './splitJsonExport';

export type { ExportBody, Refusal, SplitResult } from './packRecords';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function splitExport(file: string, data: Buffer, source: SourceName, maxBytes: number): SplitResult {
  const format = textFormatOf(source);
  if (format === 'text') return splitCsvExport(file, data, maxBytes);
  const text = data.subarray(data.subarray(0, 3).equals(BOM) ? 3 : 0).toString('utf8');
  if (format === 'json') return splitJsonExport(file, text, maxBytes);
  const body = Buffer.from(text.trim(), 'utf8');
  if (body.length === 0) return { bodies: [], refusals: [] };
  if (body.length > maxBytes) {
    return { bodies: [], refusals: [{ file, record: null, message: `${file} has ${body.length} bytes, over the limit of ${maxBytes} bytes per body; an XML file is sent whole, never split: split it at the source or raise --max-bytes (and the hub's POS_HUB_MAX_BODY_BYTES)` }] };
  }
  return { bodies: [{ file, part: 1, records: 1, body, contentType: 'application/xml' }], refusals: [] };
}
