// local/timers.ts: runs timer functions on their NCRONTAB schedules, as the host's TimerListener does:
// past-due detection through the schedule monitor (`useMonitor`), `runOnStartup`, and one run at a
// time per function (a slow run delays the next occurrence instead of overlapping itself).
import type { RegisteredFunction } from './functionsCore';
import type { ContextFactory, RuntimeLog } from './invocationContext';
import { parseSchedule, type Schedule } from './ncrontab';
import { resolveAppSettings } from './settings';
import { createTimerMonitor, type ScheduleStatus } from './timerMonitor';

export interface TimerInput {
  schedule: { adjustForDST: boolean };
  scheduleStatus: ScheduleStatus;
  isPastDue: boolean;
}

export interface TimerRunner {
  /** Runs the function now, after any run in progress (admin API); the schedule is not affected. */
  runNow(fn: RegisteredFunction): void;
  stop(): Promise<void>;
}

export interface TimerOptions {
  functions: RegisteredFunction[];
  storageConnectionString: string;
  hostId: string;
  log: RuntimeLog;
  newContext: ContextFactory;
}

/** setTimeout takes at most 2^31-1 ms (~24.8 days); a longer wait is re-armed in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** .NET's DateTime.MinValue: what the host reports as `last` before any run. */
const NEVER = '0001-01-01T00:00:00.000Z';

export function isTimerFunction(fn: RegisteredFunction): boolean {
  return fn.trigger.type.toLowerCase() === 'timertrigger';
}

/** The host monitors schedules whose interval is a minute or more unless told otherwise. */
function monitoredByDefault(schedule: Schedule): boolean {
  const first = schedule.next(new Date());
  return schedule.next(first).getTime() - first.getTime() >= 60_000;
}

export async function startTimers(options: TimerOptions): Promise<TimerRunner> {
  const timers = options.functions.filter(isTimerFunction);
  const monitor =
    timers.length > 0 ? await createTimerMonitor(options.storageConnectionString, options.hostId) : undefined;
  const jobs = new Map<string, { runNow(): void; stop(): Promise<void> }>();
  for (const fn of timers) jobs.set(fn.name, await startTimer(fn));

  async function startTimer(fn: RegisteredFunction) {
    const schedule = parseSchedule(resolveAppSettings(String(fn.trigger.schedule)));
    const useMonitor =
      typeof fn.trigger.useMonitor === 'boolean' ? fn.trigger.useMonitor : monitoredByDefault(schedule);
    const now = new Date();
    const recorded = useMonitor ? await monitor!.read(fn.name) : undefined;
    let status: ScheduleStatus = recorded ?? {
      last: NEVER,
      next: schedule.next(now).toISOString(),
      lastUpdated: now.toISOString(),
    };
    if (useMonitor && !recorded) await monitor!.write(fn.name, status);
    let stopped = false;
    let timeout: NodeJS.Timeout | undefined;
    let queue: Promise<void> = Promise.resolve();

    async function invoke(isPastDue: boolean): Promise<void> {
      const input: TimerInput = {
        schedule: { adjustForDST: true },
        scheduleStatus: { ...status },
        isPastDue,
      };
      try {
        await fn.handler(input, options.newContext(fn));
      } catch (err) {
        options.log(
          `[${fn.name}] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      }
    }

    /** A scheduled or past-due run moves the schedule on; the next occurrence counts from its end. */
    async function runOccurrence(isPastDue: boolean, occurrence: string): Promise<void> {
      await invoke(isPastDue);
      const end = new Date();
      status = { last: occurrence, next: schedule.next(end).toISOString(), lastUpdated: end.toISOString() };
      if (useMonitor) await monitor!.write(fn.name, status);
    }

    function enqueue(run: () => Promise<void>): Promise<void> {
      queue = queue
        .then(run)
        .catch((err: unknown) => options.log(`[${fn.name}] schedule status not saved: ${String(err)}`));
      return queue;
    }

    function armNext(): void {
      if (stopped) return;
      const wait = Date.parse(status.next) - Date.now();
      timeout = setTimeout(
        () => {
          if (Date.now() < Date.parse(status.next)) return armNext();
          void enqueue(() => runOccurrence(false, status.next)).then(armNext);
        },
        Math.min(Math.max(0, wait), MAX_TIMEOUT_MS),
      );
    }

    if (useMonitor && Date.parse(status.next) <= now.getTime()) {
      options.log(`[${fn.name}] past due: the occurrence at ${status.next} was missed`);
      void enqueue(() => runOccurrence(true, now.toISOString())).then(armNext);
    } else {
      if (fn.trigger.runOnStartup === true) void enqueue(() => invoke(false));
      armNext();
    }

    return {
      runNow: () => void enqueue(() => invoke(false)),
      async stop() {
        stopped = true;
        clearTimeout(timeout);
        await queue;
      },
    };
  }

  return {
    runNow(fn) {
      const job = jobs.get(fn.name);
      if (!job) throw new Error(`"${fn.name}" is not a timer function`);
      job.runNow();
    },
    async stop() {
      await Promise.all([...jobs.values()].map((j) => j.stop()));
    },
  };
}
