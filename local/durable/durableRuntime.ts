// local/durable/durableRuntime.ts: Durable Functions for the local runtime. A replay driver around
// the real durable-functions library (the registered orchestrator, activity and client handlers),
// with history, instance state and pending work in Azurite tables, and the HTTP management API the
// library's DurableClient calls. Instances left unfinished in storage resume when it starts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import type { InvocationContext } from '@azure/functions';
import type { RegisteredFunction } from '../functionsCore';
import { durableClientInput } from './clientInput';
import { createDurableEngine } from './durableEngine';
import { createDurableStore } from './durableStore';
import { createManagementApi } from './managementApi';

export interface DurableOptions {
  functions: RegisteredFunction[];
  storageConnectionString: string;
  taskHub: string;
  /** Origin of the runtime's HTTP server, e.g. http://127.0.0.1:7071. */
  baseUrl: string;
  /** host.json durableTask.maxConcurrentActivityFunctions; Azure's default is 10 per processor. */
  maxConcurrentActivities?: number;
  /** host.json durableTask.maxConcurrentOrchestratorFunctions; Azure's default is 10 per processor. */
  maxConcurrentOrchestrations?: number;
  log?: (msg: string) => void;
  /** The runtime's context factory, so activities get their durable client inputs. */
  newContext?: (fn: RegisteredFunction) => InvocationContext;
}

export interface DurableRuntime {
  /** The value of a `durableClient` input binding. */
  clientInput(): unknown;
  /** Answers requests under /runtime/webhooks/durabletask/; false for any other path. */
  handleHttp(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean>;
  /** Stops at once, as a crash would: in-flight activities are abandoned, storage keeps the rest. */
  stop(): Promise<void>;
}

export async function startDurable(opts: DurableOptions): Promise<DurableRuntime> {
  const log = opts.log ?? (() => {});
  const store = createDurableStore(opts.storageConnectionString, opts.taskHub);
  await store.init();
  const engine = createDurableEngine({
    functions: opts.functions,
    store,
    maxConcurrentActivities: opts.maxConcurrentActivities ?? 10 * availableParallelism(),
    maxConcurrentOrchestrations: opts.maxConcurrentOrchestrations ?? 10 * availableParallelism(),
    log,
    newContext: opts.newContext,
  });
  const client = durableClientInput(opts.baseUrl, opts.taskHub);
  const handleHttp = createManagementApi({ engine, store, client });
  await engine.recover();
  return {
    clientInput: () => structuredClone(client),
    handleHttp,
    stop: () => engine.stop(),
  };
}
