// shared/ingest/bodyFormat.ts: which media types each source's bodies may come as.
import type { SourceName } from '../model';
import { textFormatOf } from '../pipeline/transformPayload';

const JSON_TYPES = ['application/json', 'application/x-ndjson', 'application/ndjson'];
const XML_TYPES = ['application/xml', 'text/xml'];
const CSV_TYPES = ['text/csv'];

export function acceptedMediaTypes(source: SourceName): readonly string[] {
  const format = textFormatOf(source);
  return format === 'xml' ? XML_TYPES : format === 'text' ? CSV_TYPES : JSON_TYPES;
}

/**
 * The media type without parameters, lower-cased, when it is one the source takes and its charset (if
 * any) is UTF-8 (or its ASCII subset); otherwise null. Bodies are read as UTF-8, so another charset
 * would be misread rather than refused.
 */
export function acceptedMediaType(source: SourceName, contentType: string | undefined): string | null {
  if (!contentType) return null;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (!type || !acceptedMediaTypes(source).includes(type)) return null;
  for (const p of params) {
    const [name, value] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8' && value !== 'us-ascii') return null;
  }
  return type;
}
