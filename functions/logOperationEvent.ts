// functions/logOperationEvent.ts: writes an operation event (shared/platform/operationEvents.ts) at its
// level, so Application Insights records it as a trace of that severity for the alert rules.
import type { InvocationContext } from '@azure/functions';
import type { OperationLogLine } from '../shared/platform/operationEvents';

export function logOperationEvent(context: InvocationContext, line: OperationLogLine): void {
  if (line.level === 'warn') context.warn(line.message);
  else context.log(line.message);
}
