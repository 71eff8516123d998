// shared/sources/forStore.ts: the source context of one store, with its configured zone, currency and
// country (POS_HUB_STORES) in place of the defaults. What a payload states itself still wins: the
// adapters pass it to resolveTime / resolveCurrency ahead of the context.
import type { SourceContext, StoreConfig } from './types';

// Per context, per store: a payload's transactions mostly share a store, and a context lives for one
// body, so the derived contexts are made once and go with it.
const derived = new WeakMap<SourceContext, Map<string, SourceContext>>();

/**
 * `ctx` with the store's configured time zone, currency and country in place of the defaults; `ctx`
 * itself (nothing allocated) when there is no store map, no store id or the store is not configured.
 */
export function forStore(ctx: SourceContext, storeId: string | null | undefined): SourceContext {
  const stores = ctx.stores;
  if (stores === undefined || stores.size === 0 || !storeId) return ctx;
  const config = stores.get(storeId);
  if (config === undefined) return ctx;
  let byStore = derived.get(ctx);
  if (byStore === undefined) derived.set(ctx, (byStore = new Map()));
  let out = byStore.get(storeId);
  if (out === undefined) byStore.set(storeId, (out = withStore(ctx, config)));
  return out;
}

function withStore(ctx: SourceContext, config: StoreConfig): SourceContext {
  const timeZone = config.timeZone ?? ctx.timeZone;
  const currency = config.currency ?? ctx.currency;
  const country = config.country ?? ctx.country;
  if (timeZone === ctx.timeZone && currency === ctx.currency && country === ctx.country) return ctx;
  return { ...ctx, timeZone, currency, country };
}

