// shared/dataverse/multipart.ts: the multipart/mixed and application/http framing of OData $batch
// (OData 4.0 Part 1, 11.7). Used by the client for requests and responses and by the local stand-in.

export interface MultipartPart {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export interface HttpMessage {
  /** `PATCH /api/data/v9.2/x HTTP/1.1` or `HTTP/1.1 204 No Content`. */
  startLine: string;
  headers: Record<string, string>;
  body: string;
}

/** The boundary parameter of a multipart Content-Type, quoted or not. */
export function boundaryOf(contentType: string | null | undefined): string | null {
  if (!contentType || !/^\s*multipart\/mixed\b/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function readHeaders(lines: string[], from: number): { headers: Record<string, string>; next: number } {
  const headers: Record<string, string> = {};
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') return { headers, next: i + 1 };
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, next: i };
}

/**
 * Parts of a multipart body. Line based, accepting CRLF (the standard) and bare LF (what hand-written
 * requests often have). The CRLF before a delimiter belongs to the delimiter, so a body is exactly the
 * lines between its headers and the next delimiter.
 */
export function parseMultipart(text: string, boundary: string): MultipartPart[] {
  const delimiter = `--${boundary}`;
  const closing = `${delimiter}--`;
  const lines = text.split(/\r?\n/);
  const parts: MultipartPart[] = [];
  let current: string[] | null = null;
  const flush = () => {
    if (!current) return;
    const { headers, next } = readHeaders(current, 0);
    parts.push({ headers, body: current.slice(next).join('\r\n') });
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === delimiter || line === closing) {
      flush();
      current = line === closing ? null : [];
      if (line === closing) break;
      continue;
    }
    current?.push(raw);
  }
  if (current) throw new Error(`multipart body has no closing delimiter ${closing}`);
  return parts;
}

/** An HTTP request or response carried as `application/http`. */
export function parseHttpMessage(text: string): HttpMessage {
  const lines = text.split(/\r?\n/);
  let start = 0;
  while (start < lines.length && lines[start]!.trim() === '') start++;
  const startLine = (lines[start] ?? '').trim();
  const { headers, next } = readHeaders(lines, start + 1);
  return { startLine, headers, body: lines.slice(next).join('\r\n').replace(/\s+$/, '') };
}

/** Builds a multipart body from already framed parts (each: headers, blank line, body). */
export function buildMultipart(boundary: string, parts: string[]): string {
  return parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`;
}

export function headerBlock(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
}
