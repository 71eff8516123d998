// shared/fetchers/fetchSchedule.ts: the fetcher timer's schedule, read when functions/index.ts registers
// it. Registration happens before any request, where loadSettings may not run (a configuration
// problem must fail the invocations that need it, not the loading of every function), so this reads
// the one setting alone; loadSettings checks its form with the rest.
import { DEFAULT_FETCH_SCHEDULE } from '../platform/settings';

export function fetchScheduleOf(env: Readonly<Record<string, string | undefined>>): string {
  const value = env.POS_HUB_FETCH_SCHEDULE?.trim();
  return value ? value : DEFAULT_FETCH_SCHEDULE;
}
