// shared/fetchers/workItemQueueFor.ts: the fetcher's view of the `workItems` table, built once per
// configuration (the same caching as webhookStoresFor: rebuilt only when a setting changes), so a timer
// firing every minute does not build a new client, and a new credential, every time.
import type { Settings } from '../platform/settings';
import { tableClientFor } from '../webhooks/tableClientFor';
import { createWorkItemQueue, WORK_ITEMS_TABLE, type WorkItemQueue } from '../webhooks/workItemStore';

let cached: { settings: Settings; queue: WorkItemQueue } | null = null;

export function workItemQueueFor(settings: Settings): WorkItemQueue {
  if (cached?.settings !== settings)
    cached = { settings, queue: createWorkItemQueue(tableClientFor(settings.storage, WORK_ITEMS_TABLE)) };
  return cached.queue;
}
