// local/appRoot.ts: where a function app's host.json and local.settings.json live. Azure keeps them at
// the root of the deployed app, beside package.json; the compiled entry sits deeper (dist/functions),
// so the root is found by walking up from the entry until a host.json appears.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function findAppRoot(fromDir: string): string {
  let dir = path.resolve(fromDir);
  for (;;) {
    if (existsSync(path.join(dir, 'host.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no host.json in ${fromDir} or above it`);
    dir = parent;
  }
}

/** The project checkout: the root above this file (local/ in source, dist/local compiled). */
export const projectRoot = findAppRoot(__dirname);
