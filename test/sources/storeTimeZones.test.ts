// Per-store configuration (POS_HUB_STORES) in the adapters: local times without an offset are read in
// the transaction's store zone, a missing currency is the store's; what the payload states still wins.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalTransaction } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { toCanonical as csvToCanonical } from '../../shared/sources/csv';
import { forStore } from '../../shared/sources/forStore';
import { lightspeedRAdapter, toCanonical as lightspeedRToCanonical } from '../../shared/sources/lightspeed-r';
import type { SourceContext, StoreConfig } from '../../shared/sources/types';

const stores: ReadonlyMap<string, StoreConfig> = new Map([
  ['S001', { timeZone: 'America/New_York' }],
  ['S042', { timeZone: 'America/Los_Angeles', currency: 'USD', country: 'US' }],
]);
const pseudonymize = createPseudonymizer('test-key-0123456789abcdef');
const defaults: SourceContext = { timeZone: 'Europe/Stockholm', currency: 'EUR', country: 'SE', pseudonymize };
const ctx: SourceContext = { ...defaults, stores };

const fixtures = join(__dirname, '../fixtures');
const twoStores = readFileSync(join(fixtures, 'csv/two-stores.csv'), 'utf8');

/** id -> [store, occurredAt, businessDate, currency], and the error codes of every finding. */
function when(txs: CanonicalTransaction[]): Record<string, [string | null, string, string, string | null]> {
  return Object.fromEntries(txs.map((t) => [t.sourceKey, [t.storeId, t.occurredAt, t.businessDate, t.currency]]));
}

describe('forStore', () => {
  it("puts a configured store's zone, currency and country in place of the defaults, keeping the rest", () => {
    const la = forStore(ctx, 'S042');
    expect([la.timeZone, la.currency, la.country]).toEqual(['America/Los_Angeles', 'USD', 'US']);
    expect(la.pseudonymize).toBe(pseudonymize);
    expect(la.stores).toBe(stores);
    const ny = forStore(ctx, 'S001');
    expect([ny.timeZone, ny.currency, ny.country]).toEqual(['America/New_York', 'EUR', 'SE']);
    // Made once per context and store.
    expect(forStore(ctx, 'S042')).toBe(la);
    expect(ctx).toEqual({ ...defaults, stores });
  });

  it('returns the context itself when there is no map, no store id or the store is not configured', () => {
    expect(forStore(defaults, 'S042')).toBe(defaults);
    expect(forStore({ ...defaults, stores: new Map() }, 'S042').timeZone).toBe('Europe/Stockholm');
    expect(forStore(ctx, 'S099')).toBe(ctx);
    expect(forStore(ctx, null)).toBe(ctx);
    expect(forStore(ctx, '')).toBe(ctx);
    const same = { ...defaults, stores: new Map([['S7', { timeZone: 'Europe/Stockholm' }]]) };
    expect(forStore(same, 'S7')).toBe(same);
  });
});

describe('csv: a two-store export with local times', () => {
  it("reads each store's local times in its zone: 23:30 in Los Angeles is the next UTC day, the same business date", () => {
    const result = csvToCanonical(twoStores, ctx);
    expect(result.findings).toEqual([]);
    expect(result.transactions.flatMap((t) => t.findings)).toEqual([]);
    expect(when(result.transactions)).toEqual({
      // S042, Los Angeles (UTC-8): the store's currency fills the empty cell.
      T2001: ['S042', '2026-12-01T07:30:00.000Z', '2026-11-30', 'USD'],
      // S001, New York (UTC-5), currency from the file.
      T2002: ['S001', '2026-12-01T04:30:00.000Z', '2026-11-30', 'USD'],
      // S099 is not configured: the default zone (Stockholm, UTC+1) and currency.
      T2003: ['S099', '2026-11-30T22:30:00.000Z', '2026-11-30', 'EUR'],
      // An offset in the file wins over the store's zone; the business date is still the store's.
      T2004: ['S042', '2026-12-01T04:30:00.000Z', '2026-11-30', 'USD'],
      // A business date and a currency in the file win too (late trading after midnight).
      T2005: ['S042', '2026-12-01T09:15:00.000Z', '2026-11-30', 'CAD'],
    });
  });

  it('reads them all in the default zone without the map', () => {
    const result = csvToCanonical(twoStores, defaults);
    expect(when(result.transactions)).toEqual({
      T2001: ['S042', '2026-11-30T22:30:00.000Z', '2026-11-30', 'EUR'],
      T2002: ['S001', '2026-11-30T22:30:00.000Z', '2026-11-30', 'USD'],
      T2003: ['S099', '2026-11-30T22:30:00.000Z', '2026-11-30', 'EUR'],
      T2004: ['S042', '2026-12-01T04:30:00.000Z', '2026-12-01', 'EUR'],
      T2005: ['S042', '2026-12-01T00:15:00.000Z', '2026-11-30', 'CAD'],
    });
  });

  it('takes the store of the ingest hint (ctx.storeId) for rows without store_id', () => {
    const noStore = twoStores.replace(/,S042,/g, ',,');
    const result = csvToCanonical(noStore, { ...ctx, storeId: 'S001' });
    expect(when(result.transactions).T2001).toEqual(['S001', '2026-12-01T04:30:00.000Z', '2026-11-30', 'EUR']);
  });

  it('still refuses to guess a local time when neither the store nor the default has a zone', () => {
    const result = csvToCanonical(twoStores, { ...ctx, timeZone: null });
    const codes = Object.fromEntries(result.transactions.map((t) => [t.sourceKey, t.findings.map((f) => f.code)]));
    expect(codes).toEqual({ T2001: [], T2002: [], T2003: ['time.zone_unknown'], T2004: [], T2005: [] });
  });
});

describe('lightspeed-r: sales of two shops with local times', () => {
  const parsed = lightspeedRAdapter.parse(readFileSync(join(fixtures, 'lightspeed-r/sale-split-tender.json'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  const base = (parsed.value as { Sale: Record<string, unknown> }).Sale;
  /** The fixture's sale in another shop, completed at a local time without offset, without the Shop relation. */
  const sale = (saleID: string, shopID: string, completeTime: string, shop?: Record<string, unknown>) => {
    const s = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    Object.assign(s, { saleID, shopID, completeTime });
    if (shop) s.Shop = { ...(s.Shop as object), ...shop };
    else delete s.Shop;
    return s;
  };
  const stores1 = new Map([
    ['1', { timeZone: 'America/Los_Angeles' }],
    ['2', { timeZone: 'America/New_York', currency: 'CAD' }],
  ]);

  it("reads each sale's time in its shop's configured zone, the default for others, the Shop's own zone first", () => {
    const payload = {
      Sale: [
        sale('9001', '1', '2026-11-30T23:30:00'),
        sale('9002', '2', '2026-11-30T23:30:00'),
        sale('9003', '3', '2026-11-30T23:30:00'),
        sale('9004', '1', '2026-11-30T23:30:00-05:00'),
        // The sale's Shop relation states a zone: the payload wins over the configuration.
        sale('9005', '1', '2026-11-30T23:30:00', { timeZone: 'Europe/London' }),
      ],
    };
    const result = lightspeedRToCanonical(payload, { ...defaults, currency: 'USD', stores: stores1 });
    expect(result.findings).toEqual([]);
    expect(when(result.transactions)).toEqual({
      '9001': ['1', '2026-12-01T07:30:00.000Z', '2026-11-30', 'USD'],
      '9002': ['2', '2026-12-01T04:30:00.000Z', '2026-11-30', 'CAD'],
      '9003': ['3', '2026-11-30T22:30:00.000Z', '2026-11-30', 'USD'],
      '9004': ['1', '2026-12-01T04:30:00.000Z', '2026-11-30', 'USD'],
      '9005': ['1', '2026-11-30T23:30:00.000Z', '2026-11-30', 'USD'],
    });
  });
});
