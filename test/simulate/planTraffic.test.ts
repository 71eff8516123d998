// The simulator's plan: deterministic from the seed, every transaction sent in one body only, and each
// kind of request (resend, malformed, planted card, linked return, shared member) what it claims to be,
// judged by the hub's own checks (checkReadable, media types, signature checks, the pure pipeline).
import { acceptedMediaType } from '../../shared/ingest/bodyFormat';
import { checkReadable } from '../../shared/ingest/checkReadable';
import type { SourceName } from '../../shared/model';
import { transformPayload } from '../../shared/pipeline/transformPayload';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { adapterFor } from '../../shared/sources/registry';
import { readDelivery } from '../../shared/webhooks/readDelivery';
import { verifyDelivery } from '../../shared/webhooks/verifyDelivery';
import {
  payloadCount,
  planTraffic,
  type PlanOptions,
  type PlannedRequest,
} from '../../bench/simulate/planTraffic';
import { signRequest } from '../../bench/simulate/signRequest';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const OPTIONS: PlanOptions = {
  stores: 3,
  minutes: 1,
  rate: 5,
  seed: 20261130,
  webhooks: { shopify: true, square: true },
  now: NOW,
};
const plan = planTraffic(OPTIONS);
const creds = {
  functionKey: 'k',
  shopifySecret: 'shopify-secret-1',
  squareSignatureKey: 'square-key-1',
  squareWebhookUrl: 'https://hub.example.test/api/v1/webhooks/square',
};
const webhooks = {
  shopifySecrets: ['shopify-secret-1'],
  squareSignatureKeys: ['square-key-1'],
  squareWebhookUrl: creds.squareWebhookUrl,
  cloverAuthCodes: [],
  lightspeedSecrets: [],
};
const accepted = (r: PlannedRequest) => r.purpose === 'traffic' || r.purpose === 'original';

test('the request count is rate x minutes, capped by --max-payloads', () => {
  expect(payloadCount({ minutes: 1, rate: 5 })).toBe(300);
  expect(payloadCount({ minutes: 0.5, rate: 3, maxPayloads: 1000 })).toBe(90);
  expect(payloadCount({ minutes: 10, rate: 20, maxPayloads: 250 })).toBe(250);
  expect(plan.requests).toHaveLength(300);
  expect(plan.requests.map((r) => r.n)).toEqual([...Array(300).keys()]);
});

test('the same seed plans the same bodies; another seed plans others', () => {
  const again = planTraffic(OPTIONS);
  expect(again.requests.map((r) => [r.path, r.body, r.headers, r.purpose])).toEqual(
    plan.requests.map((r) => [r.path, r.body, r.headers, r.purpose]),
  );
  const other = planTraffic({ ...OPTIONS, seed: 1 });
  expect(other.requests.filter((r, i) => r.body === plan.requests[i]!.body).length).toBeLessThan(5);
});

test('every transaction id is sent in exactly one body (resends aside), in the stores of the estate', () => {
  const ids = plan.requests.filter(accepted).flatMap((r) => r.transactions.map((t) => t.id));
  expect(ids.length).toBeGreaterThan(300);
  expect(new Set(ids).size).toBe(ids.length);
  // The kill test's plan: its first CSV and POSLog returns name a sale of their own body.
  const kill = planTraffic({ ...OPTIONS, seed: 424242, maxPayloads: 100 });
  const killIds = kill.requests.flatMap((r) => r.transactions.map((t) => t.id));
  expect(new Set(killIds).size).toBe(killIds.length);
  // Clover names stores by merchant id; every S-numbered store is one of the estate's three.
  const stores = new Set(
    plan.requests
      .flatMap((r) => r.transactions.map((t) => t.storeId))
      .filter((s) => s !== null && /^S\d{3}$/.test(s)),
  );
  expect([...stores].sort()).toEqual(['S001', 'S002', 'S003']);
  for (const r of plan.requests.filter((x) => x.purpose === 'duplicate')) {
    const first = plan.requests[r.duplicateOf!]!;
    expect(accepted(first)).toBe(true);
    expect([r.body, r.headers, r.path]).toEqual([first.body, first.headers, first.path]);
    expect(r.transactions).toEqual([]);
  }
});

test('the traffic mixes every source, both channels, resends, malformed bodies, cards, voids and split tenders', () => {
  const sources = new Set(plan.requests.map((r) => r.source));
  expect([...sources].sort()).toEqual([
    'adyen',
    'clover',
    'csv',
    'lightspeed-r',
    'lightspeed-x',
    'poslog',
    'shopify',
    'square',
    'toast',
  ]);
  expect(new Set(plan.requests.map((r) => r.via))).toEqual(new Set(['ingest', 'shopify', 'square']));
  const count = (p: (r: PlannedRequest) => boolean) => plan.requests.filter(p).length;
  expect(count((r) => r.purpose === 'duplicate')).toBeGreaterThanOrEqual(5);
  expect(count((r) => r.purpose === 'malformed')).toBeGreaterThanOrEqual(5);
  expect(count((r) => r.plantedCards.length > 0)).toBeGreaterThanOrEqual(5);
  const txs = plan.requests.flatMap((r) => r.transactions);
  expect(txs.filter((t) => t.kind === 'void').length).toBeGreaterThanOrEqual(2);
  expect(txs.filter((t) => t.kind === 'return').length).toBeGreaterThanOrEqual(10);
  expect(txs.filter((t) => t.tenders > 1).length).toBeGreaterThanOrEqual(10);
  expect(txs.some((t) => t.channel === 'store') && txs.some((t) => t.channel === 'online')).toBe(true);
});

test('originals the plan makes are sent before the return that names them, and read as that sale', () => {
  const originals = plan.requests.filter((r) => r.purpose === 'original');
  expect(originals.length).toBeGreaterThanOrEqual(3);
  for (const o of originals) {
    expect(o.transactions).toHaveLength(1);
    const sale = o.transactions[0]!;
    expect(['sale', 'payment']).toContain(sale.kind);
    // A body with two returns gets both originals first.
    const ret = plan.requests.slice(o.n + 1).find((r) => r.purpose === 'traffic')!;
    expect(plan.requests.slice(o.n + 1, ret.n).every((r) => r.purpose === 'original')).toBe(true);
    expect(
      ret.transactions.some((t) => t.originalSourceKey === sale.sourceKey && t.source === sale.source),
    ).toBe(true);
  }
});

test('loyalty members shop in several channels with the same identifiers', () => {
  const channelsOf = new Map<string, Set<string>>();
  for (const r of plan.requests.filter(accepted)) {
    for (const m of r.members) {
      const set = channelsOf.get(m) ?? new Set<string>();
      for (const t of r.transactions) set.add(t.channel);
      channelsOf.set(m, set);
    }
  }
  const omni = [...channelsOf.values()].filter((s) => s.has('store') && s.has('online'));
  expect(omni.length).toBeGreaterThanOrEqual(3);
  // The same member is the same loyalty reference wherever they shop.
  const refsOfMember = new Map<string, Set<string>>();
  for (const r of plan.requests.filter((x) => accepted(x) && x.members.length === 1)) {
    for (const t of r.transactions) {
      if (t.customer?.loyaltyRef)
        refsOfMember.set(
          r.members[0]!,
          (refsOfMember.get(r.members[0]!) ?? new Set()).add(t.customer.loyaltyRef),
        );
    }
  }
  expect(refsOfMember.size).toBeGreaterThan(0);
  for (const refs of refsOfMember.values()) expect(refs.size).toBe(1);
});

test('planted card numbers are masked by the hub pipeline: never in the stored text or the transactions', () => {
  const planted = plan.requests.filter((r) => r.plantedCards.length > 0);
  for (const r of planted) {
    const pan = r.plantedCards[0]!.pan;
    const digitsOnly = (s: string) => s.replace(/[ -]/g, '');
    expect(digitsOnly(r.body)).toContain(pan);
    const ctx = {
      timeZone: 'America/New_York',
      currency: 'USD',
      headers: r.headers,
      pseudonymize: createPseudonymizer('k'.repeat(32)),
    };
    const out = transformPayload(adapterFor(r.source)!, r.body, ctx, NOW);
    expect(digitsOnly(out.scrubbedText)).not.toContain(pan);
    expect(digitsOnly(JSON.stringify(out.transactions))).not.toContain(pan);
    expect(out.findings.map((f) => f.code)).toContain('privacy.card_number_masked');
    expect(out.transactions.length).toBe(r.transactions.length);
  }
});

test('malformed requests are refused by the hub checks with the status the plan expects', () => {
  const malformed = plan.requests.filter((r) => r.purpose === 'malformed');
  for (const r of malformed) {
    expect(r.transactions).toEqual([]);
    if (r.via === 'ingest') {
      const source = r.source as SourceName;
      if (r.malformed === 'wrong-content-type') {
        expect(acceptedMediaType(source, r.contentType)).toBeNull();
        expect(r.expectStatus).toEqual([415]);
        continue;
      }
      const check = checkReadable(source, adapterFor(source)!, r.body);
      expect(check.ok).toBe(false);
      if (!check.ok) expect([check.problem.status, r.malformed]).toEqual([r.expectStatus[0], r.malformed]);
    } else {
      if (r.via === 'eventhubs') throw new Error('this plan sends no events');
      const out = signRequest(r, 'http://127.0.0.1:7071', creds, new Date(NOW));
      const headers = out.headers;
      const verified = verifyDelivery(
        { vendor: r.via, rawBody: Buffer.from(out.body), headers, url: creds.squareWebhookUrl },
        webhooks,
      );
      if (r.malformed === 'bad-signature') {
        expect([verified, r.expectStatus]).toEqual([false, [401]]);
      } else {
        expect(verified).toBe(true);
        expect(readDelivery(r.via, Buffer.from(out.body), headers).ok).toBe(false);
        expect(r.expectStatus).toEqual([400]);
      }
    }
  }
});

test('webhooks are signed as the vendors sign them; Square deliveries are stamped with the send time', () => {
  const sentAt = new Date(NOW);
  for (const r of plan.requests.filter((x) => x.via !== 'ingest' && x.purpose !== 'malformed')) {
    const out = signRequest(r, 'http://127.0.0.1:7071', creds, sentAt);
    expect(
      verifyDelivery(
        {
          vendor: r.via as 'shopify' | 'square',
          rawBody: Buffer.from(out.body),
          headers: out.headers,
          url: 'ignored',
        },
        webhooks,
      ),
    ).toBe(true);
    const delivery = readDelivery(r.via as 'shopify' | 'square', Buffer.from(out.body), out.headers);
    expect(delivery.ok && delivery.delivery.sentAt?.toISOString()).toBe(sentAt.toISOString());
    expect(out.headers['x-functions-key']).toBeUndefined();
  }
  const ingest = plan.requests.find((x) => x.via === 'ingest')!;
  expect(signRequest(ingest, 'http://h', creds, sentAt)).toEqual({
    url: `http://h${ingest.path}`,
    headers: { 'content-type': ingest.contentType, ...ingest.headers, 'x-functions-key': 'k' },
    body: ingest.body,
  });
});

test('without webhook secrets, Shopify and Square payloads go through the ingest API', () => {
  const p = planTraffic({ ...OPTIONS, maxPayloads: 60, webhooks: { shopify: false, square: false } });
  expect(new Set(p.requests.map((r) => r.via))).toEqual(new Set(['ingest']));
  expect(
    p.requests.filter((r) => r.source === 'shopify').every((r) => r.path === '/api/v1/ingest/shopify'),
  ).toBe(true);
});
