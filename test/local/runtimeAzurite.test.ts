// Azurite as the runtime's child: persisted under `location`, and never outliving a runtime that dies
// without stopping it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.join(__dirname, '../..');
let dataDir: string;
let orphanPid: number | undefined;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-azurite-'));
});

afterAll(() => {
  if (orphanPid && isAlive(orphanPid)) process.kill(orphanPid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

test('Azurite stops itself when the process that started it is killed', async () => {
  const script = `
    const { startAzurite } = require('./local/azurite');
    startAzurite({ location: process.argv[1] }).then((a) => console.log('azurite-pid=' + a.pid));
  `;
  const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script, path.join(dataDir, 'azurite')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  parent.stdout.on('data', (c: Buffer) => (out += c.toString()));
  for (let i = 0; i < 200 && !/azurite-pid=\d+/.test(out); i++) await sleep(100);
  orphanPid = Number(/azurite-pid=(\d+)/.exec(out)![1]);
  expect(isAlive(orphanPid)).toBe(true);

  parent.kill('SIGKILL');
  await new Promise((r) => parent.once('exit', r));
  for (let i = 0; i < 50 && isAlive(orphanPid); i++) await sleep(100);
  expect(isAlive(orphanPid)).toBe(false);
});
