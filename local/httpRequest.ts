// local/httpRequest.ts: an incoming Node request to the `HttpRequest` a handler receives, built from
// the same fields the host sends the worker (method, url, headers, query, params, body bytes).
import type { IncomingMessage } from 'node:http';
import { HttpRequest } from '@azure/functions';
import type { RouteParams } from './httpRoute';

export class BodyTooLargeError extends Error {}

/** The host's default request body limit: 100 MiB (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, in bytes). */
export const DEFAULT_BODY_LIMIT = 100 * 1024 * 1024;

/**
 * Reads the body, rejecting with BodyTooLargeError as soon as it would exceed `limit`: a declared
 * Content-Length is refused before any byte is read, a chunked body once the count passes the limit.
 */
export function readBoundedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Node joins repeated headers itself except a few kept as arrays; the host hands one string each. */
function toHeaderRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Repeated query keys arrive comma-joined, as in the host's query dictionary. */
function toQueryRecord(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  return query;
}

export function toHttpRequest(
  req: IncomingMessage,
  url: URL,
  params: RouteParams,
  body: Buffer,
): HttpRequest {
  return new HttpRequest({
    method: req.method ?? 'GET',
    url: url.toString(),
    headers: toHeaderRecord(req),
    query: toQueryRecord(url),
    params,
    body: { bytes: body },
  });
}
