// local/durable/durableEngine.ts: the host's work loop. Every change to an instance arrives as an
// inbox message, except the completions of the activities this engine ran, which it holds in memory;
// processing an instance applies its pending messages and completions to the history in one replay
// step, commits, then dispatches the work the history shows as pending (activities, timers,
// sub-orchestrations). The pending work is read from the committed history, so a restarted engine
// finds it again: completed tasks are never re-run, started-but-unrecorded ones (including those
// whose completion was only in memory) run again (at least once, as in Azure).
import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import type { RegisteredFunction } from '../functionsCore';
import { arrivalTime, inArrivalOrder, type LocalCompletion } from './arrivalOrder';
import { createConcurrencyLimit } from './concurrencyLimit';
import { terminalStatuses, type DurableStore, type HistoryRecord, type InboxMessage, type InstanceState, type StoredInstance } from './durableStore';
import { completedTaskId, EventType, fromJsonText, isSchedulingEvent, newEvent, toJsonText, type HistoryEvent } from './historyEvents';
import { runOrchestrationStep, type StepResult } from './orchestrationStep';

/** Inbox messages applied per step; the commit transaction deletes them together with the state row. */
const MAX_MESSAGES_PER_STEP = 50;
/** setTimeout's limit; longer timers are re-armed. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export type StartResult = 'started' | 'unknownOrchestrator' | 'alreadyRunning';
export type SignalResult = 'accepted' | 'notFound' | 'gone';

export interface DurableEngine {
  startNew(name: string, instanceId: string, inputJson: string | undefined): Promise<StartResult>;
  raiseEvent(instanceId: string, eventName: string, inputJson: string | undefined): Promise<SignalResult>;
  terminate(instanceId: string, reason: string): Promise<SignalResult>;
  /** Resumes every unfinished instance found in storage. */
  recover(): Promise<void>;
  stop(): Promise<void>;
}

export interface EngineOptions {
  functions: RegisteredFunction[];
  store: DurableStore;
  maxConcurrentActivities: number;
  /** Orchestration steps (replay + commit) running at once, the host's maxConcurrentOrchestratorFunctions. */
  maxConcurrentOrchestrations?: number;
  log: (msg: string) => void;
  /**
   * The context an activity is invoked with. The runtime's gives durable client inputs, as the host
   * does for any non-orchestrator function; absent (engine tests), activities get a bare context.
   */
  newContext?: (fn: RegisteredFunction) => InvocationContext;
}

export function isTerminal(state: InstanceState): boolean {
  return terminalStatuses.includes(state.status);
}

export function createDurableEngine({ functions, store, maxConcurrentActivities, maxConcurrentOrchestrations = Infinity, log, newContext = (fn) => functionContext(fn, log) }: EngineOptions): DurableEngine {
  const orchestrators = byTrigger(functions, 'orchestrationTrigger');
  const activities = byTrigger(functions, 'activityTrigger');
  const limitActivities = createConcurrencyLimit(maxConcurrentActivities);
  const limitSteps = createConcurrencyLimit(maxConcurrentOrchestrations);
  const processing = new Map<string, Promise<void>>();
  const processAgain = new Set<string>();
  /** Scheduled tasks already handed to a worker, by instance|execution|eventId. */
  const inFlight = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** The committed history of running instances: this engine is its only writer. */
  const historyCache = new Map<string, { executionId: string; records: HistoryRecord[] }>();
  /**
   * Completions of the activities this engine ran, by instance, until a step commits them with its
   * history. Kept out of storage: a crash loses them, and the restarted engine runs the activity
   * again, as it does for any activity whose completion is not in the committed history.
   */
  const completions = new Map<string, LocalCompletion[]>();
  /**
   * The state (and its etag) this engine last committed, read or created for a running instance, and
   * the inbox messages it knows to be waiting (the start message of an instance it has just created),
   * so that a step whose only news is in memory (an activity's completion, or the start this engine
   * wrote) needs no read: every read of the inbox is a range query, which Azurite answers by scanning
   * the whole table. A step skips the read only when, besides that memory, nothing may wait in the
   * instance's inbox (`inboxMayHold`); it then consumes the remembered messages as if it had read
   * them. Why a skipped read misses nothing:
   * - the state row only ever changes through an If-Match commit or a start (a create, or the replace
   *   of a finished instance, which is never remembered), so if another runtime changed it, the
   *   remembered etag is stale, the next commit fails (412) and the step after it reads everything;
   * - a start is remembered only when its response carries the etag, it created the instance (a
   *   replaced one may hold messages its finished execution left) and no step of the instance is
   *   running (one that something else kicked may have read a newer state); its start message is
   *   then the only inbox row, unless another was appended since, which marks the instance;
   * - every inbox row this process writes marks the instance (after the write, before the kick; the
   *   step clears the mark before it reads), and so does a full inbox page or a commit that queues a
   *   message; an inbox row another runtime writes is applied by that runtime's engine (it kicks the
   *   instance after appending, and retries after a 412), whose commit changes the etag.
   * A step takes the memory out when it starts and puts it back only after a successful commit or a
   * read: any failure, a finished instance or a restart leaves none, and the next step reads.
   */
  const known = new Map<string, { state: InstanceState; etag: string | undefined; inbox: InboxMessage[] }>();
  const inboxMayHold = new Set<string>();
  let stopped = false;

  /** The instance's state and inbox: from memory when nothing can be in its inbox, else read. */
  async function readInstance(instanceId: string): Promise<{ stored: StoredInstance | undefined; inbox: InboxMessage[] }> {
    const remembered = known.get(instanceId);
    known.delete(instanceId);
    // Cleared before the read: a message appended after it marks the instance again.
    const mayHold = inboxMayHold.delete(instanceId);
    if (remembered && !mayHold) {
      // No etag in the commit's response: a point read of the state row (indexed) instead of the range query.
      const stored = remembered.etag === undefined ? await store.getInstance(instanceId) : { state: remembered.state, etag: remembered.etag };
      return { stored, inbox: remembered.inbox };
    }
    const read = await store.readInstance(instanceId, MAX_MESSAGES_PER_STEP);
    // A full page may have left messages unread.
    if (read.inbox.length === MAX_MESSAGES_PER_STEP) inboxMayHold.add(instanceId);
    return read;
  }

  function remember(state: InstanceState, etag: string | undefined): void {
    if (isTerminal(state)) known.delete(state.instanceId);
    else known.set(state.instanceId, { state, etag, inbox: [] });
  }

  /** After this engine created (or replaced) an instance: what its first step would read, or a mark to read. */
  function rememberStart(state: InstanceState, started: { etag: string | undefined; queued: InboxMessage }, replaced: boolean): void {
    if (started.etag === undefined || replaced || processing.has(state.instanceId)) markInbox(state.instanceId);
    else known.set(state.instanceId, { state, etag: started.etag, inbox: [started.queued] });
  }

  /** After an inbox row for the instance was written (or may have been): its next step reads. */
  function markInbox(instanceId: string): void {
    inboxMayHold.add(instanceId);
  }

  /** Appends to the inbox and marks it, even when the append fails: the row may have been written. */
  async function appendInbox(instanceId: string, executionId: string, event: HistoryEvent): Promise<void> {
    try {
      await store.appendInbox(instanceId, executionId, event);
    } finally {
      markInbox(instanceId);
    }
  }

  async function readHistory(state: InstanceState): Promise<HistoryRecord[]> {
    const cached = historyCache.get(state.instanceId);
    if (cached?.executionId === state.executionId && cached.records.length === state.historyLength) return cached.records;
    return store.readHistory(state);
  }

  function rememberHistory(state: InstanceState, records: HistoryRecord[]): void {
    if (isTerminal(state) || records.length !== state.historyLength) historyCache.delete(state.instanceId);
    else historyCache.set(state.instanceId, { executionId: state.executionId, records });
  }

  /** Queues processing of an instance; never blocks the caller, one step at a time per instance. */
  function kick(instanceId: string): void {
    if (stopped) return;
    if (processing.has(instanceId)) {
      processAgain.add(instanceId);
      return;
    }
    processAgain.delete(instanceId);
    const run = processInstance(instanceId)
      .catch((e: unknown) => log(`durable: processing ${instanceId} failed: ${describeError(e)}`))
      .finally(() => {
        processing.delete(instanceId);
        if (processAgain.has(instanceId)) kick(instanceId);
      });
    processing.set(instanceId, run);
  }

  async function processInstance(instanceId: string): Promise<void> {
    for (;;) {
      // Yield between steps so a busy instance never starves the HTTP server or other instances.
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped) return;
      if ((await limitSteps(() => processStep(instanceId))) === 'done') return;
    }
  }

  /** One step of an instance: its pending messages applied, committed, and its new work dispatched. */
  async function processStep(instanceId: string): Promise<'done' | 'again'> {
    if (stopped) return 'done';
    const { stored, inbox } = await readInstance(instanceId);
    const local = [...(completions.get(instanceId) ?? [])];
    const live = stored && !isTerminal(stored.state) ? local.filter((c) => c.executionId === stored.state.executionId) : [];
    // Completions for a finished (or purged) instance or an earlier execution: nothing will ever read them.
    forget(instanceId, local.filter((c) => !live.includes(c)));
    if (!stored) return 'done';
    const { state } = stored;
    const current = isTerminal(state) ? [] : inbox.filter((m) => m.executionId === state.executionId);
    // A full inbox read may have left later messages unread: completions after them wait their turn.
    const cutoff = inbox.length === MAX_MESSAGES_PER_STEP ? arrivalTime(inbox[inbox.length - 1]!) : Infinity;
    const applied = live.filter((c) => c.arrived <= cutoff);
    const history = await readHistory(state);
    if (current.length === 0 && applied.length === 0) {
      // Messages for a finished instance or an earlier execution: nothing will ever read them.
      if (inbox.length > 0) await commit(stored, [], inbox, { ...state });
      else remember(state, stored.etag);
      if (!isTerminal(state)) dispatchPending(state, history);
      return live.length > applied.length ? 'again' : 'done';
    }
    const next = await step(stored, history, inArrivalOrder(current, applied));
    if (!(await commit(stored, next.added, inbox, next.state, next.enqueue))) return 'again';
    if (next.enqueue.length > 0) markInbox(instanceId);
    forget(instanceId, applied);
    const committed = next.state.executionId === state.executionId ? [...history, ...next.added] : [];
    rememberHistory(next.state, committed);
    if (isTerminal(next.state)) await notifyParent(next.state);
    // After continueAsNew the old history's tasks belong to the old execution: nothing to dispatch.
    else if (committed.length > 0) dispatchPending(next.state, committed);
    if (inbox.length < MAX_MESSAGES_PER_STEP && next.enqueue.length === 0) {
      // Messages and completions that arrived meanwhile have kicked this instance again.
      return 'done';
    }
    return 'again';
  }

  /** Drops completions a step has committed (or found useless); later arrivals stay. */
  function forget(instanceId: string, done: LocalCompletion[]): void {
    if (done.length === 0) return;
    const left = (completions.get(instanceId) ?? []).filter((c) => !done.includes(c));
    if (left.length > 0) completions.set(instanceId, left);
    else completions.delete(instanceId);
  }

  /** Creates (or replaces the finished instance with `replaceEtag`); 'exists' when another has it. */
  async function tryStart(state: InstanceState, started: HistoryEvent, replaceEtag?: string): Promise<'started' | 'exists'> {
    try {
      rememberStart(state, await store.startInstance(state, started, replaceEtag), replaceEtag !== undefined);
      return 'started';
    } catch (e) {
      // 409: the id exists (or was created meanwhile); 412: it was restarted meanwhile.
      const status = (e as { statusCode?: number }).statusCode;
      if (status === 409 || status === 412) return 'exists';
      throw e;
    }
  }

  /** Commits a step and remembers what it committed; false when someone else changed the instance. */
  async function commit(previous: StoredInstance, added: HistoryRecord[], consumed: InboxMessage[], next: InstanceState, enqueue: HistoryEvent[] = []): Promise<boolean> {
    try {
      remember(next, await store.commitStep(previous, added, consumed, next, enqueue));
      return true;
    } catch (e) {
      // 412: someone else changed the instance (a restart, another runtime): re-read and redo.
      if ((e as { statusCode?: number }).statusCode === 412) return false;
      throw e;
    }
  }

  interface NextState {
    added: HistoryRecord[];
    state: InstanceState;
    enqueue: HistoryEvent[];
  }

  async function step(stored: StoredInstance, history: HistoryRecord[], messages: HistoryEvent[]): Promise<NextState> {
    const { state } = stored;
    const now = new Date();
    const incoming: HistoryEvent[] = [newEvent('OrchestratorStarted', {}, now)];
    const completed = new Set(history.map((r) => completedTaskId(r.event)).filter((id) => id !== undefined));
    const hasStarted = history.some((r) => r.event.EventType === EventType.ExecutionStarted);
    for (const event of messages) {
      if (event.EventType === EventType.ExecutionTerminated) return terminated(state, history, event, now);
      if (event.EventType === EventType.ExecutionStarted && hasStarted) continue;
      // A completion recorded twice (a task that ran again after a restart) counts once.
      const taskId = completedTaskId(event);
      if (taskId !== undefined) {
        if (completed.has(taskId)) continue;
        completed.add(taskId);
      }
      incoming.push({ ...event, EventId: -1 });
    }
    const base = { ...state, lastUpdatedTime: now.toISOString() };
    const orchestrator = orchestrators.get(state.name);
    const result: StepResult = orchestrator
      ? await runOrchestrationStep({ orchestrator, instanceId: state.instanceId, parentInstanceId: state.parentInstanceId, past: history, incoming, now, log })
      : { scheduled: [], customStatus: undefined, outcome: { kind: 'failed', message: `The function '${state.name}' doesn't exist, is disabled, or is not an orchestrator function.` } };
    const added: HistoryRecord[] = [...incoming.map((event) => ({ event })), ...result.scheduled, { event: newEvent('OrchestratorCompleted', {}, now) }];
    const customStatus = result.customStatus === undefined ? undefined : toJsonText(result.customStatus);
    const { outcome } = result;
    if (outcome.kind === 'continuedAsNew') {
      // A new execution with a fresh history; the start message is queued in the same commit.
      const executionId = randomUUID();
      const nextState: InstanceState = { ...base, executionId, status: 'Running', input: toJsonText(outcome.input), output: undefined, customStatus, historyLength: 0 };
      return { added: [], state: nextState, enqueue: [newEvent('ExecutionStarted', { Name: state.name, Input: toJsonText(outcome.input) }, now)] };
    }
    const historyLength = history.length + added.length;
    if (outcome.kind === 'completed') {
      const output = toJsonText(outcome.output);
      added.push({ event: newEvent('ExecutionCompleted', { Result: output, OrchestrationStatus: 'Completed' }, now) });
      return { added, state: { ...base, status: 'Completed', output, customStatus, historyLength: historyLength + 1 }, enqueue: [] };
    }
    if (outcome.kind === 'failed') {
      const message = `Orchestrator function '${state.name}' failed: ${outcome.message}`;
      added.push({ event: newEvent('ExecutionCompleted', { Result: toJsonText(message), OrchestrationStatus: 'Failed' }, now) });
      return { added, state: { ...base, status: 'Failed', output: toJsonText(message), customStatus, historyLength: historyLength + 1 }, enqueue: [] };
    }
    return { added, state: { ...base, status: 'Running', customStatus, historyLength }, enqueue: [] };
  }

  function terminated(state: InstanceState, history: HistoryRecord[], event: HistoryEvent, now: Date): NextState {
    const added: HistoryRecord[] = [
      { event: newEvent('OrchestratorStarted', {}, now) },
      { event: { ...event, EventId: -1 } },
      { event: newEvent('ExecutionCompleted', { Result: event.Input, OrchestrationStatus: 'Terminated' }, now) },
    ];
    const nextState: InstanceState = { ...state, status: 'Terminated', output: event.Input, lastUpdatedTime: now.toISOString(), historyLength: history.length + added.length };
    return { added, state: nextState, enqueue: [] };
  }

  /** Hands every scheduled-but-not-completed task of the history to its worker (once per engine). */
  function dispatchPending(state: InstanceState, history: HistoryRecord[]): void {
    const completed = new Set(history.map((r) => completedTaskId(r.event)).filter((id) => id !== undefined));
    for (const { event } of history) {
      if (!isSchedulingEvent(event)) continue;
      const key = `${state.instanceId}|${state.executionId}|${event.EventId}`;
      if (completed.has(event.EventId)) {
        inFlight.delete(key);
        continue;
      }
      if (inFlight.has(key)) continue;
      inFlight.add(key);
      const work =
        event.EventType === EventType.TaskScheduled
          ? runActivity(state, event)
          : event.EventType === EventType.TimerCreated
            ? armTimer(state, event, key)
            : startChild(state, event);
      work.catch((e: unknown) => {
        // Leave it to the next dispatch of this instance (the kick below, or a restart).
        inFlight.delete(key);
        log(`durable: ${state.instanceId} task ${event.EventId} failed to dispatch: ${describeError(e)}`);
        setTimeout(() => kick(state.instanceId), 1000).unref();
      });
    }
  }

  function runActivity(state: InstanceState, scheduled: HistoryEvent): Promise<void> {
    return limitActivities(async () => {
      if (stopped) return;
      const name = scheduled.Name ?? '';
      const fn = activities.get(name);
      let completion: HistoryEvent;
      if (!fn) {
        completion = newEvent('TaskFailed', {
          TaskScheduledId: scheduled.EventId,
          Reason: `The function '${name}' doesn't exist, is disabled, or is not an activity function.`,
          Details: '',
        });
      } else {
        try {
          const result = await fn.handler(fromJsonText(scheduled.Input), newContext(fn));
          completion = newEvent('TaskCompleted', { TaskScheduledId: scheduled.EventId, Result: toJsonText(result) });
        } catch (e) {
          completion = newEvent('TaskFailed', {
            TaskScheduledId: scheduled.EventId,
            Reason: `Activity function '${name}' failed: ${e instanceof Error ? e.message : String(e)}`,
            Details: e instanceof Error ? (e.stack ?? '') : '',
          });
        }
      }
      // A stopped (crashed) host records nothing: the task stays pending and runs again after restart.
      if (stopped) return;
      const list = completions.get(state.instanceId) ?? [];
      list.push({ executionId: state.executionId, event: completion, arrived: Date.now() });
      completions.set(state.instanceId, list);
      kick(state.instanceId);
    });
  }

  async function armTimer(state: InstanceState, created: HistoryEvent, key: string): Promise<void> {
    const fireAt = new Date(created.FireAt ?? 0);
    const wait = fireAt.getTime() - Date.now();
    if (wait > 0) {
      const handle = setTimeout(() => {
        timers.delete(key);
        armTimer(state, created, key).catch((e: unknown) => {
          inFlight.delete(key);
          log(`durable: timer ${key} failed: ${describeError(e)}`);
        });
      }, Math.min(wait, MAX_TIMEOUT_MS));
      timers.set(key, handle);
      return;
    }
    if (stopped) return;
    await appendInbox(state.instanceId, state.executionId, newEvent('TimerFired', { TimerId: created.EventId, FireAt: fireAt.toISOString() }));
    kick(state.instanceId);
  }

  async function startChild(parent: InstanceState, created: HistoryEvent): Promise<void> {
    const childId = created.InstanceId ?? '';
    const name = created.Name ?? '';
    const existing = await store.getInstance(childId);
    const ours =
      existing?.state.parentInstanceId === parent.instanceId &&
      existing.state.parentExecutionId === parent.executionId &&
      existing.state.parentTaskId === created.EventId;
    if (existing && ours) {
      // Started before a restart: carry on, or pass on a result the parent never received.
      if (isTerminal(existing.state)) await notifyParent(existing.state);
      else kick(childId);
      return;
    }
    const refusal = !orchestrators.has(name)
      ? `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`
      : existing && !isTerminal(existing.state)
        ? `An orchestration instance with the ID '${childId}' is already running.`
        : undefined;
    if (refusal) {
      await appendInbox(parent.instanceId, parent.executionId, newEvent('SubOrchestrationInstanceFailed', { TaskScheduledId: created.EventId, Reason: refusal, Details: '' }));
      kick(parent.instanceId);
      return;
    }
    const now = new Date().toISOString();
    const child: InstanceState = {
      instanceId: childId,
      name,
      status: 'Pending',
      executionId: randomUUID(),
      input: created.Input,
      createdTime: now,
      lastUpdatedTime: now,
      historyLength: 0,
      parentInstanceId: parent.instanceId,
      parentExecutionId: parent.executionId,
      parentTaskId: created.EventId,
    };
    rememberStart(child, await store.startInstance(child, newEvent('ExecutionStarted', { Name: name, Input: created.Input }), existing?.etag), existing !== undefined);
    kick(childId);
  }

  async function notifyParent(child: InstanceState): Promise<void> {
    if (child.parentInstanceId === undefined || child.parentExecutionId === undefined || child.parentTaskId === undefined) return;
    const completion =
      child.status === 'Completed'
        ? newEvent('SubOrchestrationInstanceCompleted', { TaskScheduledId: child.parentTaskId, Result: child.output ?? 'null' })
        : newEvent('SubOrchestrationInstanceFailed', {
            TaskScheduledId: child.parentTaskId,
            Reason: String(fromJsonText(child.output) ?? child.status),
            Details: '',
          });
    await appendInbox(child.parentInstanceId, child.parentExecutionId, completion);
    kick(child.parentInstanceId);
  }

  return {
    async startNew(name, instanceId, inputJson) {
      if (!orchestrators.has(name)) return 'unknownOrchestrator';
      const now = new Date().toISOString();
      const state: InstanceState = { instanceId, name, status: 'Pending', executionId: randomUUID(), input: inputJson, createdTime: now, lastUpdatedTime: now, historyLength: 0 };
      const started = newEvent('ExecutionStarted', { Name: name, Input: inputJson });
      // Create first: almost every start is of a new id, and the create fails by itself (409) when
      // the id exists; only then is the existing instance read, to restart it if it has finished.
      let outcome = await tryStart(state, started);
      if (outcome === 'exists') {
        const existing = await store.getInstance(instanceId);
        if (existing && !isTerminal(existing.state)) return 'alreadyRunning';
        outcome = await tryStart(state, started, existing?.etag);
        if (outcome === 'exists') return 'alreadyRunning';
      }
      kick(instanceId);
      return 'started';
    },

    async raiseEvent(instanceId, eventName, inputJson) {
      return signal(instanceId, newEvent('EventRaised', { Name: eventName, Input: inputJson }));
    },

    async terminate(instanceId, reason) {
      return signal(instanceId, newEvent('ExecutionTerminated', { Input: toJsonText(reason) }));
    },

    async recover() {
      for (const state of await store.listInstances()) {
        if (!isTerminal(state)) kick(state.instanceId);
      }
    },

    async stop() {
      stopped = true;
      for (const handle of timers.values()) clearTimeout(handle);
      timers.clear();
      // A step being committed finishes (the commit is what makes it durable); running activities
      // are abandoned: their results are dropped, as a crash would drop them.
      await Promise.allSettled([...processing.values()]);
    },
  };

  async function signal(instanceId: string, event: HistoryEvent): Promise<SignalResult> {
    const existing = await store.getInstance(instanceId);
    if (!existing) return 'notFound';
    if (isTerminal(existing.state)) return 'gone';
    await appendInbox(instanceId, existing.state.executionId, event);
    kick(instanceId);
    return 'accepted';
  }
}

function byTrigger(functions: RegisteredFunction[], triggerType: string): Map<string, RegisteredFunction> {
  return new Map(functions.filter((f) => f.trigger.type === triggerType).map((f) => [f.name, f]));
}

function functionContext(fn: RegisteredFunction, log: (msg: string) => void): InvocationContext {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName: fn.name,
    options: { trigger: fn.trigger as never, extraInputs: [], extraOutputs: [] },
    logHandler: (level, ...args) => log(`[${fn.name}] ${level}: ${args.map(String).join(' ')}`),
  });
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
