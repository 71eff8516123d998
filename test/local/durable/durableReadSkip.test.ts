// A step whose only news is in memory (an activity's completion, or the start this engine has just
// written) does not read the instance: the engine remembers the state and etag it committed or
// created. Reads stay where something may wait in the inbox (a raised event, a terminate, a page of
// messages left over, what a replaced instance left) or where another runtime changed the instance
// (the remembered etag is then stale, the commit fails and the next step reads).
import path from 'node:path';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite';
import { loadFunctionApp, type RegisteredFunction } from '../../../local/functionsCore';
import { createDurableEngine, isTerminal, type DurableEngine } from '../../../local/durable/durableEngine';
import { createDurableStore, type DurableStore, type InstanceState } from '../../../local/durable/durableStore';
import { EventType, newEvent } from '../../../local/durable/historyEvents';
import { waitUntil } from './durableHarness';
import type * as skipApp from './readSkipApp';

let azurite: AzuriteInstance;
let functions: RegisteredFunction[];
let app: typeof skipApp;
let store: DurableStore;
const engines: DurableEngine[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  functions = loadFunctionApp(path.join(__dirname, 'readSkipApp.ts'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  app = require('./readSkipApp') as typeof skipApp;
  store = createDurableStore(azurite.connectionString, 'ReadSkip');
  await store.init();
});

afterAll(async () => {
  for (const e of engines) await e.stop();
  await azurite?.stop();
});

interface Counted {
  store: DurableStore;
  calls: Map<string, number>;
  /** Status codes of the failed calls, by method. */
  failures: Map<string, (number | undefined)[]>;
}

/** The shared store, with its calls counted. */
function countingStore(): Counted {
  const calls = new Map<string, number>();
  const failures = new Map<string, (number | undefined)[]>();
  const wrapped = Object.fromEntries(
    Object.entries(store).map(([name, method]) => [
      name,
      async (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        try {
          return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (e) {
          failures.set(name, [...(failures.get(name) ?? []), (e as { statusCode?: number }).statusCode]);
          throw e;
        }
      },
    ]),
  ) as unknown as DurableStore;
  return { store: wrapped, calls, failures };
}

function startEngine(on: DurableStore, fns = functions): DurableEngine {
  const engine = createDurableEngine({ functions: fns, store: on, maxConcurrentActivities: 4, log: () => {} });
  engines.push(engine);
  return engine;
}

/** The instance's stored state, once `holds` is true of it. */
function stateWhen(instanceId: string, holds: (state: InstanceState) => boolean | Promise<boolean>): Promise<InstanceState> {
  return waitUntil(async () => {
    const stored = await store.getInstance(instanceId);
    return stored && (await holds(stored.state)) ? stored.state : undefined;
  });
}

const finished = (instanceId: string) => stateWhen(instanceId, isTerminal);

async function eventTypes(state: InstanceState): Promise<number[]> {
  return (await store.readHistory(state)).map((r) => r.event.EventType);
}

const eventRaisedIn = async (state: InstanceState) => (await eventTypes(state)).includes(EventType.EventRaised);

test('an orchestration of three activities never reads its instance: the engine knows the start it wrote, and its activities complete in memory', async () => {
  const counted = countingStore();
  const engine = startEngine(counted.store);
  expect(await engine.startNew('SkipSequence', 'sequence-1', undefined)).toBe('started');
  const state = await finished('sequence-1');
  expect(state.status).toBe('Completed');
  expect(JSON.parse(state.output!)).toEqual(['one', 'two', 'three']);
  // One step for the start, one per activity completion.
  expect(counted.calls.get('commitStep')).toBe(4);
  expect(counted.calls.get('readInstance') ?? 0).toBe(0);
  // The commits' responses carried the etag: no point read of the state either.
  expect(counted.calls.get('getInstance') ?? 0).toBe(0);
  expect(counted.failures.size).toBe(0);
});

test('when a commit response carries no etag, the completions\' steps read the state row by its key instead of the range', async () => {
  const counted = countingStore();
  const withoutEtag: DurableStore = { ...counted.store, commitStep: async (...args) => void (await counted.store.commitStep(...args)) };
  const engine = startEngine(withoutEtag);
  expect(await engine.startNew('SkipSequence', 'sequence-2', undefined)).toBe('started');
  const state = await finished('sequence-2');
  expect(state.status).toBe('Completed');
  expect(JSON.parse(state.output!)).toEqual(['one', 'two', 'three']);
  expect(counted.calls.get('commitStep')).toBe(4);
  expect(counted.calls.get('readInstance') ?? 0).toBe(0);
  expect(counted.calls.get('getInstance')).toBe(3);
});

test.each([
  ['after the event has been applied', true],
  ['before the event has been applied', false],
])('an event raised while an activity runs is applied in arrival order when the activity completes %s', async (_, waitForEvent) => {
  const id = `event-${waitForEvent ? 'applied' : 'pending'}`;
  const engine = startEngine(store);
  expect(await engine.startNew('SkipEventDuringActivity', id, undefined)).toBe('started');
  await app.gate(`${id}-first`).entered;
  expect(await engine.raiseEvent(id, 'Go', JSON.stringify('go'))).toBe('accepted');
  if (waitForEvent) {
    await stateWhen(id, eventRaisedIn);
  }
  app.gate(`${id}-first`).open();
  const state = await finished(id);
  expect(state.status).toBe('Completed');
  expect(JSON.parse(state.output!)).toEqual([`${id}-first`, 'go', 'second']);
  const types = await eventTypes(state);
  // The event arrived first: it is recorded before the activity's completion.
  expect(types.indexOf(EventType.EventRaised)).toBeGreaterThan(-1);
  expect(types.indexOf(EventType.EventRaised)).toBeLessThan(types.indexOf(EventType.TaskCompleted));
  expect(types.filter((t) => t === EventType.TaskCompleted)).toHaveLength(2);
});

test('another runtime changing the instance makes the next commit fail; the step reads again and the orchestration completes once', async () => {
  const id = 'two-engines';
  const counted = countingStore();
  const first = startEngine(counted.store);
  // The other runtime's copy of the activity never finishes: the first engine's completion is the one recorded.
  const hanging = functions.map((f) => (f.name === 'SkipGated' ? { ...f, handler: () => new Promise(() => {}) } : f));
  const second = startEngine(store, hanging);
  expect(await first.startNew('SkipTwoGated', id, undefined)).toBe('started');
  await app.gate(`${id}-a`).entered;
  expect(counted.calls.get('readInstance') ?? 0).toBe(0);

  // The second runtime applies an event to the instance: the state row's etag changes under the first engine.
  expect(await second.raiseEvent(id, 'Noise', JSON.stringify(1))).toBe('accepted');
  await stateWhen(id, eventRaisedIn);

  app.gate(`${id}-a`).open();
  const state = await finished(id);
  expect(state.status).toBe('Completed');
  expect(JSON.parse(state.output!)).toEqual([`${id}-a`, 'b']);
  // The completion's step committed on the remembered (stale) etag, failed, read and committed again.
  expect(counted.failures.get('commitStep')).toEqual([412]);
  expect(counted.calls.get('readInstance')).toBe(1);
  const types = await eventTypes(state);
  expect(types.filter((t) => t === EventType.ExecutionCompleted)).toHaveLength(1);
  expect(types.filter((t) => t === EventType.EventRaised)).toHaveLength(1);
  expect(types.filter((t) => t === EventType.TaskCompleted)).toHaveLength(2);
});

test('an inbox holding more than a step takes is read again until it is empty', async () => {
  const id = 'burst';
  const count = 61;
  const engine = startEngine(store);
  expect(await engine.startNew('SkipCountEvents', id, JSON.stringify(count))).toBe('started');
  const running = await stateWhen(id, (state) => state.historyLength > 0);
  // A burst larger than one step's page (50): all but the last written straight to storage, the last
  // raised through the engine, which kicks the instance once.
  for (let i = 0; i < count - 1; i++) await store.appendInbox(id, running.executionId, newEvent('EventRaised', { Name: 'E', Input: String(i) }));
  expect(await engine.raiseEvent(id, 'E', JSON.stringify(count - 1))).toBe('accepted');
  const state = await finished(id);
  expect(state.status).toBe('Completed');
  expect(state.output).toBe(String(count));
  expect((await eventTypes(state)).filter((t) => t === EventType.EventRaised)).toHaveLength(count);
});

test('when the start\'s response carries no etag, the first step reads the instance', async () => {
  const counted = countingStore();
  const withoutEtag: DurableStore = {
    ...counted.store,
    startInstance: async (...args) => ({ ...(await counted.store.startInstance(...args)), etag: undefined }),
  };
  const engine = startEngine(withoutEtag);
  expect(await engine.startNew('SkipSequence', 'sequence-3', undefined)).toBe('started');
  const state = await finished('sequence-3');
  expect(JSON.parse(state.output!)).toEqual(['one', 'two', 'three']);
  expect(counted.calls.get('readInstance')).toBe(1);
  expect(counted.calls.get('getInstance') ?? 0).toBe(0);
});

test('a sub-orchestration this engine starts is not read either; its parent reads once, for the completion the child queued', async () => {
  const counted = countingStore();
  const engine = startEngine(counted.store);
  expect(await engine.startNew('SkipParent', 'parent-1', undefined)).toBe('started');
  const state = await finished('parent-1');
  expect(JSON.parse(state.output!)).toEqual(['parent', 'one', 'two', 'three']);
  expect(counted.calls.get('readInstance')).toBe(1);
  expect(counted.failures.size).toBe(0);
});

test.each([
  // After the event, the step for the kick the raise queued has nothing to do: it reads nothing.
  ['an event raised', 'raise', 1],
  // The kick the terminate queued finds a finished instance, which is never remembered: it reads.
  ['a terminate sent', 'terminate', 2],
])('%s right after the start, before its first step, is applied by that step', async (_, signal, reads) => {
  const id = `early-${signal}`;
  const counted = countingStore();
  // A step of another instance holds the engine's only step slot until the signal is in the inbox.
  const release = app.gate(`${id}-blocker-commit`);
  const blocking: DurableStore = {
    ...counted.store,
    commitStep: async (...args) => {
      if (args[0].state.instanceId === `${id}-blocker`) {
        release.enter();
        await release.opened;
      }
      return counted.store.commitStep(...args);
    },
  };
  const engine = createDurableEngine({ functions, store: blocking, maxConcurrentActivities: 4, maxConcurrentOrchestrations: 1, log: () => {} });
  engines.push(engine);
  expect(await engine.startNew('SkipSequence', `${id}-blocker`, undefined)).toBe('started');
  await release.entered;
  expect(await engine.startNew('SkipWaitThenEcho', id, undefined)).toBe('started');
  if (signal === 'raise') expect(await engine.raiseEvent(id, 'Go', JSON.stringify('go'))).toBe('accepted');
  else expect(await engine.terminate(id, 'stop')).toBe('accepted');
  release.open();
  const state = await finished(id);
  if (signal === 'raise') {
    expect(state.status).toBe('Completed');
    expect(JSON.parse(state.output!)).toEqual(['go', 'after']);
  } else {
    expect(state.status).toBe('Terminated');
    expect(JSON.parse(state.output!)).toBe('stop');
  }
  const types = await eventTypes(state);
  expect(types.filter((t) => t === (signal === 'raise' ? EventType.EventRaised : EventType.ExecutionTerminated))).toHaveLength(1);
  expect((await finished(`${id}-blocker`)).status).toBe('Completed');
  // The first step read the start and the signal together; the blocker was never read. The kick's
  // step runs after the first commit, behind the blocker's steps for the one slot, so a loaded machine
  // may see the terminated state before that step's read: wait for it rather than race it.
  await waitUntil(async () => ((counted.calls.get('readInstance') ?? 0) >= reads ? true : undefined));
  expect(counted.calls.get('readInstance')).toBe(reads);
});

test('a start that replaces a finished instance reads it, consuming what the finished execution left in its inbox', async () => {
  const id = 'replaced';
  expect(await startEngine(store).startNew('SkipSequence', id, undefined)).toBe('started');
  const first = await finished(id);
  // A message that arrived after the end (say, a timer of a crashed runtime), never applied.
  await store.appendInbox(id, first.executionId, newEvent('EventRaised', { Name: 'Late', Input: '1' }));
  const counted = countingStore();
  const engine = startEngine(counted.store);
  expect(await engine.startNew('SkipWaitThenEcho', id, undefined)).toBe('started');
  const running = await stateWhen(id, (state) => state.executionId !== first.executionId && state.historyLength > 0);
  expect(running.status).toBe('Running');
  expect((await store.readInstance(id, 50)).inbox).toEqual([]);
  expect(await engine.raiseEvent(id, 'Go', JSON.stringify('again'))).toBe('accepted');
  const state = await finished(id);
  expect(state.status).toBe('Completed');
  expect(JSON.parse(state.output!)).toEqual(['again', 'after']);
  // One read for the replacing start, one for the raised event.
  expect(counted.calls.get('readInstance')).toBe(2);
  const types = await eventTypes(state);
  expect(types.filter((t) => t === EventType.ExecutionStarted)).toHaveLength(1);
  expect(types.filter((t) => t === EventType.EventRaised)).toHaveLength(1);
});

test('another runtime applying the start first makes the first commit fail; the step reads and the orchestration completes once', async () => {
  const id = 'first-commit-412';
  const counted = countingStore();
  // The other runtime's activities never finish: this engine's completions are the ones recorded.
  const hanging = functions.map((f) => (f.trigger.type === 'activityTrigger' ? { ...f, handler: () => new Promise(() => {}) } : f));
  const second = startEngine(store, hanging);
  let touched = false;
  const racing: DurableStore = {
    ...counted.store,
    commitStep: async (...args) => {
      if (!touched && args[0].state.instanceId === id) {
        touched = true;
        // Before this engine's first commit, the other runtime applies the start and an event.
        expect(await second.raiseEvent(id, 'Noise', JSON.stringify(1))).toBe('accepted');
        await stateWhen(id, (state) => state.historyLength > 0);
      }
      return counted.store.commitStep(...args);
    },
  };
  const first = startEngine(racing);
  expect(await first.startNew('SkipSequence', id, undefined)).toBe('started');
  const state = await finished(id);
  expect(state.status).toBe('Completed');
  expect(JSON.parse(state.output!)).toEqual(['one', 'two', 'three']);
  expect(counted.failures.get('commitStep')).toEqual([412]);
  expect(counted.calls.get('readInstance')).toBe(1);
  const types = await eventTypes(state);
  expect(types.filter((t) => t === EventType.ExecutionStarted)).toHaveLength(1);
  expect(types.filter((t) => t === EventType.EventRaised)).toHaveLength(1);
  expect(types.filter((t) => t === EventType.TaskCompleted)).toHaveLength(3);
  expect(types.filter((t) => t === EventType.ExecutionCompleted)).toHaveLength(1);
});
