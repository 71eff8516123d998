// Impossible dates and business dates that cannot belong to the instant. A business day may end after
// midnight (late trading) or be the previous calendar day, so one day of difference is normal.
import { dateInZone, isValidDate, zoneOffsetMs } from '../../model/time';
import type { CanonicalTransaction, Finding } from '../../model';
import type { QualityContext, Rule } from '../types';
import { daysFromCivil, daysInMonth, utcInstantMs } from '../utcInstantMs';

const EARLIEST = Date.UTC(2000, 0, 1);
/** Instants from here on take the general path (five-digit local years are not worth a fast path). */
const LATEST_FAST = Date.UTC(9000, 0, 1);
const DAY = 86_400_000;

export const dates: Rule = (tx, ctx) => {
  const at = utcInstantMs(tx.occurredAt);
  return datesLookRight(at, tx.businessDate, ctx) ? [] : checkDates(tx, ctx, at);
};

/**
 * The common case, without formatting and re-parsing dates: a plausible instant `at` (epoch ms, as
 * `utcInstantMs` reads occurredAt), and a business day close to the day the store's clock showed then.
 * The day is the instant shifted by the zone's offset, floored to midnight, which is what parsing
 * `dateInZone`'s text gives for four-digit years. True means the rule has nothing to report; false
 * means "ask checkDates" (also shared with ../quietRules, which judges every rule at once).
 */
export function datesLookRight(at: number, businessDate: string, ctx: QualityContext): boolean {
  if (at >= EARLIEST && at <= ctx.now + DAY && at < LATEST_FAST) {
    const business = businessDayMs(businessDate);
    const zone = ctx.timeZone;
    if (business === business) {
      const wall = zone ? at + zoneOffsetMs(at, zone) : at;
      if (Math.abs(business - Math.floor(wall / DAY) * DAY) / DAY <= (zone ? 1 : 2)) return true;
    }
  }
  return false;
}

/**
 * Midnight UTC of a YYYY-MM-DD date from the year 1000 on, as `Date.parse(date + 'T00:00:00Z')`
 * gives it when `isValidDate(date)`; NaN for anything else (which the general path then judges).
 */
function businessDayMs(text: string): number {
  if (typeof text !== 'string' || text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const y = digitsAt(text, 0, 4);
  const m = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  if (!(y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return NaN;
  return daysFromCivil(y, m, d) * DAY;
}

function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** The rule in full: for the uncommon cases, and to word a finding. */
function checkDates(tx: CanonicalTransaction, ctx: QualityContext, at: number): Finding[] {
  const findings: Finding[] = [];
  if (!Number.isFinite(at) || at < EARLIEST) {
    findings.push({ code: 'time.impossible', severity: 'error', path: '/occurredAt', message: `${tx.occurredAt} is before 2000` });
  } else if (at > ctx.now + DAY) {
    findings.push({ code: 'time.future', severity: 'error', path: '/occurredAt', message: `${tx.occurredAt} is in the future` });
  }
  if (!isValidDate(tx.businessDate)) {
    findings.push({ code: 'time.impossible', severity: 'error', path: '/businessDate', message: `${tx.businessDate} is not a calendar date` });
    return findings;
  }
  if (Number.isFinite(at)) {
    const local = dateInZone(at, ctx.timeZone ?? null);
    const diffDays = Math.abs(Date.parse(`${tx.businessDate}T00:00:00Z`) - Date.parse(`${local}T00:00:00Z`)) / DAY;
    const allowed = ctx.timeZone ? 1 : 2; // without the store's zone the calendar date is only known to a day
    if (diffDays > allowed) {
      findings.push({
        code: 'time.business_date_mismatch',
        severity: 'error',
        path: '/businessDate',
        message: `business date ${tx.businessDate} is ${diffDays} days from the transaction's local date ${local}`,
      });
    }
  }
  return findings;
}
