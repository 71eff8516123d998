// test/local/durable/durableHarness.ts: what the local runtime's HTTP server does for durable
// functions, reduced to what the tests need: a server on a free loopback port that offers every
// request to the durable runtime's handleHttp, and HTTP starters invoked the way the host invokes
// them (a real HttpRequest, an InvocationContext whose durableClient input holds clientInput()).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext, type HttpResponse } from '@azure/functions';
import * as df from 'durable-functions';
import type { RegisteredFunction } from '../../../local/functionsCore';
import type { DurableRuntime } from '../../../local/durable/durableRuntime';

export interface TestServer {
  baseUrl: string;
  /** The runtime the server forwards to (swapped when a test restarts it). */
  use(runtime: DurableRuntime | undefined): void;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  let runtime: DurableRuntime | undefined;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const handled = runtime ? await runtime.handleHttp(req, res, Buffer.concat(chunks)) : false;
    if (!handled) {
      res.writeHead(runtime ? 404 : 503);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    use: (r) => (runtime = r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function starterContext(fn: RegisteredFunction, clientInput: unknown): InvocationContext {
  const extraInputs = Object.entries(fn.metadata.bindings)
    .filter(([, b]) => b.type === 'durableClient')
    .map(([name, b]) => ({ ...b, name, type: String(b.type) }));
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName: fn.name,
    options: { trigger: fn.trigger as never, extraInputs, extraOutputs: [] },
  });
  for (const input of extraInputs) context.extraInputs.set(input.name, clientInput);
  return context;
}

/** The library's DurableClient, obtained the way a starter obtains it (df.getClient). */
export function durableClient(starter: RegisteredFunction, runtime: DurableRuntime): df.DurableClient {
  return df.getClient(starterContext(starter, runtime.clientInput()));
}

/** Invokes a registered HTTP starter as the host would. */
export async function invokeStarter(starter: RegisteredFunction, runtime: DurableRuntime, request: HttpRequest): Promise<HttpResponse> {
  return (await starter.handler(request, starterContext(starter, runtime.clientInput()))) as HttpResponse;
}

/** Polls the status until the instance leaves Pending/Running. */
export async function waitForFinish(client: df.DurableClient, instanceId: string, timeoutMs = 20000): Promise<df.DurableOrchestrationStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await client.getStatus(instanceId);
    if (!['Pending', 'Running'].includes(status.runtimeStatus)) return status;
    if (Date.now() > deadline) throw new Error(`${instanceId} still ${status.runtimeStatus} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
