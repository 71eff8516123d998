// cli/replay.ts: `pos-hub replay --batch ID | --date YYYY-MM-DD`. Asks the hub's admin endpoint
// (POST /api/v1/admin/replay) to re-run quarantined batches. Where the hub is: cli/hubTarget.ts.
import { parseArgs } from 'node:util';
import { callHub, cliErrorMessage, CliUsageError, hubTarget, refusalDetail } from './hubTarget';

export const REPLAY_USAGE = 'usage: pos-hub replay (--batch ID | --date YYYY-MM-DD) [--url BASE_URL --key KEY] [--data-dir DIR]';

/** Runs `replay`; resolves to the exit code: 0 started, 1 the hub refused (problem on stderr), 2 usage or no hub. */
export async function replay(argv: string[], out: (s: string) => void, err: (s: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { batch: { type: 'string' }, date: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    if ((values.batch === undefined) === (values.date === undefined)) throw new CliUsageError(`give exactly one of --batch and --date\n${REPLAY_USAGE}`);
    const target = hubTarget(values, env);
    const body = values.batch !== undefined ? { batchId: values.batch } : { businessDate: values.date };
    const res = await callHub(target, '/api/v1/admin/replay', { method: 'POST', body });
    if (res.status === 202) {
      out(res.text.trim() + '\n');
      return 0;
    }
    err(`pos-hub: replay refused (${res.status}): ${refusalDetail(res.status, res.text)}\n`);
    return 1;
  } catch (e) {
    err(`pos-hub: ${cliErrorMessage(e)}\n`);
    return 2;
  }
}
