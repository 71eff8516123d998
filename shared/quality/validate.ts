// shared/quality/validate.ts: runs every rule. Errors route a transaction to quarantine; warnings travel
// with it into the curated zone.
import { CanonicalTransaction, type Finding } from '../model';
import { amountsOf } from './amounts';
import { quietRules } from './quietRules';
import { readCanonical, type ReadFacts } from './readCanonical';
import { currencyCode } from './rules/currencyCode';
import { dates } from './rules/dates';
import { placeholders } from './rules/placeholders';
import { quantities } from './rules/quantities';
import { taxCountedOnce } from './rules/taxCountedOnce';
import { tendersVsTotal } from './rules/tendersVsTotal';
import { totalsVsLines } from './rules/totalsVsLines';
import type { QualityContext, Rule } from './types';

// ./quietRules runs each rule's quick test to skip them all at once: a rule added here must be added
// there too (test/quality/quietRules.test.ts fails until the list below and that test agree).
export const RULES: readonly Rule[] = [
  totalsVsLines,
  tendersVsTotal,
  taxCountedOnce,
  currencyCode,
  dates,
  quantities,
  placeholders,
];

/** Filled in by readCanonical and read by quietRules right after, once per transaction: one object reused. */
const FACTS: ReadFacts = {
  kind: '',
  currency: null,
  occurredAt: '',
  businessDate: '',
  lineCount: 0,
  chargeCount: 0,
  plainTexts: false,
};

/**
 * Findings of every rule for one transaction; a transaction the model rejects gets `schema.invalid`.
 *
 * The model check is here for every source (the `canonical` adapter passes input through as given, and
 * an adapter bug must not slip by either): `readCanonical` (the check behind `hasCanonicalShape`) is a
 * hand-written check at least as strict as the zod schema and several times faster, which reads the
 * amounts on the way; only a transaction it does not accept goes to zod, whose issues become the findings. A `schema.invalid` finding is an error, so the transaction is
 * routed to quarantine; and shared/lake/loadBatch re-checks every transaction with the zod schema
 * before it writes the curated zone, so nothing invalid reaches it unflagged even past this function.
 */
export function validateTransaction(tx: CanonicalTransaction, ctx: QualityContext): Finding[] {
  // The shape check and the amounts in one walk (see ./readCanonical); the rules share the amounts.
  let amounts = readCanonical(tx, FACTS);
  // Most transactions have no finding: quietRules sees that from what readCanonical read, without
  // running the rules (which remain the reference, and word every finding).
  if (amounts !== undefined && quietRules(amounts, FACTS, ctx)) return [];
  if (amounts === undefined) {
    const shape = CanonicalTransaction.safeParse(tx);
    if (!shape.success) {
      return shape.error.issues.slice(0, 10).map((issue) => ({
        code: 'schema.invalid',
        severity: 'error' as const,
        path: '/' + issue.path.map(String).join('/'),
        message: issue.message,
      }));
    }
    amounts = amountsOf(tx);
  }
  const findings: Finding[] = [];
  for (let r = 0; r < RULES.length; r++) {
    const found = RULES[r]!(tx, ctx, amounts);
    for (let i = 0; i < found.length; i++) findings.push(found[i]!);
  }
  return findings;
}

export interface ValidateOptions extends QualityContext {
  /**
   * Configuration per store id (POS_HUB_STORES): a transaction of a store with a configured zone is
   * judged in that zone, any other in `timeZone` (the default).
   */
  stores?: ReadonlyMap<string, { readonly timeZone?: string }>;
  /**
   * The caller owns the transaction objects and keeps no other use of them (an adapter's fresh output):
   * their `findings` are then set in place instead of on a copy of each. The result is the same: the
   * same keys in the same order (test/quality/validateInPlace.test.ts compares the two).
   */
  inPlace?: boolean;
}

/**
 * Validates the transactions of one payload: every rule on each, and duplicates within the payload
 * (a second occurrence of the same id is an error: it would overwrite the first downstream).
 * Returns new transaction objects with the findings appended (with `inPlace`, the given objects).
 */
export function validateTransactions(
  txs: CanonicalTransaction[],
  ctx: ValidateOptions,
): CanonicalTransaction[] {
  const seen = new Map<string, number>();
  const out: CanonicalTransaction[] = [];
  const stores = ctx.stores !== undefined && ctx.stores.size > 0 ? ctx.stores : undefined;
  // One rule context per store with its own zone, made on first use: the rules see only now and a zone.
  const byStore = stores && new Map<string, QualityContext>();
  // In place, every transaction is judged before any is changed: an object listed twice must be judged
  // with its own findings both times.
  const inPlace = ctx.inPlace === true;
  const later: Finding[][] | undefined = inPlace ? [] : undefined;
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!;
    const found = validateTransaction(tx, stores ? storeContext(tx.storeId, ctx, stores, byStore!) : ctx);
    // Nearly every transaction arrives without findings: then the rules' own new array will do.
    const findings =
      Array.isArray(tx.findings) && tx.findings.length === 0 ? found : [...tx.findings, ...found];
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
    // A new object for every transaction, keys in the input's order (findings keeps its place): callers
    // may hold on to the input, and the serialized form follows this order.
    if (later === undefined) out.push({ ...tx, findings });
    else later.push(findings);
  }
  if (later !== undefined) {
    for (let i = 0; i < txs.length; i++) {
      const tx = txs[i]!;
      // Assigning a key the object has keeps its place, and a missing one goes last, as in the copy.
      // An object can be listed again only under the same id, so only a repeated id takes a copy: the
      // object itself then keeps the findings of its first listing.
      if (seen.get(tx.id) !== i) out.push({ ...tx, findings: later[i]! });
      else {
        tx.findings = later[i]!;
        out.push(tx);
      }
    }
  }
  return out;
}

function storeContext(
  storeId: string | null,
  ctx: ValidateOptions,
  stores: NonNullable<ValidateOptions['stores']>,
  byStore: Map<string, QualityContext>,
): QualityContext {
  if (!storeId) return ctx;
  let found = byStore.get(storeId);
  if (found === undefined) {
    const zone = stores.get(storeId)?.timeZone;
    found = zone === undefined || zone === ctx.timeZone ? ctx : { now: ctx.now, timeZone: zone };
    byStore.set(storeId, found);
  }
  return found;
}

export function hasErrors(tx: { findings: Finding[] }): boolean {
  return tx.findings.some((f) => f.severity === 'error');
}

/** Where a transaction goes: errors to quarantine, anything else to the curated zone. */
export function routeOf(tx: { findings: Finding[] }): 'curated' | 'quarantine' {
  return hasErrors(tx) ? 'quarantine' : 'curated';
}
