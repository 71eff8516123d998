// test/support/fakeVendorApi.ts: Square's and Clover's order APIs as a real HTTP server on 127.0.0.1, for
// the work-item fetcher (no local emulator of either exists). It behaves as the services do where the
// fetcher depends on it: bearer tokens checked (Clover one per merchant; Square one per seller, each
// seeing only its seller's orders, so another seller's order is a 404 as for an unknown one), 401 with
// the vendor's error body, 404 for an unknown order, and scripted answers for a path (a 429 with
// Retry-After, a 500, a slow answer) before the stored orders.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Milliseconds before the answer is sent. */
  delayMs?: number;
}

export interface FakeRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** Whether the bearer token was the one the vendor expects for this path. */
  authorized: boolean;
  squareVersion: string | null;
  /** Square: the seller whose token was sent (`squareSellerTokens`), '' for `squareToken`, null for none. */
  squareSeller: string | null;
}

export interface FakeVendorApi {
  baseUrl: string;
  /** Square orders of the seller of `squareToken`, by id, answered as `{ "order": ... }`. */
  squareOrders: Map<string, unknown>;
  /** Square orders of the sellers of `squareSellerTokens`, by `<merchantId>/<orderId>`. */
  squareSellerOrders: Map<string, unknown>;
  /** Clover orders by `<merchantId>/<orderId>`, answered as they are. */
  cloverOrders: Map<string, unknown>;
  /** Answers for the next requests to `pathname` (after the token check), one each, in order. */
  script(pathname: string, ...answers: FakeAnswer[]): void;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export interface FakeVendorApiOptions {
  squareToken: string;
  /** Square merchant id -> the access token of that seller. */
  squareSellerTokens?: Record<string, string>;
  /** Merchant id -> the token Clover issued for it. */
  cloverTokens: Record<string, string>;
}

const SQUARE_ORDER = /^\/v2\/orders\/([^/]+)$/;
const CLOVER_ORDER = /^\/v3\/merchants\/([^/]+)\/orders\/([^/]+)$/;

export async function startFakeVendorApi(options: FakeVendorApiOptions): Promise<FakeVendorApi> {
  const squareOrders = new Map<string, unknown>();
  const squareSellerOrders = new Map<string, unknown>();
  const cloverOrders = new Map<string, unknown>();
  const scripted = new Map<string, FakeAnswer[]>();
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function send(res: ServerResponse, answer: FakeAnswer): void {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body),
      );
    };
    if (!answer.delayMs) return write();
    const timer = setTimeout(() => {
      timers.delete(timer);
      write();
    }, answer.delayMs);
    timers.add(timer);
  }

  function answerFor(req: IncomingMessage, url: URL): FakeAnswer {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const square = SQUARE_ORDER.exec(url.pathname);
    const clover = CLOVER_ORDER.exec(url.pathname);
    const seller =
      bearer === undefined
        ? null
        : bearer === options.squareToken
          ? ''
          : (Object.entries(options.squareSellerTokens ?? {}).find(([, t]) => t === bearer)?.[0] ?? null);
    const authorized = square
      ? seller !== null
      : clover !== null &&
        bearer !== undefined &&
        bearer === options.cloverTokens[decodeURIComponent(clover[1]!)];
    requests.push({
      method: req.method ?? '',
      pathname: url.pathname,
      query: url.searchParams,
      authorized,
      squareVersion: (req.headers['square-version'] as string | undefined) ?? null,
      squareSeller: square ? seller : null,
    });
    if (req.method !== 'GET' || (!square && !clover)) return { status: 404, body: { message: 'Not Found' } };
    if (!authorized) {
      return square
        ? {
            status: 401,
            body: {
              errors: [
                {
                  category: 'AUTHENTICATION_ERROR',
                  code: 'UNAUTHORIZED',
                  detail: 'This request could not be authorized.',
                },
              ],
            },
          }
        : { status: 401, body: { message: '401 Unauthorized' } };
    }
    const next = scripted.get(url.pathname)?.shift();
    if (next) return next;
    if (square) {
      const id = decodeURIComponent(square[1]!);
      const order = seller === '' ? squareOrders.get(id) : squareSellerOrders.get(`${seller}/${id}`);
      if (order === undefined) {
        return {
          status: 404,
          body: {
            errors: [
              {
                category: 'INVALID_REQUEST_ERROR',
                code: 'NOT_FOUND',
                detail: `Could not find an order with id \`${id}\`.`,
                field: 'order_id',
              },
            ],
          },
        };
      }
      return { status: 200, body: { order } };
    }
    const order = cloverOrders.get(`${decodeURIComponent(clover![1]!)}/${decodeURIComponent(clover![2]!)}`);
    return order === undefined
      ? { status: 404, body: { message: 'Not Found' } }
      : { status: 200, body: order };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    req.resume();
    req.on('end', () => send(res, answerFor(req, url)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    squareOrders,
    squareSellerOrders,
    cloverOrders,
    requests,
    script(pathname, ...answers) {
      scripted.set(pathname, [...(scripted.get(pathname) ?? []), ...answers]);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
