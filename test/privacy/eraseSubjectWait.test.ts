// The erasure's wait for batches accepted before the request, driven step by step as the durable
// library drives the generator: it asks which batches are unfinished, sleeps on a durable timer while
// some are, erases only once none is (or after the bound, reporting those left), and skips the wait
// for an input without an instant. inFlightBatches picks unfinished ingestBatch instances only.
import { ERASE_ACTIVITIES, IN_FLIGHT_MAX_WAIT_MS, eraseSubjectOrchestration, type ErasureInput, type ErasureSteps } from '../../shared/orchestration/eraseSubjectOrchestration';
import { inFlightBatches, type InstanceLister } from '../../shared/orchestration/inFlightBatches';
import { erasureOutcomeEvent, erasureRecordOf } from '../../shared/privacy/erasureRecord';

type Step = { kind: 'call'; name: string; input: unknown } | { kind: 'all'; tasks: Step[] } | { kind: 'timer'; at: string };

const zones = {
  curated: { transactions: 1, filesRewritten: 1, filesScanned: 1 },
  rawZones: { rawScanned: 1, rawDeleted: ['raw/x'], quarantineEntries: 0, deadLettersDeleted: [], workBlobsRewritten: [] },
  dataverse: null,
};

/**
 * Runs the orchestration with the clock starting at `start` and moving to each timer's instant as it
 * fires; `unfinished` answers each in-flight query in turn. Returns what it scheduled and the report.
 */
function run(input: ErasureInput, unfinished: number[]) {
  let now = Date.parse('2026-11-30T12:00:00Z');
  const scheduled: Step[] = [];
  const steps: ErasureSteps<Step> = {
    input,
    instanceId: 'erasure-0123',
    now: () => new Date(now),
    call: (name, callInput) => ({ kind: 'call', name, input: callInput }),
    all: (tasks) => ({ kind: 'all', tasks }),
    timer: (at) => ({ kind: 'timer', at: at.toISOString() }),
  };
  const gen = eraseSubjectOrchestration(steps);
  let next = gen.next();
  let answers = 0;
  while (!next.done) {
    const step = next.value;
    scheduled.push(step);
    let result: unknown;
    if (step.kind === 'timer') {
      now = Date.parse(step.at);
    } else if (step.kind === 'all') {
      result = [zones.curated, zones.rawZones, zones.dataverse];
    } else if (step.name === ERASE_ACTIVITIES.inFlight) {
      const count = unfinished[Math.min(answers++, unfinished.length - 1)]!;
      result = { count, batchIds: Array.from({ length: Math.min(count, 20) }, (_, i) => `shopify-c-${i}`) };
    }
    next = gen.next(result);
  }
  return { scheduled, report: next.value };
}

const names = (s: Step[]) => s.map((x) => (x.kind === 'call' ? x.name : x.kind === 'all' ? `all(${x.tasks.map((t) => (t.kind === 'call' ? t.name : '?')).join(',')})` : `timer ${x.at}`));

test('waits on a durable timer while batches accepted before the request run, then erases', () => {
  const { scheduled, report } = run({ refs: ['r1'], dryRun: false, acceptedBefore: '2026-11-30T11:59:59.000Z' }, [2, 1, 0]);
  expect(names(scheduled)).toEqual([
    ERASE_ACTIVITIES.inFlight,
    'timer 2026-11-30T12:00:10.000Z',
    ERASE_ACTIVITIES.inFlight,
    'timer 2026-11-30T12:00:30.000Z',
    ERASE_ACTIVITIES.inFlight,
    `all(${ERASE_ACTIVITIES.curated},${ERASE_ACTIVITIES.rawZones},${ERASE_ACTIVITIES.dataverse})`,
    ERASE_ACTIVITIES.record,
  ]);
  expect((scheduled[0] as { input: unknown }).input).toEqual({ acceptedBefore: '2026-11-30T11:59:59.000Z' });
  expect(report.inFlight).toEqual({ found: 2, stillRunning: 0, batchIds: [] });
});

test('nothing in flight: erases at once; no instant in the input: no wait at all', () => {
  const none = run({ refs: ['r1'], dryRun: true, acceptedBefore: '2026-11-30T11:59:59.000Z' }, [0]);
  expect(names(none.scheduled)[0]).toBe(ERASE_ACTIVITIES.inFlight);
  expect(names(none.scheduled)[1]).toMatch(/^all\(/);
  expect(none.report.inFlight).toEqual({ found: 0, stillRunning: 0, batchIds: [] });
  const old = run({ refs: ['r1'], dryRun: false }, [5]);
  expect(names(old.scheduled)[0]).toMatch(/^all\(/);
  expect(old.report.inFlight).toBeNull();
});

test('gives up after the bound and reports what is still running; the zones are erased anyway', () => {
  const { scheduled, report } = run({ refs: ['r1'], dryRun: false, acceptedBefore: '2026-11-30T11:59:59.000Z' }, [30]);
  const timers = (scheduled.filter((s) => s.kind === 'timer') as { at: string }[]).map((t) => (Date.parse(t.at) - Date.parse('2026-11-30T12:00:00Z')) / 1000);
  // 10 s, doubling to 2 minutes: 10, 30, 70, 150, 270, 390, ... 3510, then the bound.
  expect(timers.slice(0, 6)).toEqual([10, 30, 70, 150, 270, 390]);
  expect(timers).toHaveLength(5 + 27 + 1);
  // The last timer fires exactly at the bound, and the last look is taken then.
  expect(timers.at(-1)).toBe(IN_FLIGHT_MAX_WAIT_MS / 1000);
  expect(names(scheduled).slice(-2)).toEqual([`all(${ERASE_ACTIVITIES.curated},${ERASE_ACTIVITIES.rawZones},${ERASE_ACTIVITIES.dataverse})`, ERASE_ACTIVITIES.record]);
  expect(report.inFlight).toMatchObject({ found: 30, stillRunning: 30 });
  expect(report.inFlight!.batchIds).toHaveLength(20);
});

test('inFlightBatches: unfinished ingestBatch instances created before the instant, sorted, the first 20 named', async () => {
  const asked: unknown[] = [];
  const lister: InstanceLister = {
    async getStatusBy(filter) {
      asked.push(filter);
      return [
        { name: 'ingestBatch', instanceId: 'square-c-b' },
        { name: 'eraseSubject', instanceId: 'erasure-1' },
        { name: 'ingestBatch', instanceId: 'shopify-c-a' },
        ...Array.from({ length: 25 }, (_, i) => ({ name: 'ingestBatch', instanceId: `toast-c-${String(i).padStart(2, '0')}` })),
      ];
    },
  };
  const at = new Date('2026-11-30T12:00:00Z');
  const found = await inFlightBatches(lister, at);
  expect(asked).toEqual([{ createdTimeTo: at, runtimeStatus: ['Pending', 'Running', 'Suspended'] }]);
  expect(found.count).toBe(27);
  expect(found.batchIds.slice(0, 3)).toEqual(['shopify-c-a', 'square-c-b', 'toast-c-00']);
  expect(found.batchIds).toHaveLength(20);
});

test('the lasting record and its event carry the wait; a run that gave up is a warning', () => {
  const waited = run({ refs: ['r1'], dryRun: false, acceptedBefore: '2026-11-30T11:59:59.000Z' }, [2, 0]).report;
  const gaveUp = run({ refs: ['r1'], dryRun: false, acceptedBefore: '2026-11-30T11:59:59.000Z' }, [3]).report;
  const old = run({ refs: ['r1'], dryRun: false }, [0]).report;
  const records = [waited, gaveUp, old].map((r) => erasureRecordOf('erasure-0123', '2026-11-30T13:00:00.000Z', r));
  expect(records.map((r) => [r.batchesWaitedFor, r.batchesStillRunning])).toEqual([[2, 0], [3, 3], [null, null]]);
  const events = records.map(erasureOutcomeEvent);
  expect(events.map((e) => e.level)).toEqual(['info', 'warn', 'info']);
  expect(events[1]!.message).toContain(' batchesWaitedFor=3 batchesStillRunning=3');
  // Counts only: the batch ids the report names are not in the record or the event.
  expect(JSON.stringify(records[1])).not.toContain('shopify-c-');
  expect(events[1]!.message).not.toContain('shopify-c-');
});
