// local/httpResponse.ts: what an HTTP handler returned (HttpResponse or HttpResponseInit) to the wire,
// as the worker converts it (toRpcHttp: status, headers, cookies, the body read to the end) and the
// host writes it (cookies as ASP.NET Core formats Set-Cookie).
import type { ServerResponse } from 'node:http';
import { HttpResponse, type Cookie } from '@azure/functions';

/** ASP.NET Core's SetCookieHeaderValue order and spelling; the host's CookieOptions default path is "/". */
export function toSetCookie(cookie: Cookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.expires !== undefined) parts.push(`expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`max-age=${Math.trunc(cookie.maxAge)}`);
  if (cookie.domain) parts.push(`domain=${cookie.domain}`);
  parts.push(`path=${cookie.path ?? '/'}`);
  if (cookie.secure) parts.push('secure');
  if (cookie.sameSite) parts.push(`samesite=${cookie.sameSite.toLowerCase()}`);
  if (cookie.httpOnly) parts.push('httponly');
  return parts.join('; ');
}

/**
 * Converts a handler's result. Like the worker, anything that is not an object is an error (the caller
 * answers 500); no result at all is an empty 204.
 */
export function toHttpResponse(result: unknown): HttpResponse {
  if (result === undefined || result === null) return new HttpResponse({ status: 204 });
  if (result instanceof HttpResponse) return result;
  if (typeof result !== 'object') {
    throw new TypeError(
      'The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".',
    );
  }
  return new HttpResponse(result as ConstructorParameters<typeof HttpResponse>[0]);
}

export async function writeHttpResponse(res: ServerResponse, response: HttpResponse): Promise<void> {
  // Read the whole body first (the worker does the same without HTTP streaming): a stream that fails
  // half-way then still becomes a clean 500 rather than a truncated 200.
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers[name] = value;
  }
  const cookies = [...response.headers.getSetCookie(), ...response.cookies.map(toSetCookie)];
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  // 204 and 304 carry no body and, per RFC 9110, no Content-Length.
  if (response.status !== 204 && response.status !== 304) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/** The host's answer for errors it produces itself: a status and no body. */
export function writeEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': '0' });
  res.end();
}
