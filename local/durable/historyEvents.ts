// local/durable/historyEvents.ts: the orchestration history as the Durable Task host hands it to the
// durable-functions library: PascalCase events with numeric EventType, EventId (the task's sequence
// number for scheduling events, -1 for everything else) and Timestamp. Only the fields the library
// reads (and the ones the status API shows) are filled in.

export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
} as const;

export type EventTypeName = keyof typeof EventType;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  /** Activity / orchestrator / sub-orchestrator / external event name. */
  Name?: string;
  /** JSON text, as the host stores payloads. */
  Input?: string;
  Result?: string;
  Reason?: string;
  Details?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  OrchestrationStatus?: string;
}

export function eventTypeName(type: number): string {
  const entry = Object.entries(EventType).find(([, v]) => v === type);
  return entry ? entry[0] : `Unknown${type}`;
}

export function newEvent(type: EventTypeName, fields: Partial<HistoryEvent> = {}, at: Date = new Date()): HistoryEvent {
  return { EventType: EventType[type], EventId: -1, IsPlayed: false, Timestamp: at.toISOString(), ...fields };
}

/** Completion events and the id of the scheduling event they complete. */
export function completedTaskId(e: HistoryEvent): number | undefined {
  switch (e.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return e.TaskScheduledId;
    case EventType.TimerFired:
      return e.TimerId;
    default:
      return undefined;
  }
}

export function isSchedulingEvent(e: HistoryEvent): boolean {
  return (
    e.EventType === EventType.TaskScheduled ||
    e.EventType === EventType.TimerCreated ||
    e.EventType === EventType.SubOrchestrationInstanceCreated
  );
}

/** JSON text for a payload; `undefined` has no JSON form, so it travels as null (as in Azure). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function fromJsonText(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  return JSON.parse(text);
}
