// shared/dataverse/batchRequest.ts: OData $batch bodies for Dataverse and the per-item results of the answer.
import { randomUUID } from 'node:crypto';
import { boundaryOf, buildMultipart, headerBlock, parseHttpMessage, parseMultipart } from './multipart';
import { parseServiceError, type ServiceError } from './dataverseError';

export interface BatchOperation {
  method: 'PATCH' | 'POST' | 'DELETE' | 'GET';
  /** Relative to the Web API root, e.g. `pos_stores(pos_hubstoreid='S042')`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Echoed in the answer; numbered 1, 2, ... in request order when not given. */
  contentId?: string;
}

/** One operation, or a change set: operations applied all or none. */
export type BatchEntry = BatchOperation | { changeSet: BatchOperation[] };

export interface BatchItemResult {
  contentId: string;
  status: number;
  ok: boolean;
  headers: Record<string, string>;
  body: string;
  /** The service's error, for a failed item. */
  error?: ServiceError;
}

export interface BatchRequestBody {
  contentType: string;
  body: string;
  /** Every operation with its Content-ID, in request order; a change set's operations consecutive. */
  operations: Array<{ contentId: string; changeSet: number | null }>;
}

const isChangeSet = (e: BatchEntry): e is { changeSet: BatchOperation[] } => 'changeSet' in e;

/**
 * A `multipart/mixed` $batch body. Each operation is an `application/http` part with its request line
 * (absolute path, as in Microsoft's examples), headers and JSON body. GET is not allowed in a change set.
 */
export function toBatchRequest(entries: BatchEntry[], apiPath: string, newId: () => string = randomUUID): BatchRequestBody {
  const batchBoundary = `batch_${newId()}`;
  const operations: BatchRequestBody['operations'] = [];
  let seq = 0;
  const framed = (op: BatchOperation, changeSet: number | null): string => {
    const contentId = op.contentId ?? String(++seq);
    operations.push({ contentId, changeSet });
    const headers: Record<string, string> = { ...(op.headers ?? {}) };
    let body = '';
    if (op.body !== undefined) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(op.body);
    }
    return (
      `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${contentId}\r\n\r\n` +
      `${op.method} ${apiPath}${op.url} HTTP/1.1\r\n${headerBlock(headers)}\r\n${body}`
    );
  };
  const parts = entries.map((entry, index) => {
    if (!isChangeSet(entry)) return framed(entry, null);
    if (entry.changeSet.some((op) => op.method === 'GET')) throw new Error('a change set cannot contain GET requests');
    const csBoundary = `changeset_${newId()}`;
    const inner = buildMultipart(
      csBoundary,
      entry.changeSet.map((op) => framed(op, index)),
    );
    return `Content-Type: multipart/mixed; boundary="${csBoundary}"\r\n\r\n${inner}`;
  });
  return {
    contentType: `multipart/mixed; boundary="${batchBoundary}"`,
    body: buildMultipart(batchBoundary, parts),
    operations,
  };
}

interface RawItem {
  contentId: string | null;
  status: number;
  headers: Record<string, string>;
  body: string;
}

function readResponses(contentType: string, text: string): RawItem[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error(`$batch answer is not multipart/mixed (${contentType})`);
  const items: RawItem[] = [];
  for (const part of parseMultipart(text, boundary)) {
    const inner = boundaryOf(part.headers['content-type']);
    if (inner) {
      items.push(...readResponses(part.headers['content-type']!, part.body));
      continue;
    }
    const msg = parseHttpMessage(part.body);
    const m = /^HTTP\/\d\.\d\s+(\d{3})/.exec(msg.startLine);
    if (!m) throw new Error(`$batch answer part has no status line: ${msg.startLine.slice(0, 60)}`);
    items.push({ contentId: part.headers['content-id'] ?? null, status: Number(m[1]), headers: msg.headers, body: msg.body });
  }
  return items;
}

/**
 * Per-operation results of a $batch answer. Parts carry the Content-ID they answer; a part without
 * one answers the next unanswered operation, since answers come in request order. A change set that
 * failed is answered by one part (its failing operation's error): its other operations are reported
 * with the same error, because the service rolled them back. Operations with no answer at all (the
 * service stopped at the first error, without `odata.continue-on-error`) are reported as not run.
 */
export function fromBatchResponse(request: BatchRequestBody, contentType: string, text: string): BatchItemResult[] {
  const raw = readResponses(contentType, text);
  const byId = new Map<string, BatchItemResult>();
  const order = request.operations;
  let cursor = 0;
  const toResult = (contentId: string, r: RawItem): BatchItemResult => {
    const ok = r.status >= 200 && r.status < 300;
    const result: BatchItemResult = { contentId, status: r.status, ok, headers: r.headers, body: r.body };
    if (!ok) result.error = parseServiceError(r.status, r.body);
    return result;
  };
  for (const r of raw) {
    let id = r.contentId;
    if (id === null || !order.some((o) => o.contentId === id)) {
      while (cursor < order.length && byId.has(order[cursor]!.contentId)) cursor++;
      id = order[cursor]?.contentId ?? null;
    }
    if (id === null) continue;
    const result = toResult(id, r);
    byId.set(id, result);
    const op = order.find((o) => o.contentId === id);
    if (!result.ok && op && op.changeSet !== null) {
      for (const other of order) {
        if (other.changeSet === op.changeSet && !byId.has(other.contentId)) {
          byId.set(other.contentId, {
            ...result,
            contentId: other.contentId,
            error: {
              status: result.status,
              code: result.error?.code ?? '',
              message: `rolled back: operation ${id} of its change set failed (${result.error?.message ?? ''})`,
            },
          });
        }
      }
    }
  }
  return order.map(
    (o) =>
      byId.get(o.contentId) ?? {
        contentId: o.contentId,
        status: 0,
        ok: false,
        headers: {},
        body: '',
        error: { status: 0, code: '', message: 'not run: the batch stopped at an earlier error' },
      },
  );
}
