// test/support/storeContext.ts: the source context of a New York store as a store master would configure
// it (zone, currency, country, store id, Toast restaurant header, a test pseudonymization key), for tests
// that run every adapter on generated or fixture payloads.
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import type { SourceContext } from '../../shared/sources/types';

export function newYorkStoreContext(): SourceContext {
  return {
    timeZone: 'America/New_York',
    currency: 'USD',
    country: 'US',
    headers: { 'toast-restaurant-external-id': 'R-042' },
    storeId: 'S042',
    pseudonymize: createPseudonymizer('test-key-0123456789abcdef', 'US'),
  };
}
