import { isKnownCurrency } from '../money';
import type { Rule } from '../types';

export const currencyCode: Rule = (tx) =>
  tx.currency === null || isKnownCurrency(tx.currency)
    ? []
    : [{ code: 'currency.invalid', severity: 'error', path: '/currency', message: `${tx.currency} is not an ISO 4217 currency code` }];
