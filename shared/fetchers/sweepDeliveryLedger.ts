// shared/fetchers/sweepDeliveryLedger.ts: retention for the webhook delivery ledger
// (`PosHubWebhookDeliveries`, shared/webhooks/deliveryLedger.ts). Each vendor delivery leaves one entry,
// so kept forever the table grows with every webhook. Once an hour the fetcher's run deletes the entries
// received longer ago than POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS, with the same bounded loop as the
// work-item sweep (shared/fetchers/sweepExpired.ts): at most 2,000 per run, under the ETag each was read
// with, and a sweep stopped at its limits goes on in the next run.
//
// Why a redelivery after its entry was deleted does no harm (shared/webhooks/handleWebhook.ts,
// readDelivery.ts). The retention is at least MIN_WORK_ITEM_RETENTION_DAYS (4 days) after receipt.
// - Where the vendor states a send time (Shopify's X-Shopify-Triggered-At, Square's created_at, Clover's
//   newest event `ts`), a redelivery keeps it; it was at most 5 minutes after the first receipt (the clock
//   skew allowed), so 4 days on the redelivery is refused as stale (72 h, shared/webhooks/deliveryAge.ts)
//   and does nothing.
// - Where it states none (Lightspeed always; Shopify, Square or Clover bodies without that field), the
//   redelivery is handled as new, and re-does idempotent work only. A delivery with transactions is
//   accepted under the Idempotency-Key `<vendor>:<event id>` (the event id is the vendor's, or the
//   SHA-256 of the body, which a redelivery repeats), so acceptBatch finds the batch in the batch ledger
//   (never swept) and answers it as a resend: no new batch; an orchestration is started again only for a
//   batch that never completed and has none live (a failed one), as for any resend, and then its raw
//   body is stored again if the lake's raw retention had deleted it. A notification's work items are
//   found again if they still exist, and otherwise re-recorded; a re-recorded item is fetched and
//   ingested under the same Idempotency-Key as the first time (shared/fetchers/fetchIdempotencyKey.ts
//   follows vendor, merchant, object and event), so it lands on the first batch, or, when the order
//   changed since, is refused as a key reuse and settled with that batch (workOffItems.ts). What it
//   costs: a new ledger entry, possibly a work-item row and one vendor API call; no new data.
// That holds for every webhook vendor, so every vendor partition is swept (SWEPT_VENDORS).
import type { DeliveryRetention, ExpiredDelivery } from '../webhooks/deliveryLedger';
import { WEBHOOK_VENDORS, type WebhookVendor } from '../webhooks/verifyDelivery';
import { SWEEP_LIMITS, sweepExpired, type SweepLimits, type SweepReport } from './sweepExpired';

/** The ledger partitions whose entries may be deleted: each vendor for which the reasoning above holds. */
export const SWEPT_VENDORS: readonly WebhookVendor[] = Object.keys(WEBHOOK_VENDORS) as WebhookVendor[];

export interface DeliverySweepDeps {
  ledger: DeliveryRetention;
  /** Days an entry is kept after it was received (settings: fetcher.deliveryRetentionDays). */
  retentionDays: number;
  now?: () => Date;
  limits?: Partial<SweepLimits>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function sweepDeliveryLedger(deps: DeliverySweepDeps): Promise<SweepReport> {
  const limits: SweepLimits = { ...SWEEP_LIMITS, ...deps.limits };
  const now = (deps.now ?? (() => new Date()))();
  const cutoff = new Date(now.getTime() - deps.retentionDays * DAY_MS).toISOString();
  const { ledger } = deps;
  return sweepExpired<ExpiredDelivery>(
    {
      lastSweptAt: () => ledger.lastSweptAt(),
      listExpired: (max) => ledger.listExpired(SWEPT_VENDORS, cutoff, max),
      remove: (row) => ledger.remove(row),
      markSwept: (at) => ledger.markSwept(at),
    },
    now,
    limits,
  );
}
