// local/durable/arrivalOrder.ts: the order a step applies its messages in. Inbox messages come from
// storage in arrival order (their row keys start with the arrival time); the completions of the
// activities this engine ran come from memory, stamped when they arrived. A step applies both in
// one sequence, by arrival, as it did when completions were inbox messages too.
import type { InboxMessage } from './durableStore';
import type { HistoryEvent } from './historyEvents';

/** An activity's completion waiting in memory for the step that commits it. */
export interface LocalCompletion {
  executionId: string;
  event: HistoryEvent;
  /** Date.now() when it arrived, to order it among the inbox messages. */
  arrived: number;
}

/** The time part of an inbox row key (`inbox|<ms, 15 digits>|...`). */
export function arrivalTime(message: InboxMessage): number {
  return Number(message.rowKey.split('|')[1]);
}

/** Inbox messages (already in arrival order) and completions, merged by arrival; the inbox first on ties. */
export function inArrivalOrder(inbox: InboxMessage[], local: LocalCompletion[]): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  const pending = [...local].sort((a, b) => a.arrived - b.arrived);
  let next = 0;
  for (const message of inbox) {
    const time = arrivalTime(message);
    while (next < pending.length && pending[next]!.arrived < time) out.push(pending[next++]!.event);
    out.push(message.event);
  }
  while (next < pending.length) out.push(pending[next++]!.event);
  return out;
}
