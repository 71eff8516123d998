// local/ncrontab.ts: timer schedules as the Functions host reads them: NCRONTAB with six fields
// (seconds first) or five (seconds taken as 0), evaluated in UTC (Flex Consumption runs schedules in UTC).
import { CronExpressionParser } from 'cron-parser';

export interface Schedule {
  expression: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

export function parseSchedule(expression: string): Schedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new Error(`schedule "${expression}" must have 6 NCRONTAB fields (seconds first) or 5`);
  }
  const six = fields.length === 6 ? fields.join(' ') : `0 ${fields.join(' ')}`;
  // Parse once up front so a bad schedule fails at start-up, not at the first tick.
  CronExpressionParser.parse(six, { tz: 'UTC' });
  return {
    expression,
    next(after) {
      return CronExpressionParser.parse(six, { currentDate: after, tz: 'UTC' }).next().toDate();
    },
  };
}
