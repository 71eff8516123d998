// An erasure asked for while one of the person's batches is still loading waits for that batch, then
// erases what it loaded. Dataverse is the local stand-in behind a gate that holds the loader's
// UpsertMultiple requests: the batch is accepted and its lake load done, but its contact is not yet
// written when the erasure is asked for. Without the wait the erasure would pass Dataverse first and
// the contact, created after, would stay.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDataverseStandIn, type DataverseStandIn } from '../../local/dataverse/startDataverseStandIn';
import type { Runtime } from '../../local/runtime';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { BASE_SETTINGS, settledBatch, startHub } from '../webhooks/hubRuntime';

jest.setTimeout(120_000);

const JANE = 'jane.rivera@example.com';
const janeOrder = readFileSync(path.join(__dirname, '../fixtures/shopify/order-web-discounts.json'), 'utf8');
const pseudonymize = createPseudonymizer(BASE_SETTINGS.POS_HUB_PSEUDONYM_KEY!);

let runtime: Runtime;
let standIn: DataverseStandIn;
let gate: Server;
let dataDir: string;
const logs: string[] = [];
/** While set, UpsertMultiple requests wait for it; `held` counts those that did. */
let opened: Promise<void> | null = null;
let open: () => void = () => {};
let held = 0;

/** A pass-through proxy to the stand-in that can hold the loader's writes. */
function startGate(target: string): Promise<Server> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const forward = () => {
      const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (opened && req.url?.includes('UpsertMultiple')) {
      held++;
      void opened.then(forward);
    } else forward();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-erase-inflight-'));
  standIn = await startDataverseStandIn();
  gate = await startGate(standIn.url);
  const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
  runtime = await startHub(dataDir, { POS_HUB_DEFAULT_TIMEZONE: 'America/New_York', DATAVERSE_URL: gateUrl }, logs);
});

afterAll(async () => {
  open();
  await runtime?.stop();
  gate?.closeAllConnections();
  await new Promise((r) => gate?.close(r));
  await standIn?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(route: string, body: string) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/${route}`, { method: 'POST', headers: { 'x-functions-key': runtime.functionKey, 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function erasure(id: string) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/admin/erasures/${id}`, { headers: { 'x-functions-key': runtime.functionKey } });
  return (await res.json()) as { status: string; report: { inFlight: unknown; dataverse: { contactsDeleted: string[] }; curated: { transactions: number } } | null; record: Record<string, unknown> | null };
}

test('an erasure waits for the batch of the person still loading, then erases its contact too', async () => {
  opened = new Promise((r) => (open = r));
  const accepted = await post('ingest/shopify', janeOrder);
  expect(accepted.status).toBe(202);
  const batchId = accepted.body.batchId as string;
  // The batch reaches Dataverse and is held there: accepted, unfinished.
  for (let i = 0; held === 0; i++) {
    if (i > 300) throw new Error(`the load never reached Dataverse:\n${logs.slice(-20).join('\n')}`);
    await sleep(100);
  }

  const asked = await post('admin/erase', JSON.stringify({ emails: [JANE] }));
  expect(asked.status).toBe(202);
  const erasureId = asked.body.erasureId as string;
  // The erasure sees the unfinished batch and waits: still running well after a run would have ended.
  await sleep(4000);
  expect(await erasure(erasureId)).toMatchObject({ status: 'running', report: null });
  expect(standIn.rows('contacts')).toEqual([]);

  open();
  opened = null;
  expect(await settledBatch(runtime, batchId, logs)).toMatchObject({ status: 'completed', accepted: 1 });
  expect(standIn.rows('contacts').map((c) => c.pos_emailref)).toEqual([pseudonymize.email(JANE)]);

  let done = await erasure(erasureId);
  for (let i = 0; done.status === 'running' || done.status === 'pending'; i++) {
    if (i > 600) throw new Error(`erasure still ${done.status}:\n${logs.slice(-20).join('\n')}`);
    await sleep(100);
    done = await erasure(erasureId);
  }
  expect(done.status).toBe('completed');
  expect(done.report!.inFlight).toEqual({ found: 1, stillRunning: 0, batchIds: [] });
  expect(done.record).toMatchObject({ batchesWaitedFor: 1, batchesStillRunning: 0, contactsDeleted: 1 });
  expect(logs.filter((l) => l.includes(`pos-hub.erasure-outcome erasure=${erasureId}`) && l.includes('batchesWaitedFor=1 batchesStillRunning=0'))).toHaveLength(1);
  expect(done.report!.curated.transactions).toBe(1);
  expect(done.report!.dataverse.contactsDeleted).toHaveLength(1);
  // The contact the late batch wrote is gone; its transaction stays, without a contact.
  expect(standIn.rows('contacts')).toEqual([]);
  const transactions = standIn.rows('pos_transactions');
  expect(transactions.map((t) => [t.pos_sourcekey, t._pos_contactid_value ?? null])).toEqual([['5627394810123', null]]);
  expect(held).toBeGreaterThan(0);
});
