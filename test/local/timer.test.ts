// Timers on the local runtime: NCRONTAB schedules firing, the timer input, no overlapping runs, the
// schedule monitor record, and the admin API starting a timer now.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { startRuntime, type Runtime } from '../../local/runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RegisteredFunction } from '../../local/functionsCore';
import { contextFactory } from '../../local/invocationContext';
import { parseSchedule } from '../../local/ncrontab';
import { startTimers } from '../../local/timers';
import { readRuns, waitForRuns } from '../fixtures/apps/readRuns';

let runtime: Runtime;
let dataDir: string;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-timer-'));
  runtime = await startRuntime({
    dataDir,
    entry: path.join(__dirname, '../fixtures/apps/timers/index'),
    log: (m) => logs.push(m),
  });
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const NEVER = '0001-01-01T00:00:00.000Z';
const nextNewYear = (from: Date) => new Date(Date.UTC(from.getUTCFullYear() + 1, 0, 1)).toISOString();

test('a */1 * * * * * timer fires every second with the host timer input', async () => {
  const runs = (await waitForRuns(runtime.storageConnectionString, 'everySecond', 3)).slice(0, 3);
  const inputs = runs.map(
    (r) =>
      r.input as {
        schedule: unknown;
        scheduleStatus: { last: string; next: string; lastUpdated: string };
        isPastDue: boolean;
      },
  );
  for (const [i, input] of inputs.entries()) {
    expect(Object.keys(input).sort()).toEqual(['isPastDue', 'schedule', 'scheduleStatus']);
    expect(input.schedule).toEqual({ adjustForDST: true });
    expect(input.isPastDue).toBe(false);
    expect(Object.keys(input.scheduleStatus).sort()).toEqual(['last', 'lastUpdated', 'next']);
    // `next` is the occurrence being run: a whole second, not later than the run itself.
    expect(input.scheduleStatus.next).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(Date.parse(runs[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(input.scheduleStatus.next));
    if (i > 0) expect(input.scheduleStatus.last).toBe(inputs[i - 1]!.scheduleStatus.next);
  }
  expect(inputs[0]!.scheduleStatus.last).toBe(NEVER);
  // Consecutive occurrences one second apart.
  expect(Date.parse(inputs[2]!.scheduleStatus.next) - Date.parse(inputs[1]!.scheduleStatus.next)).toBe(1000);
});

test('a run slower than the interval never overlaps the next one', async () => {
  const runs = await waitForRuns(runtime.storageConnectionString, 'slow', 3, 15_000);
  for (let i = 1; i < runs.length; i++) {
    expect(Date.parse(runs[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1]!.endedAt!));
  }
});

test('monitored schedules (a minute or longer) keep the host status record; second schedules do not', async () => {
  const container = BlobServiceClient.fromConnectionString(
    runtime.storageConnectionString,
  ).getContainerClient('azure-webjobs-hosts');
  const status = JSON.parse(
    (await container.getBlobClient('timers/pos-hub-local/yearly/status').downloadToBuffer()).toString('utf8'),
  ) as Record<string, string>;
  expect(Object.keys(status).sort()).toEqual(['Last', 'LastUpdated', 'Next']);
  expect(status.Last).toBe(NEVER);
  expect(status.Next).toBe(nextNewYear(new Date(status.LastUpdated!)));
  expect(await container.getBlobClient('timers/pos-hub-local/everySecond/status').exists()).toBe(false);
});

test('runOnStartup runs a timer once at start-up, not past due', async () => {
  const runs = await waitForRuns(runtime.storageConnectionString, 'onStartup', 1);
  await sleep(500);
  expect(await readRuns(runtime.storageConnectionString, 'onStartup')).toHaveLength(1);
  expect(runs[0]!.input).toEqual({
    schedule: { adjustForDST: true },
    scheduleStatus: {
      last: NEVER,
      next: nextNewYear(new Date(runs[0]!.startedAt)),
      lastUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    },
    isPastDue: false,
  });
});

test('the admin API runs a timer now: 202, then one run with isPastDue false', async () => {
  expect(await readRuns(runtime.storageConnectionString, 'yearly')).toEqual([]);
  const res = await fetch(`${runtime.baseUrl}/admin/functions/yearly`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey, 'content-type': 'application/json' },
    body: JSON.stringify({ input: '' }),
  });
  expect([res.status, await res.text()]).toEqual([202, '']);
  const [run] = await waitForRuns(runtime.storageConnectionString, 'yearly', 1);
  const input = run!.input as { isPastDue: boolean; scheduleStatus: { last: string; next: string } };
  expect(input.isPastDue).toBe(false);
  expect(input.scheduleStatus.last).toBe(NEVER);
  expect(input.scheduleStatus.next).toBe(nextNewYear(new Date(run!.startedAt)));
});

test('a schedule months away waits in setTimeout steps of at most 2^31-1 ms', async () => {
  // Node turns a longer delay into 1 ms: a yearly timer would spin instead of waiting.
  const far: RegisteredFunction = {
    name: 'farAway',
    metadata: { name: 'farAway', bindings: {} },
    trigger: {
      name: 'timer',
      type: 'timerTrigger',
      direction: 'in',
      schedule: '0 0 0 1 1 *',
      useMonitor: false,
    },
    handler: () => undefined,
  };
  const spy = jest.spyOn(global, 'setTimeout');
  try {
    const timers = await startTimers({
      functions: [far],
      storageConnectionString: runtime.storageConnectionString,
      hostId: 'test',
      log: () => {},
      newContext: contextFactory(
        () => {},
        () => undefined,
      ),
    });
    await sleep(100);
    await timers.stop();
    const delays = spy.mock.calls.map((call) => Number(call[1]));
    expect(delays).toContain(2 ** 31 - 1);
    expect(delays.filter((d) => d > 2 ** 31 - 1)).toEqual([]);
  } finally {
    spy.mockRestore();
  }
});

test('the admin API needs the key and a known function', async () => {
  const noKey = await fetch(`${runtime.baseUrl}/admin/functions/yearly`, {
    method: 'POST',
    body: '{"input":""}',
  });
  expect([noKey.status, await noKey.text()]).toEqual([401, '']);
  const unknown = await fetch(`${runtime.baseUrl}/admin/functions/nope`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey },
    body: '{"input":""}',
  });
  expect(unknown.status).toBe(404);
});

describe('NCRONTAB schedules', () => {
  const at = new Date('2026-03-29T00:59:59.500Z');
  test.each([
    ['*/1 * * * * *', '2026-03-29T01:00:00.000Z'],
    ['0 */5 * * * *', '2026-03-29T01:00:00.000Z'],
    ['30 0 1 * * *', '2026-03-29T01:00:30.000Z'],
    ['0 0 2 * * *', '2026-03-29T02:00:00.000Z'],
    ['0 30 9 * * 1-5', '2026-03-30T09:30:00.000Z'],
    ['*/15 * * * *', '2026-03-29T01:00:00.000Z'],
  ])('%s after 00:59:59.5 UTC (on a DST change day in Europe) is %s', (expression, expected) => {
    expect(parseSchedule(expression).next(at).toISOString()).toBe(expected);
  });

  test('a schedule without 5 or 6 fields is refused', () => {
    expect(() => parseSchedule('* * * *')).toThrow('must have 6 NCRONTAB fields');
  });
});
