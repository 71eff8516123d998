// shared/webhooks/webhookServices.ts: the webhook endpoint's stores, built once per configuration (the
// same caching as ingestServicesFor: rebuilt only when a setting changes).
import type { Settings } from '../platform/settings';
import { createDeliveryLedger, DELIVERY_LEDGER_TABLE, type DeliveryLedger } from './deliveryLedger';
import { tableClientFor } from './tableClientFor';
import { createWorkItemStore, WORK_ITEMS_TABLE, type WorkItemStore } from './workItemStore';

export interface WebhookStores {
  deliveries: DeliveryLedger;
  workItems: WorkItemStore;
}

let cached: { settings: Settings; stores: WebhookStores } | null = null;

export function webhookStoresFor(settings: Settings): WebhookStores {
  if (cached?.settings !== settings) {
    cached = {
      settings,
      stores: {
        deliveries: createDeliveryLedger(tableClientFor(settings.storage, DELIVERY_LEDGER_TABLE)),
        workItems: createWorkItemStore(tableClientFor(settings.storage, WORK_ITEMS_TABLE)),
      },
    };
  }
  return cached.stores;
}
