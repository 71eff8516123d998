// shared/sources/toast/paymentStatus.ts: a Toast payment's canonical status, and whether it moved money.
import { ownValue } from '../common';

/** Toast's credit payment states; cash and other payments have none and count as approved. */
const STATUSES: Record<string, string> = {
  AUTHORIZED: 'approved',
  AUTHORIZED_AT_RISK: 'approved',
  CAPTURE_IN_PROGRESS: 'approved',
  CAPTURED: 'approved',
  OPEN: 'pending',
  PROCESSING: 'pending',
  DENIED: 'declined',
  ERROR: 'declined',
  ERROR_NETWORK: 'declined',
  PROCESSING_VOID: 'voided',
  VOIDED_AT_RISK: 'voided',
  VOIDED: 'voided',
  CANCELLED: 'voided',
};

/** The canonical tender status of a payment with this `paymentStatus`. */
export function paymentStatus(p: { paymentStatus?: string | null }): string {
  return p.paymentStatus ? (ownValue(STATUSES, p.paymentStatus) ?? p.paymentStatus.toLowerCase()) : 'approved';
}

/** False for a declined or voided payment: its tip is no charge and adds nothing to the total. */
export function movedMoney(status: string): boolean {
  return status !== 'declined' && status !== 'voided';
}
