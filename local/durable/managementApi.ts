// local/durable/managementApi.ts: the Durable Functions HTTP management API under
// /runtime/webhooks/durabletask/, which both the library's DurableClient (through rpcBaseUrl) and
// the status URLs of createCheckStatusResponse call. Status codes follow the extension's HTTP API:
// start 202 (409 if the id is still running), status 200 done / 202 running / 400 failed or
// terminated / 404, raiseEvent and terminate 202 / 404 / 410 (instance already finished).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { managementPayload, WEBHOOK_PATH, type DurableClientInput } from './clientInput';
import type { DurableEngine } from './durableEngine';
import { isTerminal } from './durableEngine';
import type { DurableStore, InstanceState, RuntimeStatus } from './durableStore';
import { eventTypeName, fromJsonText } from './historyEvents';

export interface ManagementApiOptions {
  engine: DurableEngine;
  store: DurableStore;
  client: DurableClientInput;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

export function createManagementApi({ engine, store, client }: ManagementApiOptions) {
  return async function handleHttp(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${WEBHOOK_PATH}/`)) return false;
    const segments = url.pathname.slice(WEBHOOK_PATH.length + 1).split('/').filter(Boolean).map(decodeURIComponent);
    let answer: Answer;
    try {
      answer = await route(req.method ?? 'GET', segments, url.searchParams, body);
    } catch (e) {
      answer = { status: 500, body: { Message: e instanceof Error ? e.message : String(e) } };
    }
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, { ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}), ...answer.headers });
    res.end(text);
    return true;
  };

  async function route(method: string, [resource, id, action, name, ...rest]: string[], query: URLSearchParams, body: Buffer): Promise<Answer> {
    if (resource === 'orchestrators' && method === 'POST' && id && !name && rest.length === 0) {
      return start(id, action, body);
    }
    if (resource !== 'instances' || rest.length > 0) return notFound();
    if (!id) {
      if (method === 'GET') return { status: 200, body: (await filtered(query)).map((s) => toStatus(s, false)) };
      if (method === 'DELETE') return purgeMany(query);
      return notFound();
    }
    if (!action) {
      if (method === 'GET') return status(id, query);
      if (method === 'DELETE') return purge(id);
      return notFound();
    }
    if (method !== 'POST') return notFound();
    if (action === 'raiseEvent' && name) {
      const input = jsonText(body);
      if (input === null) return { status: 400, body: { Message: 'The event data must be JSON.' } };
      return signalAnswer(await engine.raiseEvent(id, name, input), id);
    }
    if (action === 'terminate' && !name) return signalAnswer(await engine.terminate(id, query.get('reason') ?? ''), id);
    if (['suspend', 'resume', 'rewind', 'restart'].includes(action)) {
      return { status: 501, body: { Message: `${action} is not supported by the local durable runtime.` } };
    }
    return notFound();
  }

  async function start(name: string, instanceId: string | undefined, body: Buffer): Promise<Answer> {
    const input = jsonText(body);
    if (input === null) return { status: 400, body: { Message: 'The orchestration input must be JSON.' } };
    const id = instanceId ?? randomUUID().replace(/-/g, '');
    // As in Azure: these characters cannot be part of a storage key, hence of an instance id.
    if (/[/\\#?]/.test(id) || /\p{Cc}/u.test(id) || id.length > 256) {
      return { status: 400, body: { Message: `'${id}' is not a valid instance id.` } };
    }
    const result = await engine.startNew(name, id, input);
    if (result === 'unknownOrchestrator') {
      return { status: 400, body: { Message: `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.` } };
    }
    if (result === 'alreadyRunning') {
      return { status: 409, body: { Message: `An Orchestration instance with the ID '${id}' already exists and is not in a completed state.` } };
    }
    const payload = managementPayload(client, id);
    return { status: 202, body: payload, headers: { Location: payload.statusQueryGetUri!, 'Retry-After': '10' } };
  }

  async function status(instanceId: string, query: URLSearchParams): Promise<Answer> {
    const stored = await store.getInstance(instanceId);
    if (!stored) return notFound();
    const { state } = stored;
    const result: Record<string, unknown> = toStatus(state, query.get('showInput') !== 'false');
    if (query.get('showHistory') === 'true') {
      const withOutput = query.get('showHistoryOutput') === 'true';
      const events = (await store.readHistory(state)).map(({ event }) => {
        const { IsPlayed: _played, Input, Result, ...rest } = event;
        return { ...rest, EventType: eventTypeName(event.EventType), ...(withOutput ? { Input, Result } : {}) };
      });
      // The HTTP API calls it historyEvents; the library's DurableOrchestrationStatus reads `history`.
      result.historyEvents = events;
      result.history = events;
    }
    const code = state.status === 'Completed' ? 200 : isTerminal(state) ? 400 : 202;
    return { status: code, body: result };
  }

  async function purge(instanceId: string): Promise<Answer> {
    const stored = await store.getInstance(instanceId);
    // Only finished instances are purged, as in Azure; a running one keeps its history.
    if (!stored || !isTerminal(stored.state)) return notFound();
    await store.purge(instanceId);
    return { status: 200, body: { instancesDeleted: 1 } };
  }

  async function purgeMany(query: URLSearchParams): Promise<Answer> {
    const doomed = (await filtered(query)).filter(isTerminal);
    for (const state of doomed) await store.purge(state.instanceId);
    return doomed.length === 0 ? notFound() : { status: 200, body: { instancesDeleted: doomed.length } };
  }

  async function filtered(query: URLSearchParams): Promise<InstanceState[]> {
    const from = query.get('createdTimeFrom');
    const to = query.get('createdTimeTo');
    const statuses = query.get('runtimeStatus')?.split(',').filter(Boolean) as RuntimeStatus[] | undefined;
    return (await store.listInstances()).filter(
      (s) =>
        (!from || s.createdTime >= new Date(from).toISOString()) &&
        (!to || s.createdTime <= new Date(to).toISOString()) &&
        (!statuses || statuses.length === 0 || statuses.includes(s.status)),
    );
  }
}

function toStatus(state: InstanceState, showInput: boolean): Record<string, unknown> {
  return {
    name: state.name,
    instanceId: state.instanceId,
    runtimeStatus: state.status,
    input: showInput ? (fromJsonText(state.input) ?? null) : null,
    customStatus: fromJsonText(state.customStatus) ?? null,
    output: fromJsonText(state.output) ?? null,
    createdTime: state.createdTime,
    lastUpdatedTime: state.lastUpdatedTime,
  };
}

function signalAnswer(result: 'accepted' | 'notFound' | 'gone', instanceId: string): Answer {
  if (result === 'accepted') return { status: 202 };
  if (result === 'notFound') return notFound(instanceId);
  return { status: 410, body: { Message: `The instance '${instanceId}' has already finished.` } };
}

function notFound(instanceId?: string): Answer {
  return { status: 404, body: instanceId ? { Message: `No instance with ID '${instanceId}' found.` } : undefined };
}

/** Undefined for an empty body, null for a body that is not JSON, else the JSON text. */
function jsonText(body: Buffer): string | undefined | null {
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    JSON.parse(text);
    return text;
  } catch {
    return null;
  }
}
