// local/eventhubs/managementResponse.ts: answers `$management` READ requests as the service does, for the
// SDK's getEventHubProperties (`com.microsoft:eventhub`) and getPartitionProperties (`com.microsoft:partition`).
import type { PartitionLog } from './partitionLog';

export interface HubState {
  name: string;
  createdAt: Date;
  partitions: PartitionLog[];
}

export interface ManagementResponse {
  statusCode: number;
  description: string;
  condition?: string;
  body?: Record<string, unknown>;
}

export function managementResponse(properties: Record<string, unknown>, hubs: Map<string, HubState>, host: string): ManagementResponse {
  const { operation, type, name, partition } = properties;
  if (operation !== 'READ') return failure(400, 'amqp:not-implemented', `The operation '${String(operation)}' is not supported.`);
  const hub = hubs.get(String(name));
  if (!hub) return notFound(`sb://${host}/${String(name)}`);
  if (type === 'com.microsoft:eventhub') {
    return ok({
      name: hub.name,
      type,
      created_at: hub.createdAt,
      partition_count: hub.partitions.length,
      partition_ids: hub.partitions.map((_, i) => String(i)),
    });
  }
  if (type === 'com.microsoft:partition') {
    const log = hub.partitions[Number(partition)];
    if (!log || String(Number(partition)) !== String(partition)) {
      return notFound(`sb://${host}/${hub.name}/Partitions/${String(partition)}`);
    }
    const last = log.events[log.events.length - 1];
    return ok({
      name: hub.name,
      type,
      partition: String(partition),
      begin_sequence_number: 0,
      // An empty partition reports -1 / "-1" / the epoch, as the service does.
      last_enqueued_sequence_number: last ? last.sequenceNumber : -1,
      last_enqueued_offset: last ? String(last.offset) : '-1',
      last_enqueued_time_utc: new Date(last ? last.enqueuedTimeMs : 0),
      is_partition_empty: last === undefined,
    });
  }
  return failure(400, 'amqp:not-implemented', `The entity type '${String(type)}' is not supported.`);
}

/** The service's wording; the SDK maps "could not be found" to MessagingEntityNotFoundError. */
export function entityNotFoundDescription(entity: string): string {
  return `The messaging entity '${entity}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.`;
}

function ok(body: Record<string, unknown>): ManagementResponse {
  return { statusCode: 200, description: 'OK', body };
}

function notFound(entity: string): ManagementResponse {
  return failure(404, 'amqp:not-found', entityNotFoundDescription(entity));
}

function failure(statusCode: number, condition: string, description: string): ManagementResponse {
  return { statusCode, condition, description };
}
