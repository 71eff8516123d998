// batchStatusOf reads the orchestration and the ledger one after the other. An instance that
// completes between the two reads must not be answered as "completed" with the counts of the
// ledger entry read before it recorded its outcome.
import { batchStatusOf } from '../../shared/orchestration/batchStatusOf';
import type { OrchestrationRuntimeStatus } from '../../shared/ingest/acceptBatch';
import type { BatchLedger, BatchRecord } from '../../shared/stores/batchLedger';

const accepted: BatchRecord = {
  batchId: 'b1',
  source: 'shopify',
  rawBlobName: 'raw/source=shopify/b1',
  sha256: 'ab',
  contentType: 'application/json',
  receivedAt: '2026-11-30T10:00:00.000Z',
  status: 'accepted',
  counts: null,
  findings: [],
  updatedAt: '2026-11-30T10:00:00.000Z',
};
const completed: BatchRecord = {
  ...accepted,
  status: 'completed',
  counts: { transactions: 2, accepted: 2, quarantined: 0, dataverseLoaded: 2, dataverseFailed: 0 },
  updatedAt: '2026-11-30T10:00:01.000Z',
};

function ledgerOf(state: { record: BatchRecord | null }): BatchLedger {
  return {
    get: async () => state.record,
    create: async () => 'created',
    recordOutcome: async () => undefined,
  };
}

test('an instance completing while its status is read is answered with its recorded counts', async () => {
  const state: { record: BatchRecord | null } = { record: accepted };
  const status = await batchStatusOf(
    {
      ledger: ledgerOf(state),
      // The last activity records the outcome, then the instance completes: both happen while the
      // status read is in flight.
      orchestrationStatus: async (): Promise<OrchestrationRuntimeStatus> => {
        state.record = completed;
        return 'Completed';
      },
    },
    'b1',
  );
  expect(status).toMatchObject({ status: 'completed', transactions: 2, accepted: 2, quarantined: 0, dataverse: { loaded: 2, quarantined: 0 } });
});

test('a running instance shows no counts, a failed outcome is failed, an unknown batch is null', async () => {
  const running = await batchStatusOf({ ledger: ledgerOf({ record: accepted }), orchestrationStatus: async () => 'Running' }, 'b1');
  expect(running).toMatchObject({ status: 'running', transactions: 0, accepted: 0 });
  const failed = await batchStatusOf(
    { ledger: ledgerOf({ record: { ...completed, status: 'failed' } }), orchestrationStatus: async () => 'Completed' },
    'b1',
  );
  expect(failed?.status).toBe('failed');
  const purged = await batchStatusOf({ ledger: ledgerOf({ record: completed }), orchestrationStatus: async () => null }, 'b1');
  expect(purged).toMatchObject({ status: 'completed', accepted: 2 });
  expect(await batchStatusOf({ ledger: ledgerOf({ record: null }), orchestrationStatus: async () => 'Completed' }, 'b1')).toBeNull();
});
