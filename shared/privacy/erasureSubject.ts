// shared/privacy/erasureSubject.ts: who an erasure request (GDPR Art. 17) is about, as the pseudonymized
// references the pipeline gave that person's data. The hub stores no clear identifier outside the raw
// zones, so references are what every zone is searched by; the clear identifiers of the request are
// turned into references at once and never stored or logged.
import { z } from 'zod';
import type { CustomerRefs } from '../model';
import type { Pseudonymizer } from './pseudonymize';

const text = z.string().trim().min(1).max(320);

/** The body of `POST /api/v1/admin/erase`: at least one identifier. */
export const ErasureRequest = z
  .object({
    emails: z.array(text).max(20).default([]),
    phones: z.array(text).max(20).default([]),
    /** Country of phone numbers written without a country code (ISO 3166 alpha-2). */
    country: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').optional(),
    loyaltyIds: z.array(text).max(20).default([]),
    /** Vendor customer ids, each with the source that issued it. */
    customers: z.array(z.object({ source: text, id: text }).strict()).max(20).default([]),
    /** Report what would be erased, change nothing. */
    dryRun: z.boolean().default(false),
  })
  .strict()
  .refine((r) => r.emails.length + r.phones.length + r.loyaltyIds.length + r.customers.length > 0, {
    message: 'give at least one of emails, phones, loyaltyIds, customers',
  });
export type ErasureRequest = z.infer<typeof ErasureRequest>;

export type SubjectRefsResult = { ok: true; refs: string[] } | { ok: false; unusable: string[] };

/**
 * The references of every identifier in the request, sorted and without repeats. An identifier the
 * pipeline would not have pseudonymized either (an invalid email or phone number) makes the request
 * unusable rather than silently narrower: the caller is told which kind (never the value) to fix.
 */
export function subjectRefs(pseudonymize: Pseudonymizer, request: ErasureRequest): SubjectRefsResult {
  const refs = new Set<string>();
  const unusable: string[] = [];
  const add = (label: string, ref: string | undefined) => (ref === undefined ? unusable.push(label) : refs.add(ref));
  request.emails.forEach((e, i) => add(`emails/${i}: not an email address`, pseudonymize.email(e)));
  request.phones.forEach((p, i) => add(`phones/${i}: not a valid phone number${request.country ? '' : ' (give country, or the number with +country code)'}`, pseudonymize.phone(p, request.country?.toUpperCase())));
  request.loyaltyIds.forEach((l, i) => add(`loyaltyIds/${i}: empty`, pseudonymize.loyalty(l)));
  request.customers.forEach((c, i) => add(`customers/${i}: empty id`, pseudonymize.customer(c.source, c.id)));
  return unusable.length ? { ok: false, unusable } : { ok: true, refs: [...refs].sort() };
}

/** Whether a transaction's customer is the subject: any of its references is one of the subject's. */
export function matchesSubject(customer: CustomerRefs | null | undefined, refs: ReadonlySet<string>): boolean {
  if (!customer) return false;
  return (
    (customer.ref !== undefined && refs.has(customer.ref)) ||
    (customer.emailRef !== undefined && refs.has(customer.emailRef)) ||
    (customer.phoneRef !== undefined && refs.has(customer.phoneRef)) ||
    (customer.loyaltyRef !== undefined && refs.has(customer.loyaltyRef))
  );
}

/** What every zone's erasure takes besides its storage. */
export interface ErasureOptions {
  /** Count what would change; write and delete nothing. */
  dryRun: boolean;
}
