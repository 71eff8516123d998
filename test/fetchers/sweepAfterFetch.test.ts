// The sweeps after the fetcher's work (functions/fetchWorkItems.ts): both tables are swept, each one's
// counts are logged, a failing delivery sweep is a warning that names no request detail and fails
// nothing, and a failing work-item sweep still fails the run without keeping the ledger unswept.
import { RestError } from '@azure/data-tables';
import { sweepAfterFetch, type SweepAfterFetchDeps } from '../../shared/fetchers/sweepAfterFetch';
import type { SweepReport } from '../../shared/fetchers/sweepExpired';

const idle: SweepReport = { swept: false, deleted: 0, kept: 0, more: false };

function deps(over: Partial<SweepAfterFetchDeps> = {}) {
  const lines: string[] = [];
  const calls: string[] = [];
  const d: SweepAfterFetchDeps = {
    sweepWorkItems: async () => (calls.push('workItems'), idle),
    sweepDeliveries: async () => (calls.push('deliveries'), idle),
    log: (m) => lines.push(`log ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    ...over,
  };
  return { d, lines, calls };
}

test('sweeps the work items, then the delivery ledger, logging the counts of each', async () => {
  const t = deps();
  t.d.sweepWorkItems = async () => (
    t.calls.push('workItems'),
    { swept: true, deleted: 12, kept: 1, more: false }
  );
  t.d.sweepDeliveries = async () => (
    t.calls.push('deliveries'),
    { swept: true, deleted: 2000, kept: 0, more: true }
  );
  await sweepAfterFetch(t.d);
  expect(t.calls).toEqual(['workItems', 'deliveries']);
  expect(t.lines).toEqual([
    'log fetchWorkItems: retention deleted 12 settled work item(s), kept 1 changed meanwhile',
    'log fetchWorkItems: retention deleted 2000 webhook delivery record(s); more next run',
  ]);
});

test('nothing to say when neither sweep did anything', async () => {
  const t = deps();
  await sweepAfterFetch(t.d);
  expect(t.calls).toEqual(['workItems', 'deliveries']);
  expect(t.lines).toEqual([]);
});

test('a failing delivery sweep is a warning with its status only; the run does not fail', async () => {
  const t = deps();
  t.d.sweepWorkItems = async () => ({ swept: true, deleted: 3, kept: 0, more: false });
  t.d.sweepDeliveries = () =>
    Promise.reject(
      new RestError('Server busy; request https://acct.table.core.windows.net/x?sig=SECRETSIG', {
        statusCode: 503,
        code: 'ServerBusy',
      }),
    );
  await expect(sweepAfterFetch(t.d)).resolves.toBeUndefined();
  expect(t.lines).toEqual([
    'log fetchWorkItems: retention deleted 3 settled work item(s)',
    'warn fetchWorkItems: retention of webhook delivery records failed (HTTP 503 ServerBusy); tried again next run',
  ]);
  expect(t.lines.join('\n')).not.toContain('SECRETSIG');

  const other = deps({ sweepDeliveries: () => Promise.reject(new TypeError('token=SECRETSIG')) });
  await sweepAfterFetch(other.d);
  expect(other.lines).toEqual([
    'warn fetchWorkItems: retention of webhook delivery records failed (TypeError); tried again next run',
  ]);
});

test('a failing work-item sweep still fails the run, after the delivery ledger was swept', async () => {
  const t = deps();
  const failure = new Error('work items unavailable');
  t.d.sweepWorkItems = () => (t.calls.push('workItems'), Promise.reject(failure));
  t.d.sweepDeliveries = async () => (
    t.calls.push('deliveries'),
    { swept: true, deleted: 5, kept: 0, more: false }
  );
  await expect(sweepAfterFetch(t.d)).rejects.toBe(failure);
  expect(t.calls).toEqual(['workItems', 'deliveries']);
  expect(t.lines).toEqual(['log fetchWorkItems: retention deleted 5 webhook delivery record(s)']);
});
