// shared/fetchers/deliveryRetentionFor.ts: the retention sweep's view of the webhook delivery ledger,
// built once per configuration (the same caching as workItemQueueFor), so the timer firing every minute
// does not build a new client, and a new credential, every time.
import type { Settings } from '../platform/settings';
import {
  createDeliveryRetention,
  DELIVERY_LEDGER_TABLE,
  type DeliveryRetention,
} from '../webhooks/deliveryLedger';
import { tableClientFor } from '../webhooks/tableClientFor';

let cached: { settings: Settings; retention: DeliveryRetention } | null = null;

export function deliveryRetentionFor(settings: Settings): DeliveryRetention {
  if (cached?.settings !== settings)
    cached = {
      settings,
      retention: createDeliveryRetention(tableClientFor(settings.storage, DELIVERY_LEDGER_TABLE)),
    };
  return cached.retention;
}
