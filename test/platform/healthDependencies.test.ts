// GET /api/v1/health/dependencies through the real app in the local runtime: 200 with every probe ok on
// a healthy hub; 503 naming Dataverse when it does not answer, the rest still ok; 503 when the settings
// do not load (a Key Vault reference left unresolved), saying so without the reference, which the log
// names; 401 for a caller without a key. `pos-hub health` prints the same, one line per check.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { health } from '../../cli/health';
import { startRuntime, type Runtime } from '../../local/runtime';

jest.setTimeout(60_000);

interface Report {
  status: string;
  version: string;
  checks: { name: string; ok: boolean; ms: number; detail?: string }[];
}

const entry = path.join(__dirname, '../../functions/index');
/** The probes, in the order the report lists them. */
const CHECKS = ['settings', 'lake', 'work', 'ledger', 'dataverse'];

async function withRuntime<T>(settings: Record<string, string>, use: (runtime: Runtime, logs: string[]) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-health-'));
  const logs: string[] = [];
  const runtime = await startRuntime({ dataDir, entry, settings, log: (m) => logs.push(m) });
  try {
    return await use(runtime, logs);
  } finally {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function dependencies(runtime: Runtime, key: string | null = runtime.functionKey) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/health/dependencies`, { headers: key ? { 'x-functions-key': key } : {} });
  return { status: res.status, text: await res.text() };
}

async function cli(runtime: Runtime, args: string[] = [], key = runtime.functionKey) {
  let out = '';
  let err = '';
  const code = await health([...args, '--url', runtime.baseUrl, `--key=${key}`], (t) => (out += t), (t) => (err += t), {});
  return { code, out, err };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a healthy hub: 200, every probe ok; without a key: 401 and no report', async () => {
  await withRuntime({}, async (runtime) => {
    const answer = await dependencies(runtime);
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.text) as Report;
    expect(report.status).toBe('ok');
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual(CHECKS.map((name) => [name, true]));
    const refused = await dependencies(runtime, null);
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain('checks');

    const printed = await cli(runtime);
    expect([printed.code, printed.err]).toEqual([0, '']);
    expect(printed.out.split('\n').map((l) => l.replace(/\s+\d+ ms/, ' N ms'))).toEqual([
      'settings   ok N ms',
      'lake       ok N ms',
      'work       ok N ms',
      'ledger     ok N ms',
      'dataverse  ok N ms',
      `ok (version ${report.version})`,
      '',
    ]);
    expect(JSON.parse((await cli(runtime, ['--json'])).out)).toMatchObject({ status: 'ok', checks: report.checks.map((c) => ({ name: c.name, ok: true })) });
    expect(await cli(runtime, [], 'wrong-key')).toEqual({ code: 1, out: '', err: expect.stringMatching(/^pos-hub: health refused \(401\): /) });
  });
});

test('Dataverse not answering: 503 naming it, storage still ok', async () => {
  await withRuntime({ DATAVERSE_URL: `http://127.0.0.1:${await closedPort()}` }, async (runtime, logs) => {
    const answer = await dependencies(runtime);
    expect(answer.status).toBe(503);
    const report = JSON.parse(answer.text) as Report;
    expect(report.status).toBe('degraded');
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual(CHECKS.map((name) => [name, name !== 'dataverse']));
    expect(report.checks.at(-1)!.detail).toMatch(/ECONNREFUSED|no answer within 5000 ms/);
    expect(logs.some((l) => l.includes('warning: health: dataverse failed'))).toBe(true);
    const printed = await cli(runtime);
    expect(printed.code).toBe(1);
    expect(printed.out).toMatch(/^dataverse {2}FAILED +\d+ ms {2}(ECONNREFUSED|Error: no answer)/m);
    expect(printed.out).toMatch(/\ndegraded \(version .+\)\n$/);
  });
});

test('settings that do not load: 503 without the detail, which the log names; no reference text in the answer', async () => {
  const reference = '@Microsoft.KeyVault(SecretUri=https://kv-pos-test.vault.azure.net/secrets/pseudonym-key/)';
  await withRuntime({ POS_HUB_PSEUDONYM_KEY: reference }, async (runtime, logs) => {
    const answer = await dependencies(runtime);
    expect(answer.status).toBe(503);
    const report = JSON.parse(answer.text) as Report;
    expect(report.checks).toEqual([{ name: 'settings', ok: false, ms: 0, detail: 'the app settings do not load; the function app log names the settings' }]);
    expect(answer.text).not.toContain('kv-pos-test');
    expect(logs.some((l) => l.includes('POS_HUB_PSEUDONYM_KEY: Key Vault reference not resolved'))).toBe(true);
  });
});
