// `pos-hub redrive` refusals that never reach a hub: exit 2 with one line on stderr. The calls to a real
// hub (pages, exit 0/1) are in test/streams/redriveDeadLetters.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redrive } from '../../cli/redrive';

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await redrive(args, (s) => (out += s), (s) => (err += s), {});
  return { code, out, err };
}

test('--date with --blob, an unknown option, and no hub to call are usage errors (exit 2), printed on one line', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pos-hub-redrive-cli-'));
  try {
    expect(await run(['--date', '2026-11-30', '--blob', 'deadletter/eventhubs/2026-11-30/1-2.json', '--data-dir', dir])).toEqual({
      code: 2,
      out: '',
      err: 'pos-hub: give --date or --blob, not both\n',
    });
    const unknown = await run(['--max', '3', '--data-dir', dir]);
    expect([unknown.code, unknown.out, unknown.err.split('\n').length]).toEqual([2, '', 2]);
    expect(unknown.err).toContain("'--max'");
    expect(await run(['--data-dir', dir])).toEqual({
      code: 2,
      out: '',
      err: `pos-hub: no hub to call: give --url and --key (or POS_HUB_BASE_URL and POS_HUB_KEY), or start the local runtime (${path.join(dir, 'runtime.json')} not found)\n`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
