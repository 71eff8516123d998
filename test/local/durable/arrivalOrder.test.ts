// The merge of inbox messages and in-memory completions matches a plain stable sort by arrival time
// (inbox first on ties, each source keeping its own order).
import fc from 'fast-check';
import { inArrivalOrder, type LocalCompletion } from '../../../local/durable/arrivalOrder';
import type { InboxMessage } from '../../../local/durable/durableStore';
import type { HistoryEvent } from '../../../local/durable/historyEvents';

function event(id: number): HistoryEvent {
  return { EventType: 5, EventId: id, IsPlayed: false, Timestamp: '' };
}

function inboxKey(time: number, n: number): string {
  return `inbox|${String(time).padStart(15, '0')}|${String(n).padStart(6, '0')}|x`;
}

test('inArrivalOrder is a stable sort by arrival time with the inbox first on ties', () => {
  const time = fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_020 });
  fc.assert(
    fc.property(fc.array(time, { maxLength: 30 }), fc.array(time, { maxLength: 30 }), (inboxTimes, localTimes) => {
      const sortedInbox = [...inboxTimes].sort((a, b) => a - b);
      const inbox: InboxMessage[] = sortedInbox.map((t, i) => ({ rowKey: inboxKey(t, i), executionId: 'e', event: event(i) }));
      const local: LocalCompletion[] = localTimes.map((t, i) => ({ executionId: 'e', event: event(1000 + i), arrived: t }));
      const reference = [
        ...inbox.map((m, i) => ({ time: sortedInbox[i]!, rank: 0, event: m.event })),
        ...local.map((c) => ({ time: c.arrived, rank: 1, event: c.event })),
      ]
        .sort((a, b) => a.time - b.time || a.rank - b.rank)
        .map((x) => x.event.EventId);
      expect(inArrivalOrder(inbox, local).map((e) => e.EventId)).toEqual(reference);
    }),
    { numRuns: 500 },
  );
});
