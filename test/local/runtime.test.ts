// startRuntime as a whole: app settings and host.json, state that survives a restart on the same data
// folder, and a timer run missed while the runtime was down reported as past due.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { startRuntime, type Runtime } from '../../local/runtime';
import { readRuns, waitForRuns } from '../fixtures/apps/readRuns';

const entry = path.join(__dirname, '../fixtures/apps/settings/index');
let dataDir: string;
let runtime: Runtime | undefined;
const logs: string[] = [];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const start = () =>
  startRuntime({ dataDir, entry, settings: { FIXTURE_EXPLICIT: 'explicit' }, log: (m) => logs.push(m) });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-runtime-'));
  process.env.FIXTURE_PRESET = 'from-env';
  runtime = await start();
});

afterAll(async () => {
  await runtime?.stop();
  delete process.env.FIXTURE_PRESET;
  rmSync(dataDir, { recursive: true, force: true });
});

const nightlyNext = (from: Date) => {
  const today = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), 2);
  return new Date(today > from.getTime() ? today : today + 86_400_000).toISOString();
};

test('local.settings.json fills what the environment lacks; explicit settings win; storage is the local Azurite', async () => {
  const res = await fetch(`${runtime!.baseUrl}/hub/settings`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({
    fromFile: 'from-file',
    preset: 'from-env',
    explicit: 'explicit',
    storage: runtime!.storageConnectionString,
  });
  expect(runtime!.storageConnectionString).toMatch(
    /BlobEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;/,
  );
});

test("host.json's route prefix replaces api/", async () => {
  expect((await fetch(`${runtime!.baseUrl}/api/settings`)).status).toBe(404);
  expect(runtime!.routePrefix).toBe('hub');
});

test('output bindings the runtime does not deliver are reported at start-up, not dropped silently', () => {
  const reported = logs.filter((l) => l.startsWith('not served by the local runtime'));
  expect(reported).toEqual([
    expect.stringMatching(
      /^not served by the local runtime \(use the SDK in the function instead\): settings: out binding "queueOutput[0-9a-f]+" of type queue$/,
    ),
  ]);
});

test('the function key is generated once and kept in keys.json', () => {
  const keys = JSON.parse(readFileSync(path.join(dataDir, 'keys.json'), 'utf8')) as { functionKey: string };
  expect(keys.functionKey).toBe(runtime!.functionKey);
  expect(runtime!.functionKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
});

test('a restart on the same data folder keeps blobs, tables and the key; a run missed meanwhile is past due', async () => {
  const first = runtime!;
  const blobs = BlobServiceClient.fromConnectionString(first.storageConnectionString);
  const container = blobs.getContainerClient('persisted');
  await container.createIfNotExists();
  await container.getBlockBlobClient('notes/hello.txt').upload('survives restarts', 17);
  const table = TableClient.fromConnectionString(first.storageConnectionString, 'persisted', {
    allowInsecureConnection: true,
  });
  await table.createTable();
  await table.createEntity({ partitionKey: 'S042', rowKey: 'R1', total: '409.94' });

  // The nightly timer's monitor record, as the schedule monitor wrote it at start-up.
  const statusBlob = blobs
    .getContainerClient('azure-webjobs-hosts')
    .getBlockBlobClient('timers/pos-hub-local/nightly/status');
  const written = JSON.parse((await statusBlob.downloadToBuffer()).toString('utf8')) as {
    Last: string;
    Next: string;
    LastUpdated: string;
  };
  expect(written.Next).toBe(nightlyNext(new Date(written.LastUpdated)));

  // Simulate a night the runtime was down: the recorded next occurrence (02:00 yesterday) has passed.
  const missed = {
    Last: '2026-01-01T02:00:00.000Z',
    Next: new Date(Date.parse(nightlyNext(new Date())) - 2 * 86_400_000).toISOString(),
    LastUpdated: '2026-01-01T02:00:00.012Z',
  };
  await statusBlob.upload(JSON.stringify(missed), JSON.stringify(missed).length);
  expect(await readRuns(first.storageConnectionString, 'nightly')).toEqual([]);

  await first.stop();
  runtime = undefined;
  expect(isAlive(first.azuritePid)).toBe(false);
  await expect(fetch(`${first.baseUrl}/hub/settings`)).rejects.toThrow();

  runtime = await start();
  expect(runtime.functionKey).toBe(first.functionKey);
  const again = BlobServiceClient.fromConnectionString(runtime.storageConnectionString).getContainerClient(
    'persisted',
  );
  expect((await again.getBlobClient('notes/hello.txt').downloadToBuffer()).toString('utf8')).toBe(
    'survives restarts',
  );
  const entity = await TableClient.fromConnectionString(runtime.storageConnectionString, 'persisted', {
    allowInsecureConnection: true,
  }).getEntity<{ total: string }>('S042', 'R1');
  expect(entity.total).toBe('409.94');

  const [run] = await waitForRuns(runtime.storageConnectionString, 'nightly', 1);
  expect(run!.input).toEqual({
    schedule: { adjustForDST: true },
    scheduleStatus: { last: missed.Last, next: missed.Next, lastUpdated: missed.LastUpdated },
    isPastDue: true,
  });
  expect(
    logs.some((l) => l.includes(`[nightly] past due: the occurrence at ${missed.Next} was missed`)),
  ).toBe(true);

  // After the past-due run the monitor record moves on to the next night.
  const newStatusBlob = BlobServiceClient.fromConnectionString(runtime.storageConnectionString)
    .getContainerClient('azure-webjobs-hosts')
    .getBlobClient('timers/pos-hub-local/nightly/status');
  let after = JSON.parse((await newStatusBlob.downloadToBuffer()).toString('utf8')) as {
    Last: string;
    Next: string;
    LastUpdated: string;
  };
  for (let i = 0; i < 20 && after.Next === missed.Next; i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = JSON.parse((await newStatusBlob.downloadToBuffer()).toString('utf8')) as typeof after;
  }
  expect(after.Next).toBe(nightlyNext(new Date(after.LastUpdated)));
  expect(Date.parse(after.Last)).toBeGreaterThanOrEqual(Date.parse(run!.startedAt) - 1000);
});
