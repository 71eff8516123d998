// shared/sources/common.ts: what every adapter shares: findings, time resolution, and assembling
// a canonical transaction with its derived fields (id, discountTotal).
import type { z } from 'zod';
import {
  transactionId,
  type CanonicalTransaction,
  type CustomerRefs,
  type Finding,
  type SourceName,
} from '../model';
import { dec, toMoneyString, ZERO } from '../model/money';
import { dateInZone, isValidDate, parseDateTime, toUtcInstant } from '../model/time';
import type { AdapterResult, SourceAdapter, SourceContext } from './types';

export function finding(code: string, severity: Finding['severity'], path: string, message: string): Finding {
  return { code, severity, path, message };
}

/** Turns a zod error into findings with JSON-pointer-like paths. */
export function schemaFindings(error: z.ZodError, basePath = ''): Finding[] {
  return error.issues.slice(0, 20).map((issue) =>
    finding(
      'payload.schema',
      'error',
      basePath + (issue.path.length ? '/' + issue.path.map(String).join('/') : ''),
      issue.message,
    ),
  );
}

/** An adapter result for a payload that could not be read at all. */
export function rejected(error: z.ZodError | Finding[], basePath = ''): AdapterResult {
  return { transactions: [], findings: Array.isArray(error) ? error : schemaFindings(error, basePath) };
}

/**
 * `table[key]` for a vendor-given key, from the table's own entries only: a plain object lookup would
 * answer "toString" or "constructor" with a function from Object.prototype.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A response that wraps one object or a list of them under `key` (`{ data: sale }`, `{ Sale: [sales] }`);
 * any other payload is taken as the bare object.
 */
export function convertWrapped(
  payload: unknown,
  key: string,
  convertOne: (item: unknown, path: string) => AdapterResult,
): AdapterResult {
  if (!isPlainObject(payload) || !(key in payload)) return convertOne(payload, '');
  const inner = payload[key];
  return Array.isArray(inner) ? convertEach(inner, `/${key}`, convertOne) : convertOne(inner, `/${key}`);
}

/** Validates one vendor object and converts it; an invalid one gives schema findings under `basePath`. */
export function parseAs<T>(
  schema: z.ZodType<T>,
  value: unknown,
  basePath: string,
  then: (valid: T) => AdapterResult,
): AdapterResult {
  const parsed = schema.safeParse(value);
  return parsed.success ? then(parsed.data) : rejected(parsed.error, basePath);
}

/**
 * The items of a vendor's list response, each converted on its own so that one bad item loses none of
 * the others; each item's findings are placed under `<basePath>/<index>`.
 */
export function convertEach(
  items: readonly unknown[],
  basePath: string,
  convertOne: (item: unknown, path: string) => AdapterResult,
): AdapterResult {
  const out: AdapterResult = { transactions: [], findings: [] };
  items.forEach((item, i) => {
    const r = convertOne(item, `${basePath}/${i}`);
    out.transactions.push(...r.transactions);
    out.findings.push(...r.findings);
    if (r.workItems?.length) (out.workItems ??= []).push(...r.workItems);
  });
  return out;
}

export interface ResolvedTime {
  occurredAt: string;
  businessDate: string;
}

/**
 * Resolves a vendor timestamp to an UTC instant and a business date. Local times without offset are
 * read in the store's zone from configuration; without one the instant is unknown, so it is read as
 * UTC and an error finding quarantines the transaction until the store is configured.
 * `businessDate` given by the source wins over the one derived from the instant.
 */
export function resolveTime(
  text: string | number | null | undefined,
  ctx: SourceContext,
  path: string,
  findings: Finding[],
  sourceBusinessDate?: string | null,
): ResolvedTime {
  let epochMs = NaN;
  let hadOffset = true;
  if (typeof text === 'number') {
    epochMs = text;
  } else if (typeof text === 'string' && text.trim() !== '') {
    const parsed = parseDateTime(text, ctx.timeZone);
    if (!parsed) {
      findings.push(finding('time.invalid', 'error', path, `not a valid date-time: ${JSON.stringify(text)}`));
    } else {
      hadOffset = parsed.hadOffset;
      epochMs = parsed.epochMs;
      if (Number.isNaN(epochMs)) {
        findings.push(
          finding(
            'time.zone_unknown',
            'error',
            path,
            'local time without UTC offset and no store time zone configured; read as UTC',
          ),
        );
        epochMs = parseDateTime(text, 'UTC')!.epochMs;
      }
    }
  } else {
    findings.push(finding('time.missing', 'error', path, 'transaction time is missing'));
  }
  if (!Number.isFinite(epochMs) || Math.abs(epochMs) > 8.64e15) epochMs = 0;
  let businessDate = sourceBusinessDate ?? '';
  if (businessDate && !isValidDate(businessDate)) {
    findings.push(
      finding('time.invalid_business_date', 'error', path, `not a valid business date: ${JSON.stringify(businessDate)}`),
    );
    businessDate = '';
  }
  if (!businessDate) {
    businessDate = dateInZone(epochMs, ctx.timeZone ?? (hadOffset ? null : 'UTC'));
    if (!ctx.timeZone && hadOffset && !sourceBusinessDate) {
      findings.push(
        finding('time.business_date_utc', 'warning', path, 'no store time zone configured: business date taken in UTC'),
      );
    }
  }
  return { occurredAt: toUtcInstant(epochMs), businessDate };
}

/**
 * Currency from the payload, else from configuration; null with an error finding when neither has it
 * or it is not a three-letter code.
 */
export function resolveCurrency(
  fromPayload: string | null | undefined,
  ctx: SourceContext,
  path: string,
  findings: Finding[],
): string | null {
  const c = (fromPayload ?? '').trim().toUpperCase() || ctx.currency?.toUpperCase() || null;
  if (!c) findings.push(finding('currency.missing', 'error', path, 'no currency in the payload or the configuration'));
  // Not even the shape of a code: the transaction could not be written with it. Whether a well-formed
  // code is one ISO 4217 knows is the quality rule's question (same finding code).
  if (c && !/^[A-Z]{3}$/.test(c)) {
    findings.push(finding('currency.invalid', 'error', path, `${JSON.stringify(c)} is not an ISO 4217 currency code`));
    return null;
  }
  return c;
}

export type TransactionDraft = Omit<CanonicalTransaction, 'schemaVersion' | 'id' | 'discountTotal' | 'findings'> & {
  findings?: Finding[];
};

/** Completes a draft: id from source and key, discountTotal from discounts, schema version. */
export function buildTransaction(draft: TransactionDraft): CanonicalTransaction {
  // Written like every other amount of the transaction ("4.50", not "4.5"), whatever the discounts' own text.
  let discounts = ZERO;
  for (const d of draft.discounts) discounts = discounts.plus(dec(d.amount));
  const discountTotal = toMoneyString(discounts, draft.currency);
  const id = transactionId(draft.source, draft.sourceKey);
  const findings = draft.findings ?? [];
  // Two plain literals, with and without charges (in the place the canonical order gives them), rather
  // than one with a conditional spread: V8 copies a literal's prepared shape, but adds the properties
  // after a spread one by one, which was ten times slower here and left objects JSON.stringify also
  // writes more slowly.
  if (draft.charges && draft.charges.length) {
    return {
      schemaVersion: 1,
      id,
      source: draft.source,
      sourceKey: draft.sourceKey,
      kind: draft.kind,
      channel: draft.channel,
      storeId: draft.storeId,
      registerId: draft.registerId,
      operatorId: draft.operatorId,
      businessDate: draft.businessDate,
      occurredAt: draft.occurredAt,
      currency: draft.currency,
      total: draft.total,
      taxTotal: draft.taxTotal,
      discountTotal,
      discounts: draft.discounts,
      lines: draft.lines,
      tenders: draft.tenders,
      charges: draft.charges,
      customer: draft.customer,
      originalRef: draft.originalRef,
      findings,
    };
  }
  return {
    schemaVersion: 1,
    id,
    source: draft.source,
    sourceKey: draft.sourceKey,
    kind: draft.kind,
    channel: draft.channel,
    storeId: draft.storeId,
    registerId: draft.registerId,
    operatorId: draft.operatorId,
    businessDate: draft.businessDate,
    occurredAt: draft.occurredAt,
    currency: draft.currency,
    total: draft.total,
    taxTotal: draft.taxTotal,
    discountTotal,
    discounts: draft.discounts,
    lines: draft.lines,
    tenders: draft.tenders,
    customer: draft.customer,
    originalRef: draft.originalRef,
    findings,
  };
}

/** Customer references from whatever identifiers a source has; null when it has none. */
export function customerRefs(
  ctx: SourceContext,
  source: SourceName,
  ids: { id?: unknown; email?: unknown; phone?: unknown; loyalty?: unknown },
): CustomerRefs | null {
  const id = textOf(ids.id);
  const email = textOf(ids.email);
  const phone = textOf(ids.phone);
  const loyalty = textOf(ids.loyalty);
  const ref = id ? ctx.pseudonymize.customer(source, id) : undefined;
  const emailRef = email ? ctx.pseudonymize.email(email) : undefined;
  const phoneRef = phone ? ctx.pseudonymize.phone(phone, ctx.country ?? undefined) : undefined;
  const loyaltyRef = loyalty ? ctx.pseudonymize.loyalty(loyalty) : undefined;
  if (ref === undefined && emailRef === undefined && phoneRef === undefined && loyaltyRef === undefined) return null;
  // Only the references there are, in this order; built up rather than deleted from, which would
  // leave V8 a slow dictionary-mode object for every later read and JSON.stringify.
  const refs: CustomerRefs = {};
  if (ref !== undefined) refs.ref = ref;
  if (emailRef !== undefined) refs.emailRef = emailRef;
  if (phoneRef !== undefined) refs.phoneRef = phoneRef;
  if (loyaltyRef !== undefined) refs.loyaltyRef = loyaltyRef;
  return refs;
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** Stringifies a vendor id that may be a number or string; keeps big ids exact (they arrive as strings). */
export function idString(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return null;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  try {
    return String(err);
  } catch {
    return 'a value that cannot be printed was thrown';
  }
}

/**
 * The last resort around an adapter's conversion: adapters never throw (docs/canonical.md), so an
 * exception there, a bug rather than bad input, becomes one `payload.adapter_error` finding and the
 * payload is quarantined like any unreadable one instead of failing the whole batch.
 */
export function guardAdapter(
  source: SourceName,
  convert: SourceAdapter['toCanonical'],
): SourceAdapter['toCanonical'] {
  return (payload, ctx) => {
    try {
      return convert(payload, ctx);
    } catch (err) {
      return rejected([finding('payload.adapter_error', 'error', '', `${source} adapter failed: ${errorMessage(err)}`)]);
    }
  };
}
