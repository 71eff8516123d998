// local/durable/durableStore.ts: orchestration state in Azurite tables, partitioned by instance id.
//
// <hub>Instances holds, per instance and in one partition, the `state` row, the inbox (`inbox|...`
// rows: messages not yet applied to its history: start, completions, timer firings, raised events,
// terminate) and the history (`history|<executionId>|<seq>` rows, one per event). `history|` sorts
// before `inbox|`, so the per-step range query from `inbox|` to `state` never reads history.
//
// Everything a step changes lives in that one partition, so a step normally commits in ONE
// transaction: the new history rows, the state row's new `historyLength` (If-Match: the etag it was
// read with), the deletes of the consumed inbox rows and the creates of the messages it queues.
// A partition transaction holds at most 100 operations: a bigger step (a large fan-in) first writes
// the history rows that do not fit, then commits the rest in the one transaction. History rows past
// `historyLength` are ignored (and overwritten by the next commit), so a crash between the two loses
// nothing and duplicates nothing: the inbox messages are still there and are applied again.
//
// Data written by earlier versions keeps its history in <hub>History, keyed `<executionId>|<seq>`:
// it is read when the instances partition holds less than `historyLength` rows, and purged with it.
import { randomUUID } from 'node:crypto';
import { odata, TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import { eventTypeName, type HistoryEvent } from './historyEvents';

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated';

export const terminalStatuses: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Terminated'];

export interface InstanceState {
  instanceId: string;
  name: string;
  status: RuntimeStatus;
  executionId: string;
  /** JSON text of the input, output and custom status (absent: none). */
  input?: string;
  output?: string;
  customStatus?: string;
  createdTime: string;
  lastUpdatedTime: string;
  /** Committed history rows of this execution. */
  historyLength: number;
  parentInstanceId?: string;
  parentExecutionId?: string;
  parentTaskId?: number;
}

export interface StoredInstance {
  state: InstanceState;
  etag: string;
}

export interface InboxMessage {
  rowKey: string;
  executionId: string;
  event: HistoryEvent;
}

/** A history event and, for scheduling events a retry created, the id of the first attempt. */
export interface HistoryRecord {
  event: HistoryEvent;
  retryOf?: number;
}

const STATE_KEY = 'state';
const INBOX_PREFIX = 'inbox|';
const HISTORY_PREFIX = 'history|';
const MAX_TRANSACTION = 100;

export interface DurableStore {
  init(): Promise<void>;
  getInstance(instanceId: string): Promise<StoredInstance | undefined>;
  listInstances(): Promise<InstanceState[]>;
  /**
   * Creates (or, given the etag of a finished instance, replaces) an instance and queues its start.
   * Returns the state row's new etag (undefined if the transaction response lacks it) and the queued
   * message, as a read would return it.
   */
  startInstance(state: InstanceState, started: HistoryEvent, replaceEtag?: string): Promise<{ etag: string | undefined; queued: InboxMessage }>;
  appendInbox(instanceId: string, executionId: string, event: HistoryEvent): Promise<void>;
  /** The state row and up to `max` inbox messages, in one query (both live in the same partition). */
  readInstance(instanceId: string, max: number): Promise<{ stored: StoredInstance | undefined; inbox: InboxMessage[] }>;
  readHistory(state: InstanceState): Promise<HistoryRecord[]>;
  /**
   * Writes `added` after the committed history, replaces the state row with `next` (if it still has
   * `previous.etag`), drops `consumed` and queues `enqueue` for `next`: one transaction when it fits.
   * Returns the state row's new etag (undefined if the transaction response lacks it).
   */
  commitStep(previous: StoredInstance, added: HistoryRecord[], consumed: InboxMessage[], next: InstanceState, enqueue?: HistoryEvent[]): Promise<string | undefined>;
  /** Deletes every row of the instance. Returns whether it existed. */
  purge(instanceId: string): Promise<boolean>;
}

export function createDurableStore(connectionString: string, taskHub: string): DurableStore {
  // Table names are alphanumeric and start with a letter.
  const hub = taskHub.replace(/[^A-Za-z0-9]/g, '') || 'TestHub';
  const instances = TableClient.fromConnectionString(connectionString, `${hub}Instances`, { allowInsecureConnection: true });
  /** Earlier versions' history table: read and purged, never written, never created. */
  const legacyHistory = TableClient.fromConnectionString(connectionString, `${hub}History`, { allowInsecureConnection: true });
  let inboxCounter = 0;

  async function listPartition(client: TableClient, partitionKey: string, from = '', to = '~'): Promise<TableEntityResult<Record<string, unknown>>[]> {
    const rows: TableEntityResult<Record<string, unknown>>[] = [];
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${from} and RowKey lt ${to}`;
    for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(row);
    return rows;
  }

  async function listLegacyPartition(partitionKey: string, from = '', to = '~'): Promise<TableEntityResult<Record<string, unknown>>[]> {
    try {
      return await listPartition(legacyHistory, partitionKey, from, to);
    } catch (e) {
      // A data folder created by this version has no legacy table.
      if ((e as { statusCode?: number }).statusCode === 404) return [];
      throw e;
    }
  }

  async function submitInChunks(client: TableClient, actions: TransactionAction[]): Promise<void> {
    for (let i = 0; i < actions.length; i += MAX_TRANSACTION) {
      await client.submitTransaction(actions.slice(i, i + MAX_TRANSACTION));
    }
  }

  return {
    async init() {
      await instances.createTable();
    },

    async getInstance(instanceId) {
      try {
        const row = await instances.getEntity<{ State: string }>(instanceId, STATE_KEY);
        return { state: JSON.parse(row.State) as InstanceState, etag: row.etag };
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw e;
      }
    },

    async listInstances() {
      const out: InstanceState[] = [];
      const filter = odata`RowKey eq ${STATE_KEY}`;
      for await (const row of instances.listEntities<{ State: string }>({ queryOptions: { filter } })) {
        out.push(JSON.parse(row.State) as InstanceState);
      }
      return out;
    },

    async startInstance(state, started, replaceEtag) {
      const stateRow = stateEntity(state);
      const rowKey = nextInboxKey();
      const inboxRow = inboxEntity(state.instanceId, state.executionId, started, rowKey);
      const first: TransactionAction = replaceEtag
        ? ['update', stateRow, 'Replace', { etag: replaceEtag }]
        : ['create', stateRow];
      const response = await instances.submitTransaction([first, ['create', inboxRow]]);
      // Sub-responses come in the order of the actions: the state row's is the first. The message as
      // read back from its row (JSON drops undefined fields).
      return { etag: response.subResponses[0]?.etag, queued: { rowKey, executionId: state.executionId, event: JSON.parse(inboxRow.Event) as HistoryEvent } };
    },

    async appendInbox(instanceId, executionId, event) {
      await instances.createEntity(inboxEntity(instanceId, executionId, event, nextInboxKey()));
    },

    async readInstance(instanceId, max) {
      // `inbox|...` sorts before `state`: one range query returns the inbox in order, then the state.
      const rows = await listPartition(instances, instanceId, INBOX_PREFIX, `${STATE_KEY}~`);
      const stateRow = rows.find((row) => row.rowKey === STATE_KEY);
      const inbox = rows.filter((row) => row.rowKey !== STATE_KEY).slice(0, max).map(toInboxMessage);
      if (!stateRow) return { stored: undefined, inbox };
      return { stored: { state: JSON.parse(String(stateRow.State)) as InstanceState, etag: stateRow.etag }, inbox };
    },

    async readHistory(state) {
      // Rows past historyLength belong to a step whose commit did not finish: not history yet.
      if (state.historyLength === 0) return [];
      const prefix = `${HISTORY_PREFIX}${state.executionId}|`;
      const records: (HistoryRecord | undefined)[] = new Array<HistoryRecord | undefined>(state.historyLength).fill(undefined);
      let found = 0;
      for (const row of await listPartition(instances, state.instanceId, prefix, `${prefix}~`)) {
        const seq = Number(row.rowKey!.slice(prefix.length));
        if (seq < state.historyLength && !records[seq]) {
          records[seq] = toHistoryRecord(row);
          found++;
        }
      }
      if (found < state.historyLength) {
        // The first steps of an instance that an earlier version committed.
        const legacyPrefix = `${state.executionId}|`;
        for (const row of await listLegacyPartition(state.instanceId, legacyPrefix, `${legacyPrefix}~`)) {
          const seq = Number(row.rowKey!.slice(legacyPrefix.length));
          if (seq < state.historyLength && !records[seq]) records[seq] = toHistoryRecord(row);
        }
      }
      return records.filter((r): r is HistoryRecord => r !== undefined);
    },

    async commitStep(previous, added, consumed, next, enqueue = []) {
      const base = previous.state.historyLength;
      const historyRows: TransactionAction[] = added.map((record, i) => [
        'upsert',
        historyEntity(next.instanceId, next.executionId, base + i, record),
        'Replace',
      ]);
      // The state row first: when its etag no longer matches, the transaction fails before any write.
      const commit: TransactionAction[] = [
        ['update', stateEntity(next), 'Replace', { etag: previous.etag }],
        ...consumed.map((m): TransactionAction => ['delete', { partitionKey: next.instanceId, rowKey: m.rowKey }]),
        ...enqueue.map((e): TransactionAction => ['create', inboxEntity(next.instanceId, next.executionId, e, nextInboxKey())]),
      ];
      if (commit.length > MAX_TRANSACTION) throw new Error(`a step may consume at most ${MAX_TRANSACTION - 2} inbox messages`);
      // The history rows that do not fit go first; past historyLength until the commit below.
      const ahead = Math.max(0, historyRows.length - (MAX_TRANSACTION - commit.length));
      await submitInChunks(instances, historyRows.slice(0, ahead));
      const response = await instances.submitTransaction([...commit, ...historyRows.slice(ahead)]);
      // Sub-responses come in the order of the actions: the state row's is the first.
      return response.subResponses[0]?.etag;
    },

    async purge(instanceId) {
      const legacy = await listLegacyPartition(instanceId);
      await submitInChunks(legacyHistory, legacy.map((r): TransactionAction => ['delete', { partitionKey: instanceId, rowKey: r.rowKey! }]));
      // In row key order, so the state row goes last: a purge cut short leaves an instance to purge again.
      const own = await listPartition(instances, instanceId);
      await submitInChunks(instances, own.map((r): TransactionAction => ['delete', { partitionKey: instanceId, rowKey: r.rowKey! }]));
      return own.some((r) => r.rowKey === STATE_KEY);
    },
  };

  function nextInboxKey(): string {
    // Time first so the inbox reads in arrival order; the counter and a random tail keep keys unique
    // across messages of the same millisecond and across runtimes sharing the storage.
    inboxCounter = (inboxCounter + 1) % 1e6;
    return `${INBOX_PREFIX}${String(Date.now()).padStart(15, '0')}|${String(inboxCounter).padStart(6, '0')}|${randomUUID()}`;
  }
}

function toInboxMessage(row: TableEntityResult<Record<string, unknown>>): InboxMessage {
  return { rowKey: row.rowKey!, executionId: String(row.ExecutionId), event: JSON.parse(String(row.Event)) as HistoryEvent };
}

function toHistoryRecord(row: TableEntityResult<Record<string, unknown>>): HistoryRecord {
  const record: HistoryRecord = { event: JSON.parse(String(row.Event)) as HistoryEvent };
  if (typeof row.RetryOf === 'number') record.retryOf = row.RetryOf;
  return record;
}

function stateEntity(state: InstanceState) {
  return {
    partitionKey: state.instanceId,
    rowKey: STATE_KEY,
    // Readable columns for people inspecting the table; `State` is what the runtime reads.
    Name: state.name,
    RuntimeStatus: state.status,
    ExecutionId: state.executionId,
    State: JSON.stringify(state),
  };
}

function inboxEntity(instanceId: string, executionId: string, event: HistoryEvent, rowKey: string) {
  return { partitionKey: instanceId, rowKey, ExecutionId: executionId, EventType: eventTypeName(event.EventType), Event: JSON.stringify(event) };
}

function historyEntity(instanceId: string, executionId: string, seq: number, record: HistoryRecord) {
  const { event } = record;
  return {
    partitionKey: instanceId,
    rowKey: `${HISTORY_PREFIX}${executionId}|${String(seq).padStart(8, '0')}`,
    ExecutionId: executionId,
    EventType: eventTypeName(event.EventType),
    EventId: event.EventId,
    Name: event.Name ?? '',
    ...(record.retryOf !== undefined ? { RetryOf: record.retryOf } : {}),
    Event: JSON.stringify(event),
  };
}
