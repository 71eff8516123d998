// local/eventhubs/server.ts: a local Event Hubs namespace, an AMQP 1.0 server on rhea that the real
// @azure/event-hubs clients talk to (connection string with UseDevelopmentEmulator=true: plain TCP, SASL
// ANONYMOUS). It speaks the parts of the protocol those clients use: CBS put-token, $management READs,
// partitioned send (batch format 0x80013700) and receive with the selector filter.
//
// Consumer groups: every hub has `$Default`, and any other group a receiver names is accepted (created on
// first use). Positions live in the client (checkpoints), so a group has no server-side state; accepting
// any name lets an app's bindings be the only configuration. Exclusive receivers (owner level / epoch) are
// not enforced.
import type { Server, Socket } from 'node:net';
import path from 'node:path';
import { create_container, type Connection, type Delivery, type EventContext, type Message, type Receiver, type Sender } from 'rhea';
import { entityNotFoundDescription, managementResponse, type HubState } from './managementResponse';
import { partitionForKey } from './partitionForKey';
import { openPartitionLog } from './partitionLog';
import { startIndexFromFilter } from './selectorFilter';
import { unpackTransfer } from './unpackTransfer';

/** The service's limit for one event or one batch (Basic and Standard tiers). */
export const MAX_MESSAGE_SIZE = 1024 * 1024;

export interface EventHubsServerOptions {
  port?: number;
  /** Folder for the partition logs; events are kept in memory only when absent. */
  dataDir?: string;
  hubs: { name: string; partitions: number }[];
  /** Where protocol errors go (a client that breaks the protocol, a bug here); console.error by default. */
  log?: (msg: string) => void;
}

export interface EventHubsServer {
  port: number;
  connectionString: string;
  stop(): Promise<void>;
}

interface Subscription {
  link: Sender;
  hub: HubState;
  partition: number;
  next: number;
}

const HOST = '127.0.0.1';
const SELECTOR_FILTER = 'apache.org:selector-filter:string';

export async function startEventHubsServer(opts: EventHubsServerOptions): Promise<EventHubsServer> {
  const hubs = new Map<string, HubState>();
  const subscriptions = new Map<string, Set<Subscription>>(); // key: `${hub}/${partition}`
  const replyLinks = new WeakMap<Connection, Sender[]>();
  const pendingReplies = new WeakMap<Sender, Message[]>();
  const roundRobin = new Map<string, number>();

  for (const { name, partitions } of opts.hubs) {
    const hub: HubState = { name, createdAt: new Date(), partitions: [] };
    for (let p = 0; p < partitions; p++) {
      const file = opts.dataDir ? path.join(opts.dataDir, name, `${p}.log`) : undefined;
      hub.partitions.push(openPartitionLog(file, () => pumpPartition(name, p)));
      subscriptions.set(`${name}/${p}`, new Set());
    }
    hubs.set(name, hub);
  }

  function pumpPartition(hubName: string, partition: number): void {
    for (const sub of subscriptions.get(`${hubName}/${partition}`) ?? []) pump(sub);
  }

  // Sends only while the receiver has granted credit and the session window is open: rhea would
  // otherwise buffer without bound. Pre-encoded bytes go out as they are (format 0).
  function pump(sub: Subscription): void {
    const events = sub.hub.partitions[sub.partition]!.events;
    while (sub.next < events.length && sub.link.sendable()) {
      sub.link.send(events[sub.next]!.message, undefined, 0);
      sub.next++;
    }
  }

  // A reply goes to the requester's receiver on the same node: the one whose target is the request's
  // reply_to, or else (the CBS client leaves its target empty) the connection's open link on that node.
  function reply(connection: Connection, node: string, replyTo: string | undefined, message: Message): void {
    const links = (replyLinks.get(connection) ?? []).filter((l) => l.is_open() && l.source?.address === node);
    const link = links.find((l) => replyTo !== undefined && l.target?.address === replyTo) ?? links[0];
    if (!link) return; // the requester closed its reply link; nobody is waiting
    const queue = pendingReplies.get(link) ?? [];
    queue.push(message);
    pendingReplies.set(link, queue);
    flushReplies(link);
  }

  function flushReplies(link: Sender): void {
    const queue = pendingReplies.get(link) ?? [];
    while (queue.length > 0 && link.sendable()) link.send(queue.shift()!);
  }

  function refuse(link: Sender | Receiver, entity: string): void {
    link.close({ condition: 'amqp:not-found', description: entityNotFoundDescription(`sb://${HOST}/${entity}`) });
  }

  const container = create_container({ id: 'pos-hub-local-eventhubs', autoaccept: false });

  // The client's sender: $cbs, $management, `<hub>` or `<hub>/Partitions/<id>`.
  container.on('receiver_open', (context: EventContext) => {
    const link = context.receiver!;
    const address = String(link.target?.address ?? '');
    link.set_target({ address });
    if (address === '$cbs' || address === '$management') return;
    const [hubName, partitionWord, partitionId] = address.split('/');
    const hub = hubs.get(hubName ?? '');
    const partitionOk = partitionWord === undefined || (partitionWord === 'Partitions' && hub?.partitions[Number(partitionId)] !== undefined);
    if (!hub || !partitionOk) return refuse(link, address);
    // Advertised so the SDK's createBatch() sizes batches to the service limit.
    (link as unknown as { local: { attach: { max_message_size: number } } }).local.attach.max_message_size = MAX_MESSAGE_SIZE;
  });

  // The client's receiver: a reply link for $cbs/$management, or a partition of a consumer group.
  container.on('sender_open', (context: EventContext) => {
    const link = context.sender!;
    const source = link.source as { address?: string; filter?: Record<string, unknown> } | undefined;
    const address = String(source?.address ?? '');
    if (address === '$cbs' || address === '$management') {
      link.set_source({ address });
      const links = (replyLinks.get(link.connection) ?? []).filter((l) => !l.is_closed());
      replyLinks.set(link.connection, [...links, link]);
      return;
    }
    const m = /^([^/]+)\/ConsumerGroups\/([^/]+)\/Partitions\/([^/]+)$/.exec(address);
    const hub = m ? hubs.get(m[1]!) : undefined;
    const partition = Number(m?.[3]);
    if (!hub || !hub.partitions[partition]) return refuse(link, address);
    const filter = selectorFilterText(source?.filter?.[SELECTOR_FILTER]);
    let next: number;
    try {
      next = startIndexFromFilter(filter, hub.partitions[partition].events);
    } catch (err) {
      link.close({ condition: 'amqp:invalid-field', description: (err as Error).message });
      return;
    }
    link.set_source({ address, ...(filter !== undefined && { filter: source?.filter }) });
    const sub: Subscription = { link, hub, partition, next };
    subscriptions.get(`${hub.name}/${partition}`)!.add(sub);
    (link as unknown as { local: { attach: { snd_settle_mode: number } } }).local.attach.snd_settle_mode = 1; // pre-settled
    link.once('sender_close', () => subscriptions.get(`${hub.name}/${partition}`)?.delete(sub));
    (link as unknown as { subscription: Subscription }).subscription = sub;
  });

  container.on('sendable', (context: EventContext) => {
    const link = context.sender!;
    const sub = (link as unknown as { subscription?: Subscription }).subscription;
    if (sub) pump(sub);
    else flushReplies(link);
  });

  container.on('message', (context: EventContext) => {
    const link = context.receiver!;
    const delivery = context.delivery!;
    const address = String(link.target?.address ?? '');
    if (address === '$cbs') return answerCbs(context);
    if (address === '$management') return answerManagement(context);
    const format = (context as unknown as { format?: number }).format ?? 0;
    const [hubName, , partitionId] = address.split('/');
    const hub = hubs.get(hubName!)!;
    let transfer;
    try {
      transfer = unpackTransfer(context.message as never, format);
    } catch (err) {
      return delivery.reject({ condition: 'amqp:decode-error', description: (err as Error).message });
    }
    if (transfer.size > MAX_MESSAGE_SIZE) {
      return delivery.reject({
        condition: 'amqp:link:message-size-exceeded',
        description:
          `The received message (delivery-id:${delivery.id}, size:${transfer.size} bytes) exceeds the limit ` +
          `(${MAX_MESSAGE_SIZE} bytes) currently allowed on the link.`,
      });
    }
    // One transfer (a batch) lands in one partition, as with the service: a key picks it by hash,
    // otherwise the hub round-robins.
    const count = hub.partitions.length;
    const partition =
      partitionId !== undefined
        ? Number(partitionId)
        : transfer.partitionKey !== undefined
          ? partitionForKey(transfer.partitionKey, count)
          : nextRoundRobin(hub);
    const pk = transfer.partitionKey;
    hub.partitions[partition]!.append(transfer.events.map((encoded) => (pk === undefined ? { encoded } : { encoded, partitionKey: pk })))
      .then(() => delivery.accept())
      .catch((err: Error) => settleIfOpen(delivery, { condition: 'amqp:internal-error', description: err.message }));
  });

  function nextRoundRobin(hub: HubState): number {
    const n = roundRobin.get(hub.name) ?? 0;
    roundRobin.set(hub.name, n + 1);
    return n % hub.partitions.length;
  }

  function answerCbs(context: EventContext): void {
    const request = context.message!;
    context.delivery!.accept();
    // Any token is accepted: the local namespace has no secrets to protect.
    reply(context.connection, '$cbs', request.reply_to, {
      correlation_id: request.message_id,
      application_properties: { 'status-code': 202, 'status-description': 'Accepted' },
      body: null,
    });
  }

  function answerManagement(context: EventContext): void {
    const request = context.message!;
    context.delivery!.accept();
    const res = managementResponse(request.application_properties ?? {}, hubs, HOST);
    reply(context.connection, '$management', request.reply_to, {
      correlation_id: request.message_id,
      application_properties: {
        'status-code': res.statusCode,
        'status-description': res.description,
        ...(res.condition !== undefined && { 'error-condition': res.condition }),
      },
      body: res.body ?? null,
    });
  }

  // Clients that vanish or detach with an error must not take the server down.
  const log = opts.log ?? ((msg: string) => console.error(msg));
  container.on('error', (err: unknown) => log(`local Event Hubs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
  container.on('disconnected', (context: EventContext) => {
    for (const subs of subscriptions.values()) {
      for (const sub of subs) if (sub.link.connection === context.connection) subs.delete(sub);
    }
  });

  const server = container.listen({ host: HOST, port: opts.port ?? 0 }) as unknown as Server;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as { port: number }).port;

  return {
    port,
    connectionString: `Endpoint=sb://${HOST}:${port};SharedAccessKeyName=local;SharedAccessKey=local-dev;UseDevelopmentEmulator=true`,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const hub of hubs.values()) for (const log of hub.partitions) log.close();
    },
  };
}

/** rhea hands the filter value over either unwrapped (a string) or as a described value. */
function selectorFilterText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const inner = (value as { value?: unknown }).value;
  return typeof inner === 'string' ? inner : String(inner);
}

function settleIfOpen(delivery: Delivery, error: { condition: string; description: string }): void {
  try {
    delivery.reject(error);
  } catch {
    // the link is gone; the client will time out and retry
  }
}
