// shared/quality/validate.ts: runs every rule. Errors route a transaction to quarantine; warnings travel
// with it into the curated zone.
import { CanonicalTransaction, type Finding } from '../model';
import { currencyCode } from './rules/currencyCode';
import { dates } from './rules/dates';
import { placeholders } from './rules/placeholders';
import { quantities } from './rules/quantities';
import { taxCountedOnce } from './rules/taxCountedOnce';
import { tendersVsTotal } from './rules/tendersVsTotal';
import { totalsVsLines } from './rules/totalsVsLines';
import type { QualityContext, Rule } from './types';

export const RULES: readonly Rule[] = [totalsVsLines, tendersVsTotal, taxCountedOnce, currencyCode, dates, quantities, placeholders];

/** Findings of every rule for one transaction; a transaction the model rejects gets `schema.invalid`. */
export function validateTransaction(tx: CanonicalTransaction, ctx: QualityContext): Finding[] {
  const shape = CanonicalTransaction.safeParse(tx);
  if (!shape.success) {
    return shape.error.issues.slice(0, 10).map((issue) => ({
      code: 'schema.invalid',
      severity: 'error' as const,
      path: '/' + issue.path.map(String).join('/'),
      message: issue.message,
    }));
  }
  return RULES.flatMap((rule) => rule(tx, ctx));
}

/**
 * Validates the transactions of one payload: every rule on each, and duplicates within the payload
 * (a second occurrence of the same id is an error: it would overwrite the first downstream).
 * Returns new transaction objects with the findings appended.
 */
export function validateTransactions(txs: CanonicalTransaction[], ctx: QualityContext): CanonicalTransaction[] {
  const seen = new Map<string, number>();
  return txs.map((tx, i) => {
    const findings = [...tx.findings, ...validateTransaction(tx, ctx)];
    const first = seen.get(tx.id);
    if (first === undefined) seen.set(tx.id, i);
    else {
      findings.push({
        code: 'duplicate.in_payload',
        severity: 'error',
        path: '/sourceKey',
        message: `${tx.sourceKey} appears again in the same payload (first at index ${first})`,
      });
    }
    return { ...tx, findings };
  });
}

export function hasErrors(tx: { findings: Finding[] }): boolean {
  return tx.findings.some((f) => f.severity === 'error');
}

/** Where a transaction goes: errors to quarantine, anything else to the curated zone. */
export function routeOf(tx: { findings: Finding[] }): 'curated' | 'quarantine' {
  return hasErrors(tx) ? 'quarantine' : 'curated';
}
