// shared/model/canonical.ts: the canonical transaction (CONTRACTS.md, schemaVersion 1) as zod schemas.
import { z } from 'zod';

/** Exact decimal in major units: digits, optional sign and fraction, never an exponent. */
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'decimal string without exponent');
/** An instant in UTC with millisecond precision, e.g. 2026-11-30T14:05:09.120Z. */
export const UtcInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'UTC instant');
/** The trading day as the store counts it. */
export const BusinessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code');

export const SOURCE_NAMES = [
  'poslog',
  'shopify',
  'square',
  'lightspeed-x',
  'lightspeed-r',
  'clover',
  'toast',
  'adyen',
  'canonical',
  'csv',
] as const;
export const SourceName = z.enum(SOURCE_NAMES);
export type SourceName = z.infer<typeof SourceName>;

export const Finding = z.object({
  code: z.string().min(1),
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  message: z.string(),
});
export type Finding = z.infer<typeof Finding>;

export const Discount = z.object({
  amount: DecimalString,
  lineNo: z.number().int().optional(),
  promotionId: z.string().optional(),
  code: z.string().optional(),
  description: z.string().optional(),
});
export type Discount = z.infer<typeof Discount>;

export const Line = z.object({
  lineNo: z.number().int(),
  sku: z.string(),
  gtin: z.string().optional(),
  description: z.string(),
  quantity: DecimalString,
  unitPrice: DecimalString,
  amount: DecimalString,
  discount: DecimalString,
  tax: DecimalString.nullable(),
});
export type Line = z.infer<typeof Line>;

export const TENDER_METHODS = ['card', 'cash', 'gift_card', 'voucher', 'mobile', 'other'] as const;
export const Tender = z.object({
  method: z.enum(TENDER_METHODS),
  amount: DecimalString,
  cardBrand: z.string().optional(),
  last4: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  status: z.string().optional(),
});
export type Tender = z.infer<typeof Tender>;
export type TenderMethod = Tender['method'];

/**
 * Non-merchandise amounts that are part of the total (shipping, tips, service charges, fees, cash
 * rounding). An addition to the CONTRACTS.md model: without it a Shopify order with shipping or a
 * Toast check with a tip could not reconcile its total with its lines.
 */
export const CHARGE_TYPES = ['shipping', 'tip', 'service', 'fee', 'rounding', 'other'] as const;
export const Charge = z.object({
  type: z.enum(CHARGE_TYPES),
  amount: DecimalString,
  tax: DecimalString.nullable().optional(),
  description: z.string().optional(),
});
export type Charge = z.infer<typeof Charge>;

export const CustomerRefs = z.object({
  ref: z.string().optional(),
  emailRef: z.string().optional(),
  phoneRef: z.string().optional(),
  loyaltyRef: z.string().optional(),
});
export type CustomerRefs = z.infer<typeof CustomerRefs>;

export const CanonicalTransaction = z.object({
  schemaVersion: z.literal(1),
  id: z.string().min(1),
  source: SourceName,
  sourceKey: z.string().min(1),
  kind: z.enum(['sale', 'return', 'void', 'payment']),
  channel: z.enum(['store', 'online', 'mobile', 'unknown']),
  storeId: z.string().nullable(),
  registerId: z.string().nullable(),
  operatorId: z.string().nullable(),
  businessDate: BusinessDate,
  occurredAt: UtcInstant,
  currency: CurrencyCode.nullable(),
  total: DecimalString,
  taxTotal: DecimalString.nullable(),
  discountTotal: DecimalString,
  discounts: z.array(Discount),
  lines: z.array(Line),
  tenders: z.array(Tender),
  charges: z.array(Charge).optional(),
  customer: CustomerRefs.nullable(),
  originalRef: z.object({ sourceKey: z.string() }).nullable(),
  findings: z.array(Finding),
});
export type CanonicalTransaction = z.infer<typeof CanonicalTransaction>;
export type TransactionKind = CanonicalTransaction['kind'];
export type Channel = CanonicalTransaction['channel'];
