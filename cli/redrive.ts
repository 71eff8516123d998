// cli/redrive.ts: `pos-hub redrive [--date YYYY-MM-DD | --blob NAME] [--dry-run]`. Asks the hub's admin
// endpoint (POST /api/v1/admin/dead-letters/redrive) to run Event Hubs dead letters through acceptance
// again, call after call while some remain. Where the hub is: cli/hubTarget.ts.
import { parseArgs } from 'node:util';
import { callHub, cliErrorMessage, CliUsageError, hubTarget, refusalDetail } from './hubTarget';

export const REDRIVE_USAGE = 'usage: pos-hub redrive [--date YYYY-MM-DD | --blob NAME] [--dry-run] [--url BASE_URL --key KEY] [--data-dir DIR]';

interface RedriveAnswer {
  dryRun: boolean;
  accepted: { blob: string; batchId: string }[];
  failing: { blob: string; code: string }[];
  remaining: number;
  next: string | null;
}

// Each call handles at most a page; this bounds a run against a hub that keeps answering `remaining`.
const MAX_CALLS = 1000;

/**
 * Runs `redrive`; resolves to the exit code: 0 nothing failing, 1 some dead letters still fail or the hub
 * refused (problem on stderr), 2 usage or no hub. Prints one line per dead letter and a summary.
 */
export async function redrive(argv: string[], out: (s: string) => void, err: (s: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        date: { type: 'string' },
        blob: { type: 'string' },
        'dry-run': { type: 'boolean' },
        url: { type: 'string' },
        key: { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
    if (values.date !== undefined && values.blob !== undefined) throw new CliUsageError(`give --date or --blob, not both\n${REDRIVE_USAGE}`);
    const target = hubTarget(values, env);
    const dryRun = values['dry-run'] ?? false;
    const totals = { accepted: 0, failing: 0 };
    let after: string | null = null;
    for (let call = 0; call < MAX_CALLS; call++) {
      const body = {
        ...(values.date !== undefined ? { date: values.date } : {}),
        ...(values.blob !== undefined ? { blob: values.blob } : {}),
        ...(after !== null ? { after } : {}),
        dryRun,
      };
      const res = await callHub(target, '/api/v1/admin/dead-letters/redrive', { method: 'POST', body });
      if (res.status !== 200) {
        err(`pos-hub: redrive refused (${res.status}): ${refusalDetail(res.status, res.text)}\n`);
        return 1;
      }
      const answer = JSON.parse(res.text) as RedriveAnswer;
      for (const a of answer.accepted) out(`${dryRun ? 'would accept' : 'accepted'} ${a.blob} batch=${a.batchId}\n`);
      for (const f of answer.failing) out(`failing ${f.blob} code=${f.code}\n`);
      totals.accepted += answer.accepted.length;
      totals.failing += answer.failing.length;
      if (answer.remaining <= 0 || !answer.next) break;
      after = answer.next;
    }
    out(`${dryRun ? 'dry run: would accept' : 'accepted'} ${totals.accepted}, failing ${totals.failing}\n`);
    return totals.failing > 0 ? 1 : 0;
  } catch (e) {
    err(`pos-hub: ${cliErrorMessage(e)}\n`);
    return 2;
  }
}
