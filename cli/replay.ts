// cli/replay.ts: `pos-hub replay --batch ID | --date YYYY-MM-DD`. Asks the hub's admin endpoint
// (POST /api/v1/admin/replay) to re-run quarantined batches. Where the hub is: --url and --key, else
// POS_HUB_BASE_URL and POS_HUB_KEY, else the runtime.json a local runtime writes into its data folder
// (--data-dir, else POS_HUB_DATA_DIR, else .data in the project).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const REPLAY_USAGE = 'usage: pos-hub replay (--batch ID | --date YYYY-MM-DD) [--url BASE_URL --key KEY] [--data-dir DIR]';

class ReplayUsageError extends Error {}

/** The folder holding package.json: one level above cli/ in source, two above dist/cli. */
function projectRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

interface Target {
  baseUrl: string;
  key: string;
}

function targetOf(values: { url?: string; key?: string; 'data-dir'?: string }, env: NodeJS.ProcessEnv): Target {
  const baseUrl = values.url ?? env.POS_HUB_BASE_URL;
  const key = values.key ?? env.POS_HUB_KEY;
  if (baseUrl && key) return { baseUrl, key };
  const dataDir = values['data-dir'] ?? env.POS_HUB_DATA_DIR ?? path.join(projectRoot(), '.data');
  const file = path.join(dataDir, 'runtime.json');
  let info: { baseUrl?: unknown; functionKey?: unknown };
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as typeof info;
  } catch {
    throw new ReplayUsageError(`no hub to call: give --url and --key (or POS_HUB_BASE_URL and POS_HUB_KEY), or start the local runtime (${file} not found)`);
  }
  if (typeof info.baseUrl !== 'string' || typeof info.functionKey !== 'string') throw new ReplayUsageError(`${file} has no baseUrl and functionKey`);
  return { baseUrl: baseUrl ?? info.baseUrl, key: key ?? info.functionKey };
}

/** Runs `replay`; resolves to the exit code: 0 started, 1 the hub refused (problem on stderr), 2 usage or no hub. */
export async function replay(argv: string[], out: (s: string) => void, err: (s: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { batch: { type: 'string' }, date: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    if ((values.batch === undefined) === (values.date === undefined)) throw new ReplayUsageError(`give exactly one of --batch and --date\n${REPLAY_USAGE}`);
    const target = targetOf(values, env);
    const body = values.batch !== undefined ? { batchId: values.batch } : { businessDate: values.date };
    let res: Response;
    try {
      res = await fetch(new URL('/api/v1/admin/replay', target.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-functions-key': target.key },
        body: JSON.stringify(body),
      });
    } catch (e) {
      throw new ReplayUsageError(`cannot reach ${target.baseUrl}: ${(e as Error).message}`);
    }
    const text = await res.text();
    if (res.status === 202) {
      out(text.trim() + '\n');
      return 0;
    }
    let detail = text.trim() || `HTTP ${res.status}`;
    try {
      const problem = JSON.parse(text) as { title?: string; detail?: string };
      if (problem.detail) detail = `${problem.title ?? 'refused'}: ${problem.detail}`;
    } catch {
      // not a problem document: the status says it
    }
    err(`pos-hub: replay refused (${res.status}): ${detail.split('\n')[0]}\n`);
    return 1;
  } catch (e) {
    const message = e instanceof ReplayUsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (e as Error).message : `internal error: ${(e as Error).message}`;
    err(`pos-hub: ${message.split('\n')[0]}\n`);
    return 2;
  }
}
