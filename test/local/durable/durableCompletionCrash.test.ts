// An activity's completion reaches the history only with the step that commits it: the engine holds
// it in memory meanwhile, not in the inbox. A crash between the completion and that commit loses it,
// and the next engine runs the activity again (its TaskScheduled has no completion in the history);
// the orchestration then completes once, with each completion in its history once.
import path from 'node:path';
import { odata, TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite';
import { loadFunctionApp, type RegisteredFunction } from '../../../local/functionsCore';
import { createDurableEngine, isTerminal, type DurableEngine } from '../../../local/durable/durableEngine';
import { createDurableStore, type DurableStore, type HistoryRecord } from '../../../local/durable/durableStore';
import { EventType } from '../../../local/durable/historyEvents';
import { waitUntil } from './durableHarness';
import type * as fixture from '../../fixtures/durable-app';

let azurite: AzuriteInstance;
let functions: RegisteredFunction[];
let app: typeof fixture;
let store: DurableStore;
const engines: DurableEngine[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  functions = loadFunctionApp(path.join(__dirname, '../../fixtures/durable-app/index.ts'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  app = require('../../fixtures/durable-app') as typeof fixture;
  app.fixtureSettings.storageConnectionString = azurite.connectionString;
  await TableClient.fromConnectionString(azurite.connectionString, app.WORK_TABLE, { allowInsecureConnection: true }).createTable();
  store = createDurableStore(azurite.connectionString, 'CompletionCrash');
  await store.init();
});

afterAll(async () => {
  for (const e of engines) await e.stop();
  await azurite?.stop();
});

/** The store as a process that dies at the first commit of an activity's completion: from then on nothing reaches storage. */
function dyingStore(): { store: DurableStore; died: Promise<number[]> } {
  let dead = false;
  let die!: (taskIds: number[]) => void;
  const died = new Promise<number[]>((resolve) => (die = resolve));
  const wrapped = Object.fromEntries(
    Object.entries(store).map(([name, method]) => [
      name,
      async (...args: unknown[]) => {
        if (!dead && name === 'commitStep') {
          const completed = (args[1] as HistoryRecord[]).filter((r) => r.event.EventType === EventType.TaskCompleted);
          if (completed.length > 0) {
            dead = true;
            die(completed.map((r) => r.event.TaskScheduledId!));
          }
        }
        if (dead) throw new Error('the process died');
        return (method as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as DurableStore;
  return { store: wrapped, died };
}

function startEngine(on: DurableStore): DurableEngine {
  const engine = createDurableEngine({ functions, store: on, maxConcurrentActivities: 4, log: () => {} });
  engines.push(engine);
  return engine;
}

async function attemptsByKey(runId: string): Promise<Map<number, number>> {
  const table = TableClient.fromConnectionString(azurite.connectionString, app.WORK_TABLE, { allowInsecureConnection: true });
  const attempts = new Map<number, number>();
  for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${`${runId}-attempts`}` } })) {
    const key = Number(String(row.rowKey).split('-')[0]);
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
  }
  return attempts;
}

test('a crash between an activity completion and the commit of its step re-runs the activity, and the orchestration completes once', async () => {
  const dying = dyingStore();
  const first = startEngine(dying.store);
  const runId = 'crash1';
  expect(await first.startNew('RecordedFanOut', 'crash-1', JSON.stringify({ runId, count: 2, delayMs: 100 }))).toBe('started');
  const lost = await dying.died;
  expect(lost.length).toBeGreaterThan(0);
  await first.stop();

  // Nothing of the completion reached storage: no inbox row, no history row.
  const atCrash = await store.readInstance('crash-1', 50);
  expect(atCrash.inbox).toEqual([]);
  const historyAtCrash = await store.readHistory(atCrash.stored!.state);
  expect(historyAtCrash.filter((r) => r.event.EventType === EventType.TaskCompleted)).toEqual([]);
  expect(historyAtCrash.filter((r) => r.event.EventType === EventType.TaskScheduled)).toHaveLength(2);

  const second = startEngine(store);
  await second.recover();
  const finished = await waitUntil(async () => {
    const stored = await store.getInstance('crash-1');
    return stored && isTerminal(stored.state) ? stored.state : undefined;
  });
  expect(finished.status).toBe('Completed');
  expect(finished.output).toBe('2'); // 2 * (0 + 1)

  // Both activities had run (or were running) when the process died, and ran again after it.
  expect(await attemptsByKey(runId)).toEqual(new Map([[0, 2], [1, 2]]));
  const history = await store.readHistory(finished);
  const completions = history.filter((r) => r.event.EventType === EventType.TaskCompleted).map((r) => r.event.TaskScheduledId);
  expect(completions.sort()).toEqual([0, 1]);
  expect(history.filter((r) => r.event.EventType === EventType.ExecutionCompleted)).toHaveLength(1);
});
