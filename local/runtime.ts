// local/runtime.ts: the whole local Functions runtime in one call: Azurite on loopback with state in
// the data folder, the app's registrations captured from its entry module, HTTP served as the host
// serves it, timers on their schedules, and the durable and Event Hubs extensions when present.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findAppRoot, projectRoot } from './appRoot';
import { startAzurite } from './azurite';
import { startDataverseStandIn } from './dataverse/startDataverseStandIn';
import { loadFunctionApp, type RegisteredFunction } from './functionsCore';
import { DEFAULT_BODY_LIMIT } from './httpRequest';
import { startHttpServer } from './httpServer';
import { contextFactory, type ContextFactory, type RuntimeLog } from './invocationContext';
import { loadOrCreateFunctionKey } from './keys';
import { optionalModule } from './optionalModule';
import {
  applyEnv,
  durableTaskOf,
  readHostJson,
  readLocalSettings,
  resolveAppSettings,
  routePrefixOf,
  type HostJson,
} from './settings';
import { isTimerFunction, startTimers, type TimerRunner } from './timers';

export interface RuntimeOptions {
  /** HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Where state persists (Azurite, keys); default $POS_HUB_DATA_DIR, else <project>/.data. */
  dataDir?: string;
  /** The app's entry module; default functions/index beside this runtime (source or dist). */
  entry?: string;
  /** App settings that win over the environment and local.settings.json. */
  settings?: Record<string, string>;
  log?: RuntimeLog;
}

export interface Runtime {
  baseUrl: string;
  functionKey: string;
  storageConnectionString: string;
  /** null when no function uses Event Hubs or the local Event Hubs server is not in this checkout. */
  eventHubsConnectionString: string | null;
  /** The Dataverse environment the app talks to: the local stand-in unless DATAVERSE_URL was set. */
  dataverseUrl: string | null;
  azuritePid: number;
  dataDir: string;
  /** host.json extensions.http.routePrefix ("api" by default). */
  routePrefix: string;
  functions: RegisteredFunction[];
  stop(): Promise<void>;
}

// The extension points other modules of the local runtime implement (local/durable, local/eventhubs).
interface DurableExtension {
  clientInput(): unknown;
  handleHttp(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean>;
  stop(): Promise<void>;
}
interface DurableModule {
  startDurable(opts: {
    functions: RegisteredFunction[];
    storageConnectionString: string;
    taskHub: string;
    baseUrl: string;
    maxConcurrentActivities?: number;
    maxConcurrentOrchestrations?: number;
    log?: RuntimeLog;
    newContext?: ContextFactory;
  }): Promise<DurableExtension>;
}
interface EventHubsServerModule {
  startEventHubsServer(opts: {
    port?: number;
    dataDir?: string;
    hubs: { name: string; partitions: number }[];
  }): Promise<{ port: number; connectionString: string; stop(): Promise<void> }>;
}
interface EventHubTriggersModule {
  startEventHubTriggers(opts: {
    functions: RegisteredFunction[];
    eventHubsConnectionString: string;
    storageConnectionString: string;
    hostJson: unknown;
    log?: RuntimeLog;
    newContext?: ContextFactory;
  }): Promise<{ stop(): Promise<void> }>;
}

const DURABLE_TRIGGERS = new Set(['orchestrationtrigger', 'activitytrigger', 'entitytrigger']);

function bindingsOf(fn: RegisteredFunction) {
  return Object.values(fn.metadata.bindings);
}

function usesDurable(fn: RegisteredFunction): boolean {
  return (
    DURABLE_TRIGGERS.has(fn.trigger.type.toLowerCase()) ||
    bindingsOf(fn).some((b) => b.type === 'durableClient')
  );
}

function eventHubBindings(functions: RegisteredFunction[]) {
  return functions.flatMap((fn) =>
    bindingsOf(fn).filter((b) => /^eventhub(trigger)?$/i.test(String(b.type))),
  );
}

// What this runtime delivers itself: trigger types are checked where they are served; of the other
// bindings only these exist locally. Anything else (blob, queue, table, eventHub outputs) would be
// silently dropped, so it is reported at start-up instead.
const SERVED_BINDINGS = new Set(['http', 'durableclient']);

function unservedBindings(functions: RegisteredFunction[]): string[] {
  return functions.flatMap((fn) =>
    Object.entries(fn.metadata.bindings)
      .filter(([name, b]) => name !== fn.trigger.name && !SERVED_BINDINGS.has(String(b.type).toLowerCase()))
      .map(([name, b]) => `${fn.name}: ${b.direction} binding "${name}" of type ${String(b.type)}`),
  );
}

/**
 * The local pseudonymization key: POS_HUB_PSEUDONYM_KEY when set, else one generated once with a CSPRNG
 * and kept in the data folder, so customer references stay stable across restarts.
 */
function loadOrCreatePseudonymKey(dataDir: string): string {
  const file = path.join(dataDir, 'pseudonym.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key + '\n', { flag: 'wx', mode: 0o600 });
  return key;
}

// Settings the app requires that have no meaning locally when nothing uses them: the Event Hubs
// connection before any Event Hubs function exists (the runtime points it at its server when one does).
const LOCAL_EVENT_HUBS_PLACEHOLDER =
  'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true';

function defaultLog(message: string): void {
  console.log(`${new Date().toISOString()} ${message}`);
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? defaultLog;
  const entry = require.resolve(options.entry ?? path.join(__dirname, '..', 'functions', 'index'));
  const appRoot = findAppRoot(path.dirname(entry));
  const dataDir = path.resolve(
    options.dataDir ?? process.env.POS_HUB_DATA_DIR ?? path.join(projectRoot, '.data'),
  );
  mkdirSync(dataDir, { recursive: true });

  // Whatever is started is stopped again in reverse order, on stop() or when start-up fails half-way.
  const stops: (() => Promise<void> | void)[] = [];
  async function stopAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'the local runtime did not stop cleanly');
  }

  try {
    stops.push(applyEnv(options.settings ?? {}, true));
    stops.push(applyEnv(readLocalSettings(appRoot), false));
    const hostJson: HostJson = readHostJson(appRoot);

    const azurite = await startAzurite({ location: path.join(dataDir, 'azurite') });
    stops.push(() => azurite.stop());
    const storageConnectionString = azurite.connectionString;
    // The runtime's own storage is the local Azurite, whatever a settings file says (it usually says
    // UseDevelopmentStorage=true, which means fixed ports this runtime does not use).
    stops.push(applyEnv({ AzureWebJobsStorage: storageConnectionString, POS_HUB_LAKE_CONNECTION_STRING: storageConnectionString }, true));

    // Dataverse: the local stand-in, unless DATAVERSE_URL points at another environment.
    let dataverseUrl = process.env.DATAVERSE_URL ?? null;
    if (!dataverseUrl) {
      const standIn = await startDataverseStandIn({ dataDir: path.join(dataDir, 'dataverse') });
      stops.push(() => standIn.stop());
      dataverseUrl = standIn.url;
      stops.push(applyEnv({ DATAVERSE_URL: dataverseUrl }, true));
    }

    const functionKey = loadOrCreateFunctionKey(dataDir);
    // The ingest API checks keys itself (it also takes Entra ID tokens); locally the function key is one.
    // It is the admin key too (it plays the host's master key here), so `npm start` and the CLIs work
    // with runtime.json's key; settings or the environment give separate ones (test/ingest/adminAuth).
    stops.push(
      applyEnv(
        {
          POS_HUB_INGEST_KEYS: functionKey,
          POS_HUB_ADMIN_KEYS: functionKey,
          POS_HUB_PSEUDONYM_KEY: process.env.POS_HUB_PSEUDONYM_KEY ?? loadOrCreatePseudonymKey(dataDir),
        },
        false,
      ),
    );
    const functions = loadFunctionApp(entry);
    for (const binding of unservedBindings(functions))
      log(`not served by the local runtime (use the SDK in the function instead): ${binding}`);
    const routePrefix = routePrefixOf(hostJson);
    const bodyLimit = Number(process.env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) || DEFAULT_BODY_LIMIT;

    // Parts that start after the HTTP server (the durable extension needs its URL) are filled in here.
    const late: { durable?: DurableExtension; timers?: TimerRunner } = {};
    const newContext = contextFactory(log, () => late.durable?.clientInput());
    const server = await startHttpServer({
      port: options.port ?? 0,
      functions,
      routePrefix,
      functionKey,
      bodyLimit,
      log,
      newContext,
      durableWebhook: async (req, res, body) =>
        late.durable ? late.durable.handleHttp(req, res, body) : false,
      invokeNow(fn, input) {
        if (isTimerFunction(fn)) {
          if (!late.timers) return false;
          late.timers.runNow(fn);
          return true;
        }
        if (
          fn.trigger.type.toLowerCase() === 'httptrigger' ||
          DURABLE_TRIGGERS.has(fn.trigger.type.toLowerCase())
        )
          return false;
        // Other triggers get the admin body's `input` as their trigger value, as the host passes it.
        Promise.resolve()
          .then(() => fn.handler(input, newContext(fn)))
          .catch((err: unknown) => log(`[${fn.name}] failed: ${String(err)}`));
        return true;
      },
    });
    stops.push(() => server.close());

    if (functions.some(usesDurable)) {
      const durableModule = optionalModule<DurableModule>('durable/durableRuntime');
      if (durableModule) {
        const durableTask = durableTaskOf(hostJson);
        const durable = await durableModule.startDurable({
          functions,
          storageConnectionString,
          taskHub: durableTask.hubName ?? 'TestHubName',
          maxConcurrentActivities: durableTask.maxConcurrentActivityFunctions,
          maxConcurrentOrchestrations: durableTask.maxConcurrentOrchestratorFunctions,
          baseUrl: server.baseUrl,
          log,
          newContext,
        });
        stops.push(() => durable.stop());
        late.durable = durable;
      } else {
        log(
          'durable functions are registered but local/durable/durableRuntime is not in this checkout: they will not run',
        );
      }
    }

    let eventHubsConnectionString: string | null = null;
    const ehBindings = eventHubBindings(functions);
    if (ehBindings.length > 0) {
      const serverModule = optionalModule<EventHubsServerModule>('eventhubs/server');
      const triggerModule = optionalModule<EventHubTriggersModule>('eventhubs/trigger');
      if (serverModule && triggerModule) {
        const partitions = Number(process.env.POS_HUB_EVENTHUB_PARTITIONS) || 4;
        const names = [...new Set(ehBindings.map((b) => resolveAppSettings(String(b.eventHubName))))];
        const ehServer = await serverModule.startEventHubsServer({
          dataDir: path.join(dataDir, 'eventhubs'),
          hubs: names.map((name) => ({ name, partitions })),
        });
        stops.push(() => ehServer.stop());
        eventHubsConnectionString = ehServer.connectionString;
        // Bindings name the app setting holding their connection; point each at the local server.
        const connections = Object.fromEntries(
          ehBindings.map((b) => [String(b.connection), ehServer.connectionString]),
        );
        stops.push(applyEnv(connections, true));
        const triggers = await triggerModule.startEventHubTriggers({
          functions,
          eventHubsConnectionString,
          storageConnectionString,
          hostJson,
          log,
          // A trigger that starts orchestrations gets its durable client as HTTP and timer starters do.
          newContext,
        });
        stops.push(() => triggers.stop());
      } else {
        log(
          'Event Hubs functions are registered but local/eventhubs is not in this checkout: they will not run',
        );
      }
    }

    stops.push(applyEnv({ EventHubConnection: LOCAL_EVENT_HUBS_PLACEHOLDER }, false));

    const timers = await startTimers({
      functions,
      storageConnectionString,
      hostId: process.env.AzureFunctionsWebHost__hostid ?? 'pos-hub-local',
      log,
      newContext,
    });
    late.timers = timers;
    stops.push(() => timers.stop());

    return {
      baseUrl: server.baseUrl,
      functionKey,
      storageConnectionString,
      eventHubsConnectionString,
      dataverseUrl,
      azuritePid: azurite.pid,
      dataDir,
      routePrefix,
      functions,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
