// local/durable/orchestrationStep.ts: one replay of an orchestrator, as the host runs it when new
// messages arrive: call the registered handler with the whole history (a fresh context every time),
// check that the replay scheduled what the history says, and turn the new actions into history
// events. No I/O here: the caller loads the history and commits the result.
import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import type { RegisteredFunction } from '../functionsCore';
import { EventType, fromJsonText, isSchedulingEvent, newEvent, toJsonText, type HistoryEvent } from './historyEvents';
import type { HistoryRecord } from './durableStore';
import { readReplayState, type LibraryAction, type LibraryRetryOptions } from './libraryInternals';

// durable-functions ActionType values.
const Action = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  WhenAny: 11,
  WhenAll: 12,
} as const;

export type StepOutcome =
  | { kind: 'running' }
  | { kind: 'completed'; output: unknown }
  | { kind: 'failed'; message: string }
  | { kind: 'continuedAsNew'; input: unknown };

export interface StepResult {
  /** Events to append after the incoming ones: scheduled tasks, then the closing events. */
  scheduled: HistoryRecord[];
  outcome: StepOutcome;
  customStatus: unknown;
}

export interface StepInput {
  orchestrator: RegisteredFunction;
  instanceId: string;
  parentInstanceId?: string;
  /** Committed history, then this step's new events (starting with OrchestratorStarted). */
  past: HistoryRecord[];
  incoming: HistoryEvent[];
  now: Date;
  log: (msg: string) => void;
}

export async function runOrchestrationStep(input: StepInput): Promise<StepResult> {
  const { orchestrator, instanceId, past, incoming, now } = input;
  // The library rewrites Timestamp strings into Dates inside what it is given: hand it a copy.
  const history = [...past.map((r) => r.event), ...incoming].map((e, i) => ({ ...e, IsPlayed: i < past.length }));
  const started = history.find((e) => e.EventType === EventType.ExecutionStarted);
  const trigger = {
    history,
    input: fromJsonText(started?.Input),
    instanceId,
    isReplaying: past.length > 0,
    parentInstanceId: input.parentInstanceId ?? null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    // Long timers would be split into sub-timers the actions do not show; 100 years keeps every
    // timer a plain one (the host's default is 6 days).
    maximumShortTimerDuration: '36500.00:00:00',
    longRunningTimerIntervalDuration: '3.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName: orchestrator.name,
    options: { trigger: orchestrator.trigger as never, extraInputs: [], extraOutputs: [] },
    logHandler: (level, ...args) => input.log(`[${orchestrator.name}] ${level}: ${args.map(String).join(' ')}`),
  });

  let returned: { isDone?: boolean; output?: unknown } | undefined;
  let thrown: unknown;
  try {
    returned = (await orchestrator.handler(trigger, context)) as typeof returned;
  } catch (e) {
    thrown = e;
  }
  const replay = readReplayState(context);
  if (!replay) return failed(errorMessage(thrown ?? new Error('the orchestrator did not run')), undefined);
  const { customStatus } = replay;

  const leaves = flattenActions(replay.actions);
  // Waiting for an event and continueAsNew leave no scheduling event in the history.
  const replayed = leaves.filter((a) => a.actionType !== Action.WaitForExternalEvent && a.actionType !== Action.ContinueAsNew);
  const scheduledBefore = past.filter((r) => isSchedulingEvent(r.event) && r.retryOf === undefined).map((r) => r.event);
  scheduledBefore.sort((a, b) => a.EventId - b.EventId);
  const mismatch = checkDeterminism(replayed, scheduledBefore);
  if (mismatch) return failed(mismatch, customStatus);
  if (thrown !== undefined) return failed(errorMessage(thrown), customStatus);

  const unsupported = leaves.find((a) => !supportedActions.has(a.actionType));
  if (unsupported) {
    return failed(`action type ${unsupported.actionType} (entities, callHttp) is not supported by the local durable runtime`, customStatus);
  }

  const scheduled: HistoryRecord[] = [];
  const idByAction = new Map<LibraryAction, number>();
  for (const open of replay.openTasks) if (open.kind === 'action') idByAction.set(open.action, open.id);
  for (const action of replayed.slice(scheduledBefore.length)) {
    const id = idByAction.get(action);
    if (id === undefined) return failed(`internal error: no sequence number for a new ${describeAction(action)}`, customStatus);
    scheduled.push({ event: schedulingEvent(action, id, instanceId, now) });
  }
  // A retried task's timer and next attempt: scheduled by the host, not by an action.
  const known = new Set(past.filter((r) => isSchedulingEvent(r.event)).map((r) => r.event.EventId));
  for (const open of replay.openTasks) {
    if (open.kind === 'action' || known.has(open.id)) continue;
    const record: HistoryRecord =
      open.kind === 'retryTimer'
        ? { event: newEvent('TimerCreated', { EventId: open.id, FireAt: new Date(now.getTime() + retryDelay(open.retryOptions, open.failedAttempts)).toISOString() }, now) }
        : { event: schedulingEvent(open.action, open.id, instanceId, now) };
    record.retryOf = open.id;
    scheduled.push(record);
  }
  scheduled.sort((a, b) => a.event.EventId - b.event.EventId);

  const continueAsNew = leaves.find((a) => a.actionType === Action.ContinueAsNew);
  if (returned?.isDone && continueAsNew) {
    return { scheduled, outcome: { kind: 'continuedAsNew', input: activityInput(continueAsNew.input) }, customStatus };
  }
  if (returned?.isDone) return { scheduled, outcome: { kind: 'completed', output: returned.output }, customStatus };
  return { scheduled, outcome: { kind: 'running' }, customStatus };
}

const supportedActions = new Set<number>([
  Action.CallActivity,
  Action.CallActivityWithRetry,
  Action.CallSubOrchestrator,
  Action.CallSubOrchestratorWithRetry,
  Action.ContinueAsNew,
  Action.CreateTimer,
  Action.WaitForExternalEvent,
]);

function failed(message: string, customStatus: unknown): StepResult {
  return { scheduled: [], outcome: { kind: 'failed', message }, customStatus };
}

/**
 * The actions in the order their tasks got sequence numbers: depth first through Task.all/any, each
 * action once (a task yielded alone and then inside Task.all appears twice, as the same object).
 */
export function flattenActions(actions: LibraryAction[]): LibraryAction[] {
  const seen = new Set<LibraryAction>();
  const out: LibraryAction[] = [];
  const visit = (a: LibraryAction) => {
    if (a.actionType === Action.WhenAll || a.actionType === Action.WhenAny) {
      for (const child of a.compoundActions ?? []) visit(child);
    } else if (!seen.has(a)) {
      seen.add(a);
      out.push(a);
    }
  };
  actions.forEach(visit);
  return out;
}

/** Replayed actions must match the scheduling events in the history: same kinds and names, same order. */
function checkDeterminism(replayed: LibraryAction[], scheduledBefore: HistoryEvent[]): string | undefined {
  for (let i = 0; i < scheduledBefore.length; i++) {
    const recorded = scheduledBefore[i]!;
    const action = replayed[i];
    if (!action || !sameTask(action, recorded)) {
      return (
        `Non-Deterministic workflow detected: a previous execution of this orchestration scheduled ` +
        `${describeEvent(recorded)} with sequence ID ${recorded.EventId}, but the current replay ` +
        `${action ? `scheduled ${describeAction(action)} instead` : "hasn't scheduled it"}. ` +
        `Was a change made to the orchestrator code after this instance had already started running?`
      );
    }
  }
  return undefined;
}

function sameTask(action: LibraryAction, event: HistoryEvent): boolean {
  switch (action.actionType) {
    case Action.CallActivity:
    case Action.CallActivityWithRetry:
      return event.EventType === EventType.TaskScheduled && event.Name === action.functionName;
    case Action.CallSubOrchestrator:
    case Action.CallSubOrchestratorWithRetry:
      return event.EventType === EventType.SubOrchestrationInstanceCreated && event.Name === action.functionName;
    case Action.CreateTimer:
      return event.EventType === EventType.TimerCreated;
    default:
      return false;
  }
}

function describeAction(action: LibraryAction): string {
  switch (action.actionType) {
    case Action.CallActivity:
    case Action.CallActivityWithRetry:
      return `an activity task named '${action.functionName}'`;
    case Action.CallSubOrchestrator:
    case Action.CallSubOrchestratorWithRetry:
      return `a sub-orchestration named '${action.functionName}'`;
    case Action.CreateTimer:
      return 'a durable timer';
    default:
      return `an action of type ${action.actionType}`;
  }
}

function describeEvent(event: HistoryEvent): string {
  if (event.EventType === EventType.TaskScheduled) return `an activity task named '${event.Name}'`;
  if (event.EventType === EventType.SubOrchestrationInstanceCreated) return `a sub-orchestration named '${event.Name}'`;
  return 'a durable timer';
}

function schedulingEvent(action: LibraryAction, id: number, instanceId: string, now: Date): HistoryEvent {
  switch (action.actionType) {
    case Action.CallActivity:
    case Action.CallActivityWithRetry:
      return newEvent('TaskScheduled', { EventId: id, Name: action.functionName, Input: toJsonText(activityInput(action.input)) }, now);
    case Action.CallSubOrchestrator:
    case Action.CallSubOrchestratorWithRetry:
      return newEvent(
        'SubOrchestrationInstanceCreated',
        {
          EventId: id,
          Name: action.functionName,
          // The host derives an id when none is given; this one is deterministic and readable.
          InstanceId: action.instanceId || `${instanceId}:${String(id).padStart(4, '0')}`,
          Input: toJsonText(action.input),
        },
        now,
      );
    default: {
      const fireAt = action.fireAt instanceof Date ? action.fireAt : new Date(String(action.fireAt));
      return newEvent('TimerCreated', { EventId: id, FireAt: fireAt.toISOString() }, now);
    }
  }
}

/**
 * The library JSON-encodes string inputs of activities and continueAsNew (Utils.processInput) because
 * the host parses them as JSON before handing them on; do the same so the function gets the string.
 */
export function activityInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

/** The host's retry interval: first interval times backoff^(attempt-1), capped at the max interval. */
export function retryDelay(options: LibraryRetryOptions, failedAttempts: number): number {
  const backoff = options.backoffCoefficient ?? 1;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(backoff, Math.max(0, failedAttempts - 1));
  return Math.min(delay, options.maxRetryIntervalInMilliseconds ?? Number.POSITIVE_INFINITY);
}

function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // OrchestrationFailureError carries the orchestrator state, with the error message, after this
  // marker (its own message part is not the error: 3.5.0 passes a boolean there).
  const [head, state] = text.split('\n\n$OutOfProcData$:');
  if (state === undefined) return text;
  try {
    const parsed = JSON.parse(state) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : head!;
  } catch {
    return head!;
  }
}
