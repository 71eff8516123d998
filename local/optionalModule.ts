// local/optionalModule.ts: loads a runtime extension that may not exist yet in this checkout (the
// durable and Event Hubs parts are built separately). Only "this very file is missing" means absent;
// any other error inside the module is a real failure and is thrown.
import path from 'node:path';

export function optionalModule<T>(relativePath: string): T | undefined {
  const full = path.join(__dirname, relativePath);
  let resolved: string;
  try {
    resolved = require.resolve(full);
  } catch {
    return undefined;
  }
  // A computed path: this is the one place a runtime extension is loaded only if it exists.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved) as T;
}
