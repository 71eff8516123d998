// The date rules judge a transaction in its store's configured zone (POS_HUB_STORES), passed to
// validateTransactions as `stores`; other stores, and every store without the map, in the default zone.
import { validateTransactions } from '../../shared/quality';
import { sale } from '../support/canonical';

const now = Date.parse('2026-12-01T12:00:00Z');
// A chain whose default is New Zealand, with a store in Los Angeles.
const stores = new Map([['S042', { timeZone: 'America/Los_Angeles' }], ['S777', { currency: 'NZD' }]]);
const defaults = { now, timeZone: 'Pacific/Auckland' };

/** Error codes per store of the transactions as validated. */
function errors(txs: ReturnType<typeof sale>[], options: Parameters<typeof validateTransactions>[1]) {
  return validateTransactions(txs, options).map((t) => [t.sourceKey, t.findings.filter((f) => f.severity === 'error').map((f) => f.code)]);
}

describe('validateTransactions: the store zone in the date rules', () => {
  // 03:30 on 1 December in Los Angeles, the bar's business day of 30 November (late trading, one day
  // back): already 2 December in Auckland, two days from the business date.
  const lateNight = (storeId: string, sourceKey: string) =>
    sale({ storeId, sourceKey, occurredAt: '2026-12-01T11:30:00.000Z', businessDate: '2026-11-30' });

  it("judges a configured store's transaction in its zone, any other in the default", () => {
    const txs = [lateNight('S042', 'la'), lateNight('S099', 'unconfigured'), lateNight('S777', 'no-zone')];
    expect(errors(txs, { ...defaults, stores })).toEqual([
      ['la', []],
      ['unconfigured', ['time.business_date_mismatch']],
      ['no-zone', ['time.business_date_mismatch']],
    ]);
    // Without the map every store is judged in the default zone, as before.
    expect(errors(txs, defaults)).toEqual([
      ['la', ['time.business_date_mismatch']],
      ['unconfigured', ['time.business_date_mismatch']],
      ['no-zone', ['time.business_date_mismatch']],
    ]);
  });

  it('does not flag a sale dated today in Los Angeles while it is already tomorrow in UTC', () => {
    // 23:30 on 30 November in Los Angeles is 07:30 on 1 December UTC.
    const tx = sale({ storeId: 'S042', sourceKey: 'evening', occurredAt: '2026-12-01T07:30:00.000Z', businessDate: '2026-11-30' });
    expect(errors([tx], { now: Date.parse('2026-12-01T07:45:00Z'), timeZone: 'UTC', stores })).toEqual([['evening', []]]);
  });

  it('keeps the other checks: the future is relative to now, duplicates are still found', () => {
    const future = sale({ storeId: 'S042', sourceKey: 'f', occurredAt: '2026-12-03T12:00:00.000Z', businessDate: '2026-12-03' });
    const twice = lateNight('S042', 'la');
    expect(errors([future, twice, twice], { ...defaults, stores })).toEqual([
      ['f', ['time.future']],
      ['la', []],
      ['la', ['duplicate.in_payload']],
    ]);
  });
});
