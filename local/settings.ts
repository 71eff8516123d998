// local/settings.ts: the app's configuration as the Functions host assembles it: host.json, and
// local.settings.json `Values` as environment variables (never overriding what the environment has).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const DurableTask = z
  .object({
    hubName: z.string().optional(),
    maxConcurrentActivityFunctions: z.number().int().positive().optional(),
    maxConcurrentOrchestratorFunctions: z.number().int().positive().optional(),
  })
  .loose();

const HostJson = z
  .object({
    extensions: z
      .object({ http: z.object({ routePrefix: z.string().optional() }).loose().optional(), durableTask: DurableTask.optional() })
      .loose()
      .optional(),
  })
  .loose();
export type HostJson = z.infer<typeof HostJson>;

export function readHostJson(appRoot: string): HostJson {
  return HostJson.parse(JSON.parse(readFileSync(path.join(appRoot, 'host.json'), 'utf8')));
}

/** host.json `extensions.http.routePrefix`; the host's default is "api", and "" means none. */
export function routePrefixOf(hostJson: HostJson): string {
  return (hostJson.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, '');
}

/** host.json `extensions.durableTask`: the task hub and the concurrency limits the host applies. */
export function durableTaskOf(hostJson: HostJson): z.infer<typeof DurableTask> {
  return hostJson.extensions?.durableTask ?? {};
}

const LocalSettings = z.object({ Values: z.record(z.string(), z.string()).optional() }).loose();

/** local.settings.json `Values`, or nothing when the file is absent (it is optional and git-ignored). */
export function readLocalSettings(appRoot: string): Record<string, string> {
  const file = path.join(appRoot, 'local.settings.json');
  if (!existsSync(file)) return {};
  return LocalSettings.parse(JSON.parse(readFileSync(file, 'utf8'))).Values ?? {};
}

/**
 * Sets environment variables and returns how to put the previous values back, so that a runtime
 * stopped inside a longer-lived process (tests) leaves the environment as it found it.
 */
export function applyEnv(values: Record<string, string>, override: boolean): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(values)) {
    if (!override && process.env[name] !== undefined) continue;
    if (!previous.has(name)) previous.set(name, process.env[name]);
    process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Resolves `%Name%` binding expressions from app settings, as the host does for schedules, hub names. */
export function resolveAppSettings(value: string): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const setting = process.env[name];
    if (setting === undefined) throw new Error(`app setting "${name}" is not set`);
    return setting;
  });
}
