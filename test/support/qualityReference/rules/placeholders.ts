// Values that mean "nobody filled this in": they break joins with master data and per-store reports.
import type { Finding } from '../../../../shared/model';
import type { Rule } from '../types';

const PLACEHOLDERS = new Set(['', 'n/a', 'na', 'null', 'undefined', 'none', 'tbd', 'test', 'xxx', 'xxxx', '-', '?', '0', 'unknown', 'placeholder', 'dummy', 'default', '9999999', '0000000']);

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.has(value.trim().toLowerCase());
}

export const placeholders: Rule = (tx) => {
  const findings: Finding[] = [];
  const check = (value: string | null, path: string) => {
    if (value !== null && isPlaceholder(value)) {
      findings.push({ code: 'value.placeholder', severity: 'warning', path, message: `placeholder value ${JSON.stringify(value)}` });
    }
  };
  check(tx.storeId, '/storeId');
  check(tx.registerId, '/registerId');
  check(tx.operatorId, '/operatorId');
  tx.lines.forEach((l, i) => {
    check(l.sku, `/lines/${i}/sku`);
    check(l.description, `/lines/${i}/description`);
  });
  if (tx.channel === 'store' && (tx.storeId === null || isPlaceholder(tx.storeId))) {
    findings.push({ code: 'store.missing', severity: 'error', path: '/storeId', message: 'an in-store transaction without a store' });
  }
  return findings;
};
