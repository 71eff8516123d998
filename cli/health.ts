// cli/health.ts: `pos-hub health`. Asks a hub (GET /api/v1/health/dependencies) whether its settings
// load and storage and Dataverse answer, and prints one line per check: the check to run after a
// deployment or when an alert fires. Where the hub is: cli/hubTarget.ts.
import { parseArgs } from 'node:util';
import { callHub, cliErrorMessage, CliUsageError, hubTarget, refusalDetail } from './hubTarget';

export const HEALTH_USAGE = 'usage: pos-hub health [--json] [--url BASE_URL --key KEY] [--data-dir DIR]';

interface Report {
  status: string;
  version: string;
  checks: { name: string; ok: boolean; ms: number; detail?: string }[];
}

/** Resolves to the exit code: 0 every check ok, 1 a check failed or the hub refused, 2 usage or no hub. */
export async function health(argv: string[], out: (s: string) => void, err: (s: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, url: { type: 'string' }, key: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"\n${HEALTH_USAGE}`);
    const res = await callHub(hubTarget(values, env), '/api/v1/health/dependencies', { method: 'GET' });
    if (res.status !== 200 && res.status !== 503) {
      err(`pos-hub: health refused (${res.status}): ${refusalDetail(res.status, res.text)}\n`);
      return 1;
    }
    const report = JSON.parse(res.text) as Report;
    if (values.json) out(res.text.trim() + '\n');
    else {
      const width = Math.max(...report.checks.map((c) => c.name.length));
      for (const c of report.checks) out(`${c.name.padEnd(width)}  ${c.ok ? 'ok    ' : 'FAILED'}  ${String(c.ms).padStart(5)} ms${c.detail ? `  ${c.detail}` : ''}\n`);
      out(`${report.status} (version ${report.version})\n`);
    }
    return report.status === 'ok' ? 0 : 1;
  } catch (e) {
    err(`pos-hub: ${cliErrorMessage(e)}\n`);
    return 2;
  }
}
