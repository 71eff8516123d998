// The start decision of POST /api/v1/admin/erase, against a recording client: the erasure id is the same
// for the same person and mode whatever order or spelling the identifiers come in; a running erasure is
// answered, not started twice; a finished one is started again. The real durable client is exercised
// by eraseEndToEnd.test.ts.
import type { DurableClientLike } from '../../shared/orchestration/orchestrationControl';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { ERASURE_ID_RE, startErasure } from '../../shared/privacy/startErasure';

const pseudonymize = createPseudonymizer('start-erasure-test-key-0123456789');

function recordingClient(statuses: Record<string, string>) {
  const started: { name: string; instanceId: string; input: unknown }[] = [];
  const client: DurableClientLike = {
    async getStatus(id) {
      if (!statuses[id]) throw new Error('The operation failed with an unexpected status code 404. Details: HTTP 404 response');
      return { runtimeStatus: statuses[id]! };
    },
    async startNew(name, { instanceId, input }) {
      started.push({ name, instanceId, input });
      return instanceId;
    },
  };
  return { client, started };
}

test('same person, same mode, same id; running ones are answered, finished ones started again', async () => {
  const { client, started } = recordingClient({});
  const at = new Date('2026-11-30T18:40:00.000Z');
  const first = await startErasure(pseudonymize, client, { emails: ['Jane@Example.com'], phones: ['+1 212 555 0143'] }, at);
  expect(first).toMatchObject({ ok: true, dryRun: false, references: 2, started: true });
  const id = (first as { erasureId: string }).erasureId;
  expect(id).toMatch(ERASURE_ID_RE);
  expect(started).toEqual([{ name: 'eraseSubject', instanceId: id, input: { refs: [pseudonymize.email('jane@example.com'), pseudonymize.phone('+12125550143')].sort(), dryRun: false, acceptedBefore: '2026-11-30T18:40:00.000Z' } }]);
  // The input holds references only.
  expect(JSON.stringify(started[0]!.input)).not.toMatch(/jane|example|212/i);

  const dry = await startErasure(pseudonymize, client, { phones: ['+12125550143'], emails: [' jane@example.com'], dryRun: true });
  expect(dry).toMatchObject({ ok: true, dryRun: true, started: true });
  expect((dry as { erasureId: string }).erasureId).not.toBe(id);
  // The instant to wait from is not part of the id: asking again later is the same erasure.
  const later = await startErasure(pseudonymize, recordingClient({}).client, { emails: ['jane@example.com'], phones: ['+12125550143'] }, new Date('2026-12-01T09:00:00Z'));
  expect(later).toMatchObject({ ok: true, erasureId: id });

  for (const [status, restarts] of [['Running', false], ['Pending', false], ['Completed', true], ['Failed', true]] as const) {
    const again = recordingClient({ [id]: status });
    const answer = await startErasure(pseudonymize, again.client, { emails: ['jane@example.com'], phones: ['+12125550143'] });
    expect([status, answer]).toEqual([status, { ok: true, erasureId: id, dryRun: false, references: 2, started: restarts }]);
    expect(again.started.length).toBe(restarts ? 1 : 0);
  }
});

test('a refused request starts nothing', async () => {
  const { client, started } = recordingClient({});
  const answers = await Promise.all([null, [], { emails: [] }, { emails: ['nope'] }, { loyaltyIds: ['  '] }].map((b) => startErasure(pseudonymize, client, b)));
  expect(answers.map((a) => (a.ok ? 'started' : a.problem.type))).toEqual(Array(5).fill('urn:pos-hub:problem:invalid-erasure-request'));
  expect(started).toEqual([]);
});
