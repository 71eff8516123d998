// cli/hubTarget.ts: where the hub is, for the commands that call it (replay, erase, ...; send with the ingest key):
// --url and --key, else POS_HUB_BASE_URL and POS_HUB_KEY (or the keyEnv given), else the runtime.json a local runtime writes
// into its data folder (--data-dir, else POS_HUB_DATA_DIR, else .data in the project).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A refusal to run that the user can fix: printed as one line, exit code 2. */
export class CliUsageError extends Error {}

export interface HubTarget {
  baseUrl: string;
  key: string;
}

/** The folder holding package.json: one level above cli/ in source, two above dist/cli. */
function projectRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

export interface HubTargetOptions {
  /**
   * The environment variable holding the key when --key is not given: POS_HUB_KEY (default) for the
   * admin commands, POS_HUB_INGEST_KEY for `send`, which calls the ingest API.
   */
  keyEnv?: string;
}

export function hubTarget(values: { url?: string; key?: string; 'data-dir'?: string }, env: NodeJS.ProcessEnv, options: HubTargetOptions = {}): HubTarget {
  const keyEnv = options.keyEnv ?? 'POS_HUB_KEY';
  const baseUrl = values.url ?? env.POS_HUB_BASE_URL;
  const key = values.key ?? env[keyEnv];
  if (baseUrl && key) return { baseUrl, key };
  const dataDir = values['data-dir'] ?? env.POS_HUB_DATA_DIR ?? path.join(projectRoot(), '.data');
  const file = path.join(dataDir, 'runtime.json');
  let info: { baseUrl?: unknown; functionKey?: unknown };
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as typeof info;
  } catch {
    throw new CliUsageError(`no hub to call: give --url and --key (or POS_HUB_BASE_URL and ${keyEnv}), or start the local runtime (${file} not found)`);
  }
  if (typeof info.baseUrl !== 'string' || typeof info.functionKey !== 'string') throw new CliUsageError(`${file} has no baseUrl and functionKey`);
  return { baseUrl: baseUrl ?? info.baseUrl, key: key ?? info.functionKey };
}

/** Calls the hub; an unreachable hub is the user's to fix (wrong URL, runtime not started). */
export async function callHub(target: HubTarget, pathname: string, init: { method: 'GET' | 'POST'; body?: unknown }): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(new URL(pathname, target.baseUrl), {
      method: init.method,
      headers: { 'x-functions-key': target.key, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch (e) {
    throw new CliUsageError(`cannot reach ${target.baseUrl}: ${(e as Error).message}`);
  }
  return { status: res.status, text: await res.text() };
}

/** The one-line reason of a refusal: the problem document's title and detail when there is one. */
export function refusalDetail(status: number, text: string): string {
  let detail = text.trim() || `HTTP ${status}`;
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string };
    if (problem.detail) detail = `${problem.title ?? 'refused'}: ${problem.detail}`;
  } catch {
    // not a problem document: the status says it
  }
  return detail.split('\n')[0]!;
}

/** The message of an error from a command: usage problems as they are, anything else as internal. */
export function cliErrorMessage(e: unknown): string {
  const usage = e instanceof CliUsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  return (usage ? (e as Error).message : `internal error: ${(e as Error).message}`).split('\n')[0]!;
}
