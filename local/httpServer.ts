// local/httpServer.ts: serves the app's HTTP functions the way the Functions host does: routes under the
// host.json prefix, function-level keys, bounded bodies, 404 for an unknown route or method, an empty
// 500 when a handler throws; plus the admin API that runs a non-HTTP function now, and the durable
// task webhooks handed to the durable extension.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegisteredFunction } from './functionsCore';
import { BodyTooLargeError, readBoundedBody, toHttpRequest } from './httpRequest';
import { toHttpResponse, writeEmpty, writeHttpResponse } from './httpResponse';
import { byPrecedence, compileRoute, pathSegments, type CompiledRoute } from './httpRoute';
import type { ContextFactory, RuntimeLog } from './invocationContext';
import { keyMatches } from './keys';

export interface HttpServerOptions {
  port: number;
  functions: RegisteredFunction[];
  routePrefix: string;
  functionKey: string;
  bodyLimit: number;
  log: RuntimeLog;
  newContext: ContextFactory;
  /** The durable extension's webhooks; false when it did not handle the request. */
  durableWebhook(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean>;
  /** Starts a non-HTTP function now (admin API); false when that trigger cannot be started this way. */
  invokeNow(fn: RegisteredFunction, input: unknown): boolean;
}

export interface LocalHttpServer {
  port: number;
  baseUrl: string;
  close(): Promise<void>;
}

interface HttpRoute {
  fn: RegisteredFunction;
  route: CompiledRoute;
  methods: Set<string> | undefined;
  authLevel: string;
}

const DURABLE_WEBHOOKS = '/runtime/webhooks/durabletask/';

function toRoutes(functions: RegisteredFunction[], routePrefix: string): HttpRoute[] {
  return functions
    .filter((fn) => fn.trigger.type.toLowerCase() === 'httptrigger')
    .map((fn) => {
      const template = typeof fn.trigger.route === 'string' ? fn.trigger.route : fn.name;
      const methods =
        Array.isArray(fn.trigger.methods) && fn.trigger.methods.length > 0
          ? new Set(fn.trigger.methods.map((m: unknown) => String(m).toUpperCase()))
          : undefined;
      return {
        fn,
        route: compileRoute([routePrefix, template].filter((p) => p !== '').join('/')),
        methods,
        authLevel: String(fn.trigger.authLevel ?? 'anonymous').toLowerCase(),
      };
    })
    .sort((a, b) => byPrecedence(a.route, b.route));
}

/** The host takes the key from `x-functions-key`, else from `?code=`. */
function presentedKey(req: IncomingMessage, url: URL): string | null {
  const header = req.headers['x-functions-key'];
  if (typeof header === 'string') return header;
  return url.searchParams.get('code');
}

export function startHttpServer(options: HttpServerOptions): Promise<LocalHttpServer> {
  const routes = toRoutes(options.functions, options.routePrefix);
  let baseUrl = '';

  async function invokeHttp(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    match: HttpRoute,
    params: Record<string, string>,
  ) {
    if (match.authLevel !== 'anonymous' && !keyMatches(presentedKey(req, url), options.functionKey))
      return writeEmpty(res, 401);
    const body = await readBoundedBody(req, options.bodyLimit);
    const request = toHttpRequest(req, url, params, body);
    const context = options.newContext(match.fn);
    let response;
    try {
      response = toHttpResponse(await match.fn.handler(request, context));
    } catch (err) {
      options.log(
        `[${match.fn.name}] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      return writeEmpty(res, 500);
    }
    await writeHttpResponse(res, response);
  }

  async function invokeAdmin(req: IncomingMessage, res: ServerResponse, url: URL, name: string) {
    if (!keyMatches(presentedKey(req, url), options.functionKey)) return writeEmpty(res, 401);
    const fn = options.functions.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!fn) return writeEmpty(res, 404);
    const body = await readBoundedBody(req, options.bodyLimit);
    let input: unknown;
    try {
      input =
        body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as { input?: unknown }).input;
    } catch {
      return writeEmpty(res, 400);
    }
    writeEmpty(res, options.invokeNow(fn, input) ? 202 : 400);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith(DURABLE_WEBHOOKS)) {
      if (await options.durableWebhook(req, res, await readBoundedBody(req, options.bodyLimit))) return;
      return writeEmpty(res, 404);
    }
    const admin = /^\/admin\/functions\/([^/]+)\/?$/i.exec(url.pathname);
    if (admin && method === 'POST') return invokeAdmin(req, res, url, decodeURIComponent(admin[1]!));
    const segments = pathSegments(url.pathname);
    if (segments) {
      for (const route of routes) {
        if (route.methods && !route.methods.has(method)) continue;
        const params = route.route.match(segments);
        if (params) return invokeHttp(req, res, url, route, params);
      }
    }
    // The host answers 404, not 405, when the path exists for other methods only.
    writeEmpty(res, 404);
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    handle(req, res)
      .catch((err: unknown) => {
        if (err instanceof BodyTooLargeError) {
          // Stop reading: close the connection after the answer instead of draining the rest.
          writeEmpty(res, 413, { connection: 'close' });
          return;
        }
        options.log(`HTTP ${req.method} failed: ${err instanceof Error ? err.message : String(err)}`);
        writeEmpty(res, 500);
      })
      .finally(() => {
        // The path only: the query may hold `code=<key>`.
        options.log(
          `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname} -> ${res.statusCode} (${Date.now() - started} ms)`,
        );
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      baseUrl = `http://127.0.0.1:${port}`;
      resolve({
        port,
        baseUrl,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
