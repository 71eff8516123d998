// Impossible dates and business dates that cannot belong to the instant. A business day may end after
// midnight (late trading) or be the previous calendar day, so one day of difference is normal.
import { dateInZone, isValidDate } from '../../../../shared/model/time';
import type { Finding } from '../../../../shared/model';
import type { Rule } from '../types';

const EARLIEST = Date.UTC(2000, 0, 1);
const DAY = 86_400_000;

export const dates: Rule = (tx, ctx) => {
  const findings: Finding[] = [];
  const at = Date.parse(tx.occurredAt);
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
};
