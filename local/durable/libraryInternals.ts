// local/durable/libraryInternals.ts: what the replay driver reads from durable-functions 3.5.0 beyond
// the handler's return value. The returned actions carry no task ids, and a retried task adds
// sequence numbers of its own (a timer, then the next attempt) that appear in no action: the real
// host learns them by replaying the same history in .NET. Here they are read from the library's own
// executor (`context.df.taskOrchestratorExecutor`), which is exact by construction. The version is
// pinned in package.json because these are not public API.
import type { InvocationContext } from '@azure/functions';

/** An action object as the library builds it (CallActivityAction, CreateTimerAction, ...). */
export interface LibraryAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  fireAt?: Date;
  isCanceled?: boolean;
  instanceId?: string;
  externalEventName?: string;
  compoundActions?: LibraryAction[];
  retryOptions?: LibraryRetryOptions;
}

export interface LibraryRetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

interface LibraryTask {
  id: number | string | false;
  actionObj: LibraryAction | 'noOp';
  parent?: LibraryRetryableTask;
}

interface LibraryRetryableTask {
  actionObj: LibraryAction;
  retryOptions: LibraryRetryOptions;
  attemptNumber: number;
  isWaitingOnTimer: boolean;
}

interface LibraryExecutor {
  actions: LibraryAction[];
  openTasks: Record<string, LibraryTask>;
  context: { customStatus?: unknown };
}

/** A task the replay left waiting, with its sequence number. */
export type OpenTask =
  | { id: number; kind: 'action'; action: LibraryAction }
  | { id: number; kind: 'retryTimer'; action: LibraryAction; retryOptions: LibraryRetryOptions; failedAttempts: number }
  | { id: number; kind: 'retryAttempt'; action: LibraryAction };

export interface ReplayState {
  /** Every action since the start, in the order the orchestrator first yielded it (nested for Task.all/any). */
  actions: LibraryAction[];
  openTasks: OpenTask[];
  customStatus: unknown;
}

export function readReplayState(context: InvocationContext): ReplayState | undefined {
  const df = (context as unknown as { df?: { taskOrchestratorExecutor?: LibraryExecutor } }).df;
  const executor = df?.taskOrchestratorExecutor;
  if (!executor) return undefined;
  const openTasks: OpenTask[] = [];
  for (const task of Object.values(executor.openTasks)) {
    if (typeof task.id !== 'number') continue;
    if (task.actionObj !== 'noOp') {
      openTasks.push({ id: task.id, kind: 'action', action: task.actionObj });
    } else if (task.parent) {
      // RetryableTask: after a failure it waits on a timer task, then on the next attempt's task.
      const retry = task.parent;
      openTasks.push(
        retry.isWaitingOnTimer
          ? { id: task.id, kind: 'retryTimer', action: retry.actionObj, retryOptions: retry.retryOptions, failedAttempts: retry.attemptNumber - 1 }
          : { id: task.id, kind: 'retryAttempt', action: retry.actionObj },
      );
    }
  }
  return { actions: executor.actions, openTasks, customStatus: executor.context.customStatus };
}
