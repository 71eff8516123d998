// bench/simulate/planTraffic.ts: the whole run's requests, decided by the seed alone: which POS
// sends what, in which store, which members shop where, which returns refer to sales sent earlier,
// which bodies are resent, broken or carry a card number. Pure: the same options give the same plan,
// so a test can plan the run itself and compare with what the hub stored.
import { randomUUID } from 'node:crypto';
import type { SourceName } from '../../shared/model';
import { GENERATORS } from '../generators';
import { createRng, type Rng } from '../rng';
import { expectTransactions, type ExpectedTransaction } from './expectTransactions';
import { malformedEvent, type MalformedEventKind } from './malformedEvent';
import { malformedVariant, type MalformedKind } from './malformedVariant';
import { originalOfReturn } from './originalOfReturn';
import { cardNumberFrom, plantCardNumber } from './plantCardNumber';
import { remapStores, storeIdOf } from './remapStores';
import { seedOf } from './seedOf';
import { shareLoyaltyCustomers } from './shareLoyaltyCustomers';
import { contentTypeOf, pickSource, type SourceMix, type WebhookVendor } from './trafficMix';

export interface TrafficShares {
  /** Resends of an earlier body (a POS that did not see the answer, a vendor redelivering). */
  duplicate: number;
  malformed: number;
  /** Payloads carrying a planted card number. */
  plantedCard: number;
  /** Payloads whose customers are loyalty members (who also shop in other channels). */
  loyalty: number;
  /** Lightspeed X sales and CSV transactions voided at the till. */
  void: number;
}

export const DEFAULT_SHARES: TrafficShares = {
  duplicate: 0.05,
  malformed: 0.04,
  plantedCard: 0.05,
  loyalty: 0.5,
  void: 0.25,
};

export interface PlanOptions {
  stores: number;
  minutes: number;
  /** Payloads per second. */
  rate: number;
  seed: number;
  maxPayloads?: number;
  /** Vendors the sender can sign for; the others' payloads go through the ingest API. */
  webhooks: Record<WebhookVendor, boolean>;
  /** The instant the hub's quality rules compare times with (future-dated transactions). */
  now: number;
  shares?: Partial<TrafficShares>;
  /**
   * Share (0..1) of the in-store sources' payloads (not Shopify or Square) sent as Event Hubs events
   * instead of HTTP posts; default 0. Decided per payload from the seed alone, so a run with another
   * share sends the same bodies and only their transport changes.
   */
  eventHubsShare?: number;
  /** Loyalty members in the pool (default: 3 per store, at least 4). */
  members?: number;
}

export type Purpose = 'traffic' | 'original' | 'duplicate' | 'malformed';

export interface PlannedRequest {
  n: number;
  source: SourceName;
  /** `ingest`, the vendor whose webhook endpoint it goes to, or `eventhubs` (an event, not a request). */
  via: 'ingest' | WebhookVendor | 'eventhubs';
  /** The HTTP path; `eventhubs` for an event. */
  path: string;
  contentType: string;
  body: string;
  /** Non-secret headers (vendor event ids, topics, Toast's restaurant); signatures are added when sent. */
  headers: Record<string, string>;
  purpose: Purpose;
  /** For duplicates: the request resent. */
  duplicateOf?: number;
  malformed?: MalformedKind | MalformedEventKind;
  /** Statuses the contract allows for this request (none for an event: the hub does not answer one). */
  expectStatus: number[];
  /** An event's application properties (`source`, `storeId`, `contentType`), as the trigger reads them. */
  properties?: Record<string, string>;
  /** A malformed event: the error code of the dead letter the hub's trigger will write for it. */
  deadLetterCode?: string;
  /** Signed with a secret the hub does not know. */
  forgeSignature: boolean;
  /** Square: the envelope's created_at is set when sent, as Square does (older than 72 h is refused). */
  stampSentAt: boolean;
  transactions: ExpectedTransaction[];
  /** Planted card numbers (in memory only: reports show the mask). */
  plantedCards: { pan: string; where: string }[];
  /** Loyalty members in the body. */
  members: string[];
}

export interface TrafficPlan {
  options: PlanOptions;
  requests: PlannedRequest[];
}

const uuidFrom = (rng: Rng) => {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(rng.next() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-9${hex(3)}-${hex(12)}`;
};

/** The shares of payloads with each feature; the total count is rate x minutes, capped. */
export function payloadCount(o: Pick<PlanOptions, 'minutes' | 'rate' | 'maxPayloads'>): number {
  const byTime = Math.floor(o.minutes * 60 * o.rate);
  return Math.max(0, Math.min(byTime, o.maxPayloads ?? byTime));
}

function headersFor(
  mix: SourceMix,
  via: PlannedRequest['via'],
  body: string,
  storeId: string,
  rng: Rng,
): Record<string, string> {
  // An event carries application properties, not HTTP headers (Toast's restaurant id cannot travel).
  if (via === 'eventhubs') return {};
  // An in-store system posting to the ingest API knows its store and says so (a terminal's payment
  // names none); the hub uses it only for payloads that name no store. Webhook vendors' bodies don't get
  // one: a web order has no store.
  const store: Record<string, string> = via === 'ingest' && !mix.webhook ? { 'x-pos-hub-store-id': storeId } : {};
  if (mix.source === 'toast') return { ...store, 'toast-restaurant-external-id': storeId };
  if (via === 'shopify') {
    return {
      'x-shopify-topic': body.includes('"refund_line_items"') ? 'refunds/create' : 'orders/create',
      'x-shopify-webhook-id': uuidFrom(rng),
      'x-shopify-shop-domain': 'northwind-demo.myshopify.com',
      'x-shopify-api-version': '2025-10',
    };
  }
  return store;
}

/** CSV: the first sale in the file becomes a void (cancelled at the till after it was rung up). */
function voidFirstCsvSale(text: string): string | null {
  const lines = text.split('\r\n');
  const header = lines[0]!.split(',');
  const id = header.indexOf('transaction_id');
  const kind = header.indexOf('kind');
  const first = lines
    .slice(1)
    .map((l) => l.split(','))
    .find((c) => c[kind] === 'sale');
  if (!first || lines.some((l) => l.includes('"'))) return null;
  const target = first[id];
  return lines
    .map((l, k) => {
      if (k === 0) return l;
      const cells = l.split(',');
      if (cells[id] !== target || cells[kind] !== 'sale') return l;
      cells[kind] = 'void';
      return cells.join(',');
    })
    .join('\r\n');
}

function voided(source: SourceName, text: string): string | null {
  if (
    source === 'lightspeed-x' &&
    text.includes('"status":"CLOSED","state":"closed"') &&
    text.includes('"return_for":null')
  ) {
    return text.replace('"status":"CLOSED","state":"closed"', '"status":"VOIDED","state":"voided"');
  }
  if (source === 'csv') return voidFirstCsvSale(text);
  return null;
}

/** The whole plan at once (tests; a run plans as it sends, see planRequests). */
export function planTraffic(options: PlanOptions): TrafficPlan {
  return { options, requests: [...planRequests(options)] };
}

/**
 * The plan's requests in sending order, made one at a time so that a long run starts sending at once
 * (working out the expected transactions runs the hub's pipeline on every body).
 */
export function* planRequests(options: PlanOptions): Generator<PlannedRequest> {
  const shares = { ...DEFAULT_SHARES, ...options.shares };
  const total = payloadCount(options);
  const pool = options.members ?? Math.max(4, options.stores * 3);
  const rng = createRng(options.seed);
  let count = 0;
  const nextIndex = new Map<SourceName, number>();
  const sentIds = new Set<string>();
  const sentKeys = new Set<string>();
  const keyOf = (source: string, sourceKey: string) => `${source}\u0000${sourceKey}`;
  const indexFor = (source: SourceName) => {
    const i = nextIndex.get(source) ?? 0;
    nextIndex.set(source, i + 1);
    return i;
  };
  const streamShare = options.eventHubsShare ?? 0;
  // Own stream per payload (source, index): the share never shifts the rest of the plan.
  const byStream = (mix: SourceMix, i: number) =>
    !mix.webhook &&
    streamShare > 0 &&
    createRng(seedOf(options.seed, 'eventhubs', mix.source, i)).next() < streamShare;
  const via = (mix: SourceMix, i: number): PlannedRequest['via'] =>
    mix.webhook && options.webhooks[mix.webhook] ? mix.webhook : byStream(mix, i) ? 'eventhubs' : 'ingest';
  const pathOf = (source: SourceName, v: PlannedRequest['via']) =>
    v === 'eventhubs' ? 'eventhubs' : v === 'ingest' ? `/api/v1/ingest/${source}` : `/api/v1/webhooks/${v}`;
  const propertiesOf = (source: SourceName, v: PlannedRequest['via'], storeId: string) =>
    v === 'eventhubs' ? { properties: { source, storeId, contentType: contentTypeOf(source) } } : {};
  const resendable: PlannedRequest[] = [];
  const push = (r: Omit<PlannedRequest, 'n'> & { n?: number }): PlannedRequest => {
    const request = { ...r, n: count++ };
    if (r.purpose === 'traffic' || r.purpose === 'original') {
      resendable.push(request);
      // Resends come soon after the first send (a POS retrying, a vendor redelivering): the last 20.
      if (resendable.length > 20) resendable.shift();
    }
    for (const tx of r.transactions) {
      sentIds.add(tx.id);
      sentKeys.add(keyOf(tx.source, tx.sourceKey));
    }
    return request;
  };

  while (count < total) {
    const roll = rng.next();
    if (roll < shares.duplicate && resendable.length > 0) {
      const first = resendable[Math.max(0, resendable.length - 1 - rng.int(0, 19))]!;
      yield push({
        ...first,
        purpose: 'duplicate',
        duplicateOf: first.n,
        // A webhook redelivery is answered 200 "duplicate" once the first is recorded, 202 before; an
        // event sent again is simply another event (its transactions are loaded once, by id).
        expectStatus: first.via === 'eventhubs' ? [] : first.via === 'ingest' ? [202] : [200, 202],
        transactions: [],
        plantedCards: [],
        members: [],
      });
      continue;
    }
    const mix = pickSource(rng.next());
    const i = indexFor(mix.source);
    const prng = createRng(seedOf(options.seed, mix.source, i));
    const storeId = storeIdOf(rng.int(0, options.stores - 1));
    let text = remapStores(GENERATORS[mix.source]!(prng, i), storeId);
    const v = via(mix, i);
    const headers = headersFor(mix, v, text, storeId, prng);
    const base = {
      source: mix.source,
      via: v,
      path: pathOf(mix.source, v),
      headers,
      forgeSignature: false,
      stampSentAt: v === 'square',
      ...propertiesOf(mix.source, v, storeId),
    };

    if (roll < shares.duplicate + shares.malformed && v === 'eventhubs') {
      const bad = malformedEvent(mix.source, text, base.properties!, prng);
      yield push({
        ...base,
        contentType: bad.properties.contentType ?? contentTypeOf(mix.source),
        body: bad.body,
        properties: bad.properties,
        purpose: 'malformed',
        malformed: bad.kind,
        deadLetterCode: bad.deadLetterCode,
        expectStatus: [],
        transactions: [],
        plantedCards: [],
        members: [],
      });
      continue;
    }
    if (roll < shares.duplicate + shares.malformed) {
      const bad = malformedVariant(mix.source, text, prng, v !== 'ingest');
      yield push({
        ...base,
        contentType: bad.contentType,
        body: bad.body,
        purpose: 'malformed',
        malformed: bad.kind,
        expectStatus: [bad.expectStatus],
        forgeSignature: bad.kind === 'bad-signature',
        transactions: [],
        plantedCards: [],
        members: [],
      });
      continue;
    }

    let members: string[] = [];
    if (rng.bool(shares.loyalty)) {
      const shared = shareLoyaltyCustomers(text, prng, pool);
      text = shared.text;
      members = shared.members.map((m) => m.member);
    }
    if (rng.bool(shares.void)) text = voided(mix.source, text) ?? text;
    const beforeCard = text;
    const plantedCards: PlannedRequest['plantedCards'] = [];
    if (rng.bool(shares.plantedCard)) {
      const pan = cardNumberFrom(prng);
      const planted = plantCardNumber(mix.source, text, pan);
      text = planted.text;
      plantedCards.push({ pan, where: planted.where });
    }
    // The store the hub is told besides the body: the event's storeId property or the ingest header.
    const hint = v === 'eventhubs' || headers['x-pos-hub-store-id'] !== undefined ? storeId : undefined;
    const expected = expectTransactions(mix.source, text, headers, options.now, hint);
    // Every transaction id is sent in one body only (resends aside), so "exactly once" is well defined.
    if (expected.transactions.some((tx) => sentIds.has(tx.id))) continue;

    // A return may name a sale in the same body (a register's day file): that link is already there.
    const ownKeys = new Set(expected.transactions.map((tx) => tx.sourceKey));
    for (const tx of expected.transactions) {
      const originalKey = tx.originalSourceKey;
      if (
        !originalKey ||
        ownKeys.has(originalKey) ||
        sentKeys.has(keyOf(tx.source, originalKey)) ||
        count >= total - 1
      )
        continue;
      const made = originalOfReturn(
        mix.source,
        beforeCard,
        tx.sourceKey,
        originalKey,
        seedOf(options.seed, 'original', count),
      );
      if (!made) continue;
      const body = remapStores(made, storeId);
      const oheaders = headersFor(
        mix,
        v,
        body,
        storeId,
        createRng(seedOf(options.seed, 'original-headers', count)),
      );
      const original = expectTransactions(mix.source, body, oheaders, options.now, hint);
      const [sale] = original.transactions;
      if (
        original.transactions.length !== 1 ||
        sale!.sourceKey !== originalKey ||
        sentIds.has(sale!.id) ||
        !['sale', 'payment'].includes(sale!.kind)
      )
        continue;
      if (expected.transactions.some((t) => t.id === sale!.id)) continue;
      yield push({
        ...base,
        headers: oheaders,
        contentType: contentTypeOf(mix.source),
        body,
        purpose: 'original',
        expectStatus: v === 'eventhubs' ? [] : [202],
        transactions: original.transactions,
        plantedCards: [],
        members: [],
      });
    }
    yield push({
      ...base,
      contentType: contentTypeOf(mix.source),
      body: text,
      purpose: 'traffic',
      expectStatus: v === 'eventhubs' ? [] : [202],
      transactions: expected.transactions,
      plantedCards,
      members,
    });
  }
}

/** A fresh seed for runs that give none (printed in the report so the run can be repeated). */
export const randomSeed = () => Number.parseInt(randomUUID().slice(0, 8), 16);
