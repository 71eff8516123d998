// local/eventhubs/trigger.ts: runs the app's Event Hubs-triggered functions the way the Functions host
// does: the real EventHubConsumerClient on every partition, checkpoints in blob storage under the host's
// layout (container `azure-webjobs-eventhub`, blobs `<namespace>/<hub>/<consumergroup>/checkpoint/<partition>`
// with `offset` and `sequencenumber` metadata, written by @azure/eventhubs-checkpointstore-blob), batches
// of up to host.json `extensions.eventHubs.maxEventBatchSize`, one batch at a time per partition.
//
// Delivery is at least once, as in Azure: the checkpoint follows every batch, even one whose handler threw
// (the failure is logged and the batch skipped), so after a restart only a batch that was running when the
// process stopped is seen again.
import { randomUUID } from 'node:crypto';
import {
  EventHubConsumerClient,
  earliestEventPosition,
  type PartitionContext,
  type ReceivedEventData,
  type Subscription,
} from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { InvocationContext, type TriggerMetadata } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import type { RegisteredFunction } from '../functionsCore';
import { toBatchTriggerInput, toSingleTriggerInput, type TriggerInput } from './toTriggerInput';

export const CHECKPOINT_CONTAINER = 'azure-webjobs-eventhub';

export interface EventHubTriggersOptions {
  functions: RegisteredFunction[];
  /** Stands in for every `connection` app setting the bindings name. */
  eventHubsConnectionString: string;
  storageConnectionString: string;
  hostJson: unknown;
  log?: (msg: string) => void;
  /**
   * Builds each invocation's context, extra inputs included (the runtime's factory gives a durable client
   * to a trigger that starts orchestrations, as the host does); a bare context when absent.
   */
  newContext?: (fn: RegisteredFunction, triggerMetadata?: TriggerMetadata) => InvocationContext;
}

interface EventHubsHostSettings {
  maxEventBatchSize: number;
  prefetchCount: number;
}

export async function startEventHubTriggers(opts: EventHubTriggersOptions): Promise<{ stop(): Promise<void> }> {
  const log = opts.log ?? (() => undefined);
  const settings = eventHubsHostSettings(opts.hostJson);
  const triggered = opts.functions.filter((f) => f.trigger.type.toLowerCase() === 'eventhubtrigger');
  if (triggered.length === 0) return { stop: async () => undefined };

  const container = BlobServiceClient.fromConnectionString(opts.storageConnectionString).getContainerClient(CHECKPOINT_CONTAINER);
  await container.createIfNotExists();
  const checkpointStore = new BlobCheckpointStore(container);

  const running: { client: EventHubConsumerClient; subscription: Subscription }[] = [];
  const inFlight = new Set<Promise<void>>();
  for (const fn of triggered) {
    const trigger = fn.trigger as { eventHubName?: string; consumerGroup?: string; cardinality?: string; dataType?: string };
    if (!trigger.eventHubName) throw new Error(`function "${fn.name}": eventHubTrigger has no eventHubName`);
    const client = new EventHubConsumerClient(
      // The host's default spelling; the SDK's constant is lower case and would leak into triggerMetadata.
      trigger.consumerGroup ?? '$Default',
      opts.eventHubsConnectionString,
      trigger.eventHubName,
      checkpointStore,
      // One local instance owns every partition: claim them all at once instead of one per interval.
      { loadBalancingOptions: { strategy: 'greedy', updateIntervalInMs: 2000 } },
    );
    const invoke = (input: TriggerInput) => invokeHandler(fn, input, log, opts.newContext);
    const subscription = client.subscribe(
      {
        processEvents: async (events, context) => {
          if (events.length === 0) return; // the host never invokes a function with nothing
          const batch = (async () => {
            try {
              if (trigger.cardinality === 'one') {
                for (const e of events) await invoke(toSingleTriggerInput(e, context, trigger.dataType));
              } else {
                await invoke(toBatchTriggerInput(events, context, trigger.dataType));
              }
            } catch (err) {
              log(`${fn.name}: batch of ${events.length} from partition ${context.partitionId} failed and is skipped: ${describe(err)}`);
            }
            await checkpoint(context, events);
          })();
          inFlight.add(batch);
          await batch.finally(() => inFlight.delete(batch));
        },
        processError: async (err, context) => {
          log(`${fn.name}: Event Hubs error on partition ${context.partitionId || '(none)'}: ${describe(err)}`);
        },
      },
      {
        startPosition: earliestEventPosition,
        maxBatchSize: settings.maxEventBatchSize,
        maxWaitTimeInSeconds: 1,
        prefetchCount: settings.prefetchCount,
        skipParsingBodyAsJson: true,
      },
    );
    running.push({ client, subscription });
  }

  async function checkpoint(context: PartitionContext, events: ReceivedEventData[]): Promise<void> {
    try {
      await context.updateCheckpoint(events[events.length - 1]!);
    } catch (err) {
      log(`checkpoint of partition ${context.partitionId} failed (the batch may be seen again): ${describe(err)}`);
    }
  }

  return {
    async stop() {
      // Closing a subscription stops receiving and gives the partitions up (a restarted runtime claims
      // them at once), but does not wait for a handler that is running: wait for those batches and their
      // checkpoints here, so nothing runs after stop() and a clean restart repeats nothing.
      await Promise.all(running.map((r) => r.subscription.close()));
      await Promise.allSettled([...inFlight]);
      await Promise.all(running.map((r) => r.client.close()));
    },
  };
}

async function invokeHandler(
  fn: RegisteredFunction,
  { input, triggerMetadata }: TriggerInput,
  log: (msg: string) => void,
  newContext?: EventHubTriggersOptions['newContext'],
): Promise<void> {
  if (newContext) {
    await fn.handler(input, newContext(fn, triggerMetadata as TriggerMetadata));
    return;
  }
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName: fn.name,
    logHandler: (level, ...args) => log(`${fn.name} [${level}] ${args.map(String).join(' ')}`),
    triggerMetadata,
    options: { trigger: fn.trigger as never, extraInputs: [], extraOutputs: [] },
  });
  await fn.handler(input, context);
}

function eventHubsHostSettings(hostJson: unknown): EventHubsHostSettings {
  const eh = (hostJson as { extensions?: { eventHubs?: Record<string, unknown> } } | undefined)?.extensions?.eventHubs ?? {};
  const positive = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback);
  const maxEventBatchSize = positive(eh.maxEventBatchSize, 100);
  return { maxEventBatchSize, prefetchCount: Math.max(positive(eh.prefetchCount, 300), maxEventBatchSize) };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
