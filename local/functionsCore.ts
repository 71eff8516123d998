// local/functionsCore.ts: stands in for the `@azure/functions-core` module that the Functions host
// injects into a Node worker. `@azure/functions` asks for it lazily on the first app.* call; answering
// that require is how the local runtime receives every registration, exactly as Azure would.
import Module from 'node:module';

export interface BindingInfo {
  name: string;
  type: string;
  direction: 'in' | 'out' | 'inout';
  [key: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, Omit<BindingInfo, 'name'> & { name?: string }>;
  retryOptions?: unknown;
}

// The handler signature varies per trigger; the runtime calls it with (input, context).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FunctionHandler = (...args: any[]) => unknown;

export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  /** The trigger binding (the one whose type ends in "Trigger"), with its name. */
  trigger: BindingInfo;
  handler: FunctionHandler;
}

export interface CoreLogEntry {
  level: string;
  category: string;
  message: string;
}

const registrations = new Map<string, RegisteredFunction>();
const logListeners: ((e: CoreLogEntry) => void)[] = [];
let installed = false;

const coreApi = {
  version: '4.0.0-local',
  hostVersion: '4.0.0-local',
  registerFunction(metadata: FunctionMetadata, handler: FunctionHandler) {
    if (registrations.has(metadata.name)) {
      throw new Error(`function "${metadata.name}" is registered twice`);
    }
    const entry = Object.entries(metadata.bindings).find(([, b]) => /trigger$/i.test(String(b.type)));
    if (!entry) throw new Error(`function "${metadata.name}" has no trigger binding`);
    const trigger = { ...entry[1], name: entry[0] } as BindingInfo;
    registrations.set(metadata.name, { name: metadata.name, metadata, trigger, handler });
    return { dispose: () => registrations.delete(metadata.name) };
  },
  setProgrammingModel() {
    /* the local runtime calls handlers directly; the RPC programming model is not needed */
  },
  getProgrammingModel() {
    return undefined;
  },
  registerHook() {
    return { dispose() {} };
  },
  log(level: string, category: string, message: string) {
    for (const l of logListeners) l({ level, category, message });
  },
  get app() {
    return { functions: {} };
  },
};

// Jest gives every module a `jest` object (its own module registry never calls Module._load).
declare const jest:
  { mock(name: string, factory: () => unknown, options: { virtual: boolean }): void } | undefined;

/**
 * Makes `require('@azure/functions-core')` resolve to the local stand-in. Must run before the first
 * `app.*` call in the process, since `@azure/functions` caches the answer.
 */
export function installFunctionsCore(): void {
  if (installed) return;
  installed = true;
  if (typeof jest !== 'undefined') {
    // Under Jest, modules load through Jest's registry, which bypasses Module._load: a virtual
    // module is how the same require is answered there (a bare name is global to the registry).
    jest.mock('@azure/functions-core', () => coreApi, { virtual: true });
    return;
  }
  const mod = Module as unknown as {
    _load: (request: string, ...rest: unknown[]) => unknown;
  };
  const originalLoad = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    if (request === '@azure/functions-core') return coreApi;
    return originalLoad.call(this, request, ...rest);
  };
}

// Per entry module: what it registered when first required (a module runs once per process, so a
// second runtime in the same process must get the same list, and two apps must not mix).
const appsByEntry = new Map<string, RegisteredFunction[]>();

/** Loads a function app's entry module and returns what it registered. */
export function loadFunctionApp(entryModule: string): RegisteredFunction[] {
  installFunctionsCore();
  const resolved = require.resolve(entryModule);
  const known = appsByEntry.get(resolved);
  if (known) return known;
  const before = new Set(registrations.keys());
  // The entry is only known at run time (source under tests and tsx, dist when compiled).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(resolved);
  const app = [...registrations.values()].filter((f) => !before.has(f.name));
  appsByEntry.set(resolved, app);
  return app;
}

export function registeredFunctions(): RegisteredFunction[] {
  return [...registrations.values()];
}

export function onCoreLog(listener: (e: CoreLogEntry) => void): void {
  logListeners.push(listener);
}
