// local/dataverse/startDataverseStandIn.ts: a local stand-in for the Dataverse Web API (v9.2) on
// 127.0.0.1. No local Dataverse exists, so this is the one fake: it answers the subset the hub's client
// uses (upsert by alternate key, UpsertMultiple, $batch, keyed queries, deletes, removing a lookup's
// link) the way the service does, including OAuth bearer checks and service protection limits (429
// with Retry-After, x-ms-dop-hint).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { boundaryOf, buildMultipart, headerBlock, parseHttpMessage, parseMultipart } from '../../shared/dataverse/multipart';
import { createServiceProtection, DATAVERSE_LIMITS, type ServiceLimits } from './serviceProtection';
import { createStandInData, ServiceFault, type WriteMode } from './standInData';
import { FilterError, filterColumns, MATCH_ALL, matches, parseFilter, type Filter } from './odataFilter';
import { DEFAULT_TABLES_FILE, loadTableSchemas, type TableSchema } from './tableSchema';

export type { ServiceLimits } from './serviceProtection';

export interface StandInOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Where `dataverse.json` persists the rows; in memory only when absent. */
  dataDir?: string;
  limits?: ServiceLimits;
  /** Bearer tokens accepted besides `local-dev`. */
  acceptTokens?: string[];
  /** The table definitions (default: the project's dataverse/tables.json). */
  tablesFile?: string;
  /** Extra service time per request, to make concurrency observable in tests. */
  latencyMs?: number;
}

/** Failures to inject into the next requests, in order (after auth and service protection). */
export type StandInFault = 'reset' | 'unavailable' | 'stall';

export interface RequestLogEntry {
  /** Arrival, epoch ms. */
  at: number;
  method: string;
  path: string;
  status: number;
  code?: string;
  retryAfterMs?: number;
}

export interface StandInStats {
  requests: number;
  accepted: number;
  unauthorized: number;
  /** 429s by code: 0x80072322 requests, 0x80072321 execution time, 0x80072326 concurrency. */
  throttled: Record<string, number>;
  maxInFlight: number;
}

export interface DataverseStandIn {
  url: string;
  port: number;
  stop(): Promise<void>;
  acceptToken(token: string): void;
  /** From now on the token is answered 401 "The access token expired", as the service does. */
  expireToken(token: string): void;
  injectFaults(...faults: StandInFault[]): void;
  stats(): StandInStats;
  resetStats(): void;
  requestLog(): RequestLogEntry[];
  /** Every row of a table by entity set, as GET would return it. */
  rows(entitySet: string): Record<string, unknown>[];
}

const API = '/api/data/v9.2/';
const URL_UNSAFE = /[/#<>*%&:\\?+]/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MAX_BODY = 64 * 1024 * 1024;
const LOG_LIMIT = 200_000;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'Content-Type': 'application/json; odata.metadata=minimal; charset=utf-8', 'OData-Version': '4.0', ...headers },
  body: JSON.stringify(body),
});
const errorAnswer = (status: number, code: string, message: string, headers: Record<string, string> = {}) => json(status, { error: { code, message } }, headers);

/** `col='v',col2=5` or a bare GUID, percent-decoded: the key of a row reference. */
const SIMPLE_KEY = /^([A-Za-z_][A-Za-z0-9_]*)='([^']*)'$/;
/** `<set>(<key>)/<nav>/$ref`: a row's single-valued navigation property as a reference. */
const NAV_REF = /^([A-Za-z0-9_]+)\((.*)\)\/([A-Za-z0-9_]+)\/\$ref$/;

function parseKeyPredicate(raw: string): Record<string, unknown> | string {
  const text = raw.includes('%') ? decodeURIComponent(raw) : raw;
  // The common case, one quoted key without escapes, without the general parser below.
  const simple = SIMPLE_KEY.exec(text);
  if (simple && !URL_UNSAFE.test(simple[2]!)) return { [simple[1]!]: simple[2]! };
  if (GUID.test(text)) return text.toLowerCase();
  const key: Record<string, unknown> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new ServiceFault(400, '0x80060891', `Cannot read the key predicate (${text}).`);
    const name = text.slice(i, eq).trim();
    i = eq + 1;
    let value: unknown;
    if (text[i] === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ServiceFault(400, '0x80060891', `Unterminated string in the key predicate (${text}).`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += text[i++];
      }
      if (URL_UNSAFE.test(s)) {
        throw new ServiceFault(400, '0x80060891', `The key value for '${name}' contains a character that cannot be used in a URL key.`);
      }
      value = s;
    } else {
      const end = text.indexOf(',', i);
      const lit = text.slice(i, end < 0 ? text.length : end).trim();
      i = end < 0 ? text.length : end;
      value = /^-?\d+(\.\d+)?$/.test(lit) ? Number(lit) : lit;
    }
    key[name] = value;
    if (text[i] === ',') i++;
  }
  return key;
}

/** `/api/data/v9.2/<set>(<key>)`, `<set>(<key>)` or an absolute URL: entity set and key. */
function parseReference(ref: string): { entitySet: string; key: Record<string, unknown> | string } | null {
  let rel = ref;
  const api = rel.indexOf(API);
  if (api >= 0) rel = rel.slice(api + API.length);
  rel = rel.replace(/^\//, '');
  const m = /^([A-Za-z0-9_]+)\((.*)\)$/.exec(rel);
  if (!m) return null;
  return { entitySet: m[1]!, key: parseKeyPredicate(m[2]!) };
}

function preferences(header: string | undefined): Set<string> {
  return new Set((header ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean));
}

export async function startDataverseStandIn(opts: StandInOptions = {}): Promise<DataverseStandIn> {
  const schemas = loadTableSchemas(opts.tablesFile ?? DEFAULT_TABLES_FILE);
  const limits = opts.limits ?? DATAVERSE_LIMITS;
  const protection = createServiceProtection(limits);
  const data = createStandInData(schemas, opts.dataDir ? path.join(opts.dataDir, 'dataverse.json') : null);
  const accepted = new Set(['local-dev', ...(opts.acceptTokens ?? [])]);
  const expired = new Set<string>();
  const faults: StandInFault[] = [];
  const log: RequestLogEntry[] = [];
  let requests = 0;
  let unauthorized = 0;
  let baseUrl = '';

  const schemaOf = (entitySet: string): TableSchema => {
    const s = schemas.get(entitySet);
    if (!s) throw new ServiceFault(404, '0x80060888', `Resource not found for the segment '${entitySet}'.`);
    return s;
  };
  const keyOf = (schema: TableSchema, key: Record<string, unknown> | string): Record<string, unknown> => {
    if (typeof key === 'string') {
      const row = data.findById(schema.logicalName, key);
      if (!row) throw new ServiceFault(404, '0x80040217', `${schema.logicalName} With Ids = ${key} Does Not Exist`);
      const k = schema.keys[0];
      if (!k) throw new ServiceFault(400, '0x80060891', `${schema.logicalName} has no alternate key.`);
      return Object.fromEntries(k.map((c) => [c, row[c]]));
    }
    return key;
  };
  const entityId = (schema: TableSchema, row: Record<string, unknown>) => `${baseUrl}${API}${schema.entitySet}(${String(row[schema.primaryId])})`;

  function write(schema: TableSchema, key: Record<string, unknown>, body: unknown, mode: WriteMode, prefer: Set<string>): Answer {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ServiceFault(400, '0x80044331', 'The request body must be a JSON object.');
    const { created, row } = data.upsert(schema.logicalName, key, body as Record<string, unknown>, mode, parseReference);
    const headers = { 'OData-EntityId': entityId(schema, row) };
    if (prefer.has('return=representation')) {
      return json(created ? 201 : 200, { '@odata.context': `${baseUrl}${API}$metadata#${schema.entitySet}/$entity`, ...row }, headers);
    }
    return { status: 204, headers: { ...headers, 'OData-Version': '4.0' }, body: '' };
  }

  function upsertMultiple(schema: TableSchema, body: unknown): Answer {
    const targets = (body as { Targets?: unknown } | null)?.Targets;
    if (!Array.isArray(targets) || targets.length === 0) throw new ServiceFault(400, '0x80044331', 'UpsertMultiple needs a non-empty Targets array.');
    if (targets.length > 1000) throw new ServiceFault(400, '0x80044331', `UpsertMultiple takes at most 1000 targets; got ${targets.length}.`);
    const expectedType = `Microsoft.Dynamics.CRM.${schema.logicalName}`;
    const prepared = targets.map((t, i) => {
      if (!t || typeof t !== 'object') throw new ServiceFault(400, '0x80044331', `Target ${i} is not an object.`);
      const target = t as Record<string, unknown>;
      if (target['@odata.type'] !== expectedType) {
        throw new ServiceFault(400, '0x80044331', `Target ${i}: @odata.type must be ${expectedType}.`);
      }
      let key: Record<string, unknown> | null = null;
      if (typeof target['@odata.id'] === 'string') {
        const ref = parseReference(target['@odata.id']);
        if (!ref || ref.entitySet !== schema.entitySet) throw new ServiceFault(400, '0x80044331', `Target ${i}: @odata.id is not a ${schema.entitySet} reference.`);
        key = keyOf(schema, ref.key);
      } else {
        const k = schema.keys.find((cols) => cols.every((c) => target[c] !== undefined && target[c] !== null));
        if (k) key = Object.fromEntries(k.map((c) => [c, target[c]]));
      }
      if (!key) throw new ServiceFault(400, '0x80044331', `Target ${i} has neither @odata.id nor the columns of an alternate key.`);
      return { key, target };
    });
    const seen = new Set<string>();
    for (const p of prepared) {
      const text = JSON.stringify(Object.entries(p.key).sort());
      if (seen.has(text)) throw new ServiceFault(400, '0x80044331', `Duplicate key ${JSON.stringify(p.key)} in Targets: each record can appear once per request.`);
      seen.add(text);
    }
    // Standard tables: any failure rolls back the whole request.
    data.atomically(() => prepared.forEach((p) => data.upsert(schema.logicalName, p.key, p.target, 'upsert', parseReference)));
    return { status: 204, headers: { 'OData-Version': '4.0' }, body: '' };
  }

  function query(schema: TableSchema, params: URLSearchParams, prefer: Set<string>, url: URL): Answer {
    const known = (c: string) =>
      c === schema.primaryId || schema.columns.has(c) || [...schema.lookups.values()].some((l) => `_${l.column}_value` === c);
    let filter: Filter = MATCH_ALL;
    const filterText = params.get('$filter');
    if (filterText) {
      try {
        filter = parseFilter(filterText);
      } catch (err) {
        if (err instanceof FilterError) throw new ServiceFault(400, '0x80060888', err.message);
        throw err;
      }
      const unknownColumn = filterColumns(filter).find((c) => !known(c));
      if (unknownColumn) throw new ServiceFault(400, '0x80060888', `Could not find a property named '${unknownColumn}' on type 'Microsoft.Dynamics.CRM.${schema.logicalName}'.`);
    }
    const select = params.get('$select')?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
    const unknownSelect = select?.find((c) => !known(c));
    if (unknownSelect) throw new ServiceFault(400, '0x80060888', `Could not find a property named '${unknownSelect}' on type 'Microsoft.Dynamics.CRM.${schema.logicalName}'.`);
    const topText = params.get('$top');
    const top = topText === null ? Infinity : Number(topText);
    if (!Number.isInteger(top) && top !== Infinity) throw new ServiceFault(400, '0x80060888', `Invalid $top: ${topText}.`);
    const pageSizePref = [...prefer].find((p) => p.startsWith('odata.maxpagesize='));
    const pageSize = pageSizePref ? Math.max(1, Number(pageSizePref.split('=')[1])) : 5000;
    const skip = Number(params.get('$skiptoken') ?? 0);
    const all = data.rows(schema.logicalName).filter((r) => matches(r, filter)).slice(0, top);
    const page = all.slice(skip, skip + pageSize).map((r) =>
      select ? Object.fromEntries([schema.primaryId, ...select].map((c) => [c, r[c] ?? null])) : r,
    );
    const body: Record<string, unknown> = { '@odata.context': `${baseUrl}${API}$metadata#${schema.entitySet}`, value: page };
    if (skip + pageSize < all.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', String(skip + pageSize));
      body['@odata.nextLink'] = next.toString();
    }
    return json(200, body);
  }

  /** One operation, top level or inside a $batch. Throws ServiceFault for the service's errors. */
  function operate(method: string, target: string, headers: Record<string, string | undefined>, bodyText: string): Answer {
    const url = new URL(target, baseUrl || 'http://127.0.0.1');
    if (!url.pathname.startsWith(API)) throw new ServiceFault(404, '0x80060888', `Resource not found for the segment '${url.pathname}'.`);
    const rel = url.pathname.slice(API.length);
    const prefer = preferences(headers['prefer']);
    const parseBody = () => {
      if (!bodyText) return {};
      try {
        return JSON.parse(bodyText) as unknown;
      } catch {
        throw new ServiceFault(400, '0x80044331', 'The request body is not valid JSON.');
      }
    };
    const multiple = /^([A-Za-z0-9_]+)\/Microsoft\.Dynamics\.CRM\.UpsertMultiple$/.exec(rel);
    if (multiple) {
      if (method !== 'POST') throw new ServiceFault(405, '0x8006088a', 'UpsertMultiple is a POST action.');
      return upsertMultiple(schemaOf(multiple[1]!), parseBody());
    }
    const navRef = NAV_REF.exec(rel);
    if (navRef) {
      // `DELETE <set>(<key>)/<nav>/$ref`: removes a single-valued navigation property's link, as
      // PATCH with `<nav>@odata.bind: null` does; the row must exist (no upsert).
      const schema = schemaOf(navRef[1]!);
      const nav = navRef[3]!;
      if (!schema.lookups.has(nav)) throw new ServiceFault(404, '0x80060888', `Resource not found for the segment '${nav}'.`);
      if (method !== 'DELETE') throw new ServiceFault(405, '0x8006088a', `${method} on a navigation reference is not supported by the stand-in.`);
      write(schema, keyOf(schema, parseKeyPredicate(navRef[2]!)), { [`${nav}@odata.bind`]: null }, 'update', prefer);
      return { status: 204, headers: { 'OData-Version': '4.0' }, body: '' };
    }
    const ref = parseReference(rel);
    if (ref) {
      const schema = schemaOf(ref.entitySet);
      if (method === 'GET') {
        const row = typeof ref.key === 'string' ? data.findById(schema.logicalName, ref.key) : data.findByKey(schema.logicalName, ref.key);
        if (!row) throw new ServiceFault(404, '0x80040217', `${schema.logicalName} With Ids = ${typeof ref.key === 'string' ? ref.key : JSON.stringify(ref.key)} Does Not Exist`);
        return json(200, { '@odata.context': `${baseUrl}${API}$metadata#${schema.entitySet}/$entity`, ...row });
      }
      if (method === 'DELETE') {
        // Rows pointing at this one follow their relationship's delete behavior (RemoveLink by default).
        data.remove(schema.logicalName, ref.key);
        return { status: 204, headers: { 'OData-Version': '4.0' }, body: '' };
      }
      if (method !== 'PATCH') throw new ServiceFault(405, '0x8006088a', `${method} on a row is not supported by the stand-in.`);
      // `If-None-Match: null` is what Microsoft's samples send on every request: no condition.
      const mode: WriteMode = headers['if-match'] === '*' ? 'update' : headers['if-none-match'] === '*' ? 'create' : 'upsert';
      return write(schema, keyOf(schema, ref.key), parseBody(), mode, prefer);
    }
    if (/^[A-Za-z0-9_]+$/.test(rel) && method === 'GET') return query(schemaOf(rel), url.searchParams, prefer, url);
    throw new ServiceFault(404, '0x80060888', `Resource not found for the segment '${rel}'.`);
  }

  const faultAnswer = (err: unknown): Answer => {
    if (err instanceof ServiceFault) return errorAnswer(err.status, err.code, err.message);
    return errorAnswer(500, '0x80040216', `An unexpected error occurred: ${(err as Error).message}`);
  };

  const httpPart = (a: Answer, contentId: string | undefined) =>
    `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n${contentId ? `Content-ID: ${contentId}\r\n` : ''}\r\n` +
    `HTTP/1.1 ${a.status} ${STATUS_TEXT[a.status] ?? ''}\r\n${headerBlock(a.headers)}\r\n${a.body}`;

  function batch(contentType: string | undefined, bodyText: string, prefer: Set<string>): Answer {
    const boundary = boundaryOf(contentType);
    if (!boundary) throw new ServiceFault(400, '0x80048d19', 'A $batch request needs Content-Type multipart/mixed with a boundary.');
    const continueOnError = prefer.has('odata.continue-on-error');
    const parts = parseMultipart(bodyText, boundary);
    if (parts.length > 1000) throw new ServiceFault(400, '0x80044331', `A batch can hold at most 1000 requests; got ${parts.length}.`);
    const answers: string[] = [];
    const batchBoundary = `batchresponse_${randomUUID()}`;
    const finish = (status: number, out: string[]): Answer => ({
      status,
      headers: { 'Content-Type': `multipart/mixed; boundary=${batchBoundary}`, 'OData-Version': '4.0' },
      body: buildMultipart(batchBoundary, out),
    });
    const run = (part: { headers: Record<string, string>; body: string }) => {
      const msg = parseHttpMessage(part.body);
      const m = /^([A-Z]+)\s+(\S+)\s+HTTP\/1\.1$/.exec(msg.startLine);
      if (!m) throw new ServiceFault(400, '0x80048d19', `Cannot read the request line of a batch part: ${msg.startLine.slice(0, 80)}`);
      return operate(m[1]!, m[2]!, msg.headers, msg.body);
    };
    for (const part of parts) {
      const inner = boundaryOf(part.headers['content-type']);
      if (inner) {
        const ops = parseMultipart(part.body, inner);
        let failedId: string | undefined;
        try {
          const results = data.atomically(() =>
            ops.map((op) => {
              failedId = op.headers['content-id'];
              if (/^GET\s/.test(parseHttpMessage(op.body).startLine)) throw new ServiceFault(400, '0x80048d19', 'GET requests are not allowed in a change set.');
              return { id: op.headers['content-id'], answer: run(op) };
            }),
          );
          const csBoundary = `changesetresponse_${randomUUID()}`;
          answers.push(`Content-Type: multipart/mixed; boundary=${csBoundary}\r\n\r\n${buildMultipart(csBoundary, results.map((r) => httpPart(r.answer, r.id)))}`);
        } catch (err) {
          const a = faultAnswer(err);
          if (!continueOnError) return finish(400, [httpPart(a, failedId)]);
          answers.push(httpPart(a, failedId));
        }
        continue;
      }
      const id = part.headers['content-id'];
      try {
        answers.push(httpPart(run(part), id));
      } catch (err) {
        const a = faultAnswer(err);
        if (!continueOnError) return finish(400, [httpPart(a, id)]);
        answers.push(httpPart(a, id));
      }
    }
    return finish(200, answers);
  }

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          reject(new ServiceFault(413, '0x80040216', 'The request body is too large.'));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  function send(res: ServerResponse, a: Answer) {
    res.writeHead(a.status, a.headers);
    res.end(a.body);
  }

  function unauthorizedAnswer(error?: { code: string; description: string }): Answer {
    // The shape Dataverse answers with: where to get a token, and for which resource.
    const params = [`authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize`, `resource_id=${baseUrl}/`];
    if (error) params.unshift(`error="${error.code}"`, `error_description="${error.description}"`);
    return { status: 401, headers: { 'WWW-Authenticate': `Bearer ${params.join(', ')}`, 'Content-Length': '0' }, body: '' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const at = Date.now();
    requests++;
    const method = req.method ?? 'GET';
    const entry: RequestLogEntry = { at, method, path: (req.url ?? '').split('?')[0]!, status: 0 };
    if (log.length < LOG_LIMIT) log.push(entry);
    const reply = (a: Answer) => {
      entry.status = a.status;
      send(res, a);
    };

    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const token = auth?.[1]?.trim();
    if (!token || !accepted.has(token) || expired.has(token)) {
      unauthorized++;
      req.resume();
      const error = !token ? undefined : expired.has(token) ? { code: 'invalid_token', description: 'The access token expired' } : { code: 'invalid_token', description: 'The access token is invalid' };
      return reply(unauthorizedAnswer(error));
    }

    const admission = protection.admit();
    const dop: Record<string, string> = limits.dopHint !== undefined ? { 'x-ms-dop-hint': String(limits.dopHint) } : {};
    if (!admission.ok) {
      req.resume();
      entry.code = admission.code;
      entry.retryAfterMs = admission.retryAfterSeconds * 1000;
      return reply(errorAnswer(429, admission.code, admission.message, { 'Retry-After': String(admission.retryAfterSeconds), ...dop }));
    }
    const started = performance.now();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      admission.release(performance.now() - started);
    };
    // Whatever happens to the socket, the request stops counting against concurrency when it ends.
    res.on('close', release);

    const fault = faults.shift();
    if (fault === 'reset') {
      release();
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault === 'stall') {
      entry.status = -2;
      req.resume();
      return; // never answered: the client's timeout ends it, and 'close' releases the slot
    }
    if (fault === 'unavailable') {
      req.resume();
      release();
      return reply(errorAnswer(503, '0x80040216', 'The service is temporarily unavailable.', dop));
    }

    let answer: Answer;
    try {
      const body = await readBody(req);
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      const url = new URL(req.url ?? '/', baseUrl);
      const prefer = preferences(String(req.headers['prefer'] ?? ''));
      answer =
        url.pathname === `${API}$batch` && method === 'POST'
          ? batch(req.headers['content-type'], body, prefer)
          : operate(method, req.url ?? '/', req.headers as Record<string, string | undefined>, body);
    } catch (err) {
      answer = faultAnswer(err);
    }
    if (answer.status >= 400 && answer.status !== 429) {
      entry.code = /"code":"([^"]*)"/.exec(answer.body)?.[1];
    }
    answer.headers = { ...answer.headers, ...dop };
    // Released before the answer goes out: a client that sends its next request the moment it reads
    // this one must not find the slot still taken.
    release();
    reply(answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, faultAnswer(err));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await data.flush();
    },
    acceptToken: (t) => void accepted.add(t),
    expireToken: (t) => void expired.add(t),
    injectFaults: (...f) => void faults.push(...f),
    stats() {
      const p = protection.stats();
      return { requests, accepted: p.accepted, unauthorized, throttled: p.throttled, maxInFlight: p.maxInFlight };
    },
    resetStats() {
      protection.resetStats();
      requests = 0;
      unauthorized = 0;
      log.length = 0;
    },
    requestLog: () => [...log],
    rows(entitySet) {
      const schema = schemas.get(entitySet);
      if (!schema) throw new Error(`no table with entity set ${entitySet}`);
      return data.rows(schema.logicalName);
    },
  };
}
