// shared/replay/replayServices.ts: the replay counter table, built once per configuration.
import type { Settings } from '../platform/settings';
import { tableClientFor } from '../webhooks/tableClientFor';
import { createReplayCounter, REPLAYS_TABLE, type ReplayCounter } from './replayCounter';

let cached: { settings: Settings; counter: ReplayCounter } | null = null;

export function replayCounterFor(settings: Settings): ReplayCounter {
  if (cached?.settings !== settings) cached = { settings, counter: createReplayCounter(tableClientFor(settings.storage, REPLAYS_TABLE)) };
  return cached.counter;
}
