// erasureStatus against a real lake (Azurite) and a stand-in Durable client: which answer it gives when
// the instance is there, and when it is gone (purged) with records that are missing, damaged or fine.
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../../local/azurite';
import { erasureRecordBlobName, newestErasureRecord, writeErasureRecord, type ErasureRecord } from '../../shared/privacy/erasureRecord';
import { erasureStatus } from '../../shared/privacy/erasureStatus';

let azurite: AzuriteInstance;
let service: BlobServiceClient;
let counter = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
});

async function freshLake(): Promise<ContainerClient> {
  const c = service.getContainerClient(`lake${++counter}x${process.pid}`);
  await c.create();
  return c;
}

const ID = 'erasure-0123456789abcdef0123456789abcdef';
const OTHER = 'erasure-fedcba9876543210fedcba9876543210';

function recordFor(erasureId: string, finishedAt: string, curatedTransactions: number): ErasureRecord {
  return {
    erasureId,
    finishedAt,
    dryRun: false,
    references: 2,
    curatedTransactions,
    curatedFilesRewritten: 1,
    rawBlobsDeleted: 1,
    quarantineEntries: 0,
    deadLettersDeleted: 0,
    workBlobsRewritten: 0,
    contactsDeleted: null,
    transactionsUnlinked: null,
    batchesWaitedFor: 1,
    batchesStillRunning: 0,
  };
}

/** A Durable client that knows the given instances; any other is gone, as the library reports it. */
function clientWith(instances: Record<string, { runtimeStatus: string; output?: unknown }>, asked: string[] = []) {
  return {
    async getStatus(id: string) {
      asked.push(id);
      const found = instances[id];
      if (!found) throw new Error(`The operation failed with an unexpected status code: 404. Details: HTTP 404 response`);
      return found;
    },
    async startNew(): Promise<string> {
      throw new Error('not used');
    },
  };
}

const put = (lake: ContainerClient, name: string, text: string) => lake.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
const noLake = async (): Promise<ContainerClient> => {
  throw new Error('the lake was read');
};

test('instance gone, no record: 404 unknown-erasure', async () => {
  const lake = await freshLake();
  // Another erasure's record does not answer for this one.
  await writeErasureRecord(lake, recordFor(OTHER, '2026-11-01T10:00:00.000Z', 1));
  const answer = await erasureStatus(clientWith({}), async () => lake, ID);
  expect(answer).toEqual({ ok: false, problem: expect.objectContaining({ status: 404, type: 'urn:pos-hub:problem:unknown-erasure' }) });
});

test('instance gone, only damaged records (not JSON, wrong shape, another id): absent, so 404, not an error', async () => {
  const lake = await freshLake();
  const prefix = `audit/erasures/${ID}/`;
  await put(lake, `${prefix}2026-11-01T10-00-00-000Z.json`, '{"erasureId": "erasure-01');
  await put(lake, `${prefix}2026-11-02T10-00-00-000Z.json`, JSON.stringify({ ...recordFor(ID, '2026-11-02T10:00:00.000Z', 1), rawBlobsDeleted: -1 }));
  await put(lake, `${prefix}2026-11-03T10-00-00-000Z.json`, JSON.stringify(recordFor(OTHER, '2026-11-03T10:00:00.000Z', 1)));
  await put(lake, `${prefix}2026-11-04T10-00-00-000Z.json`, 'null');
  await put(lake, `${prefix}2026-11-05T10-00-00-000Z.json`, '');
  expect(await newestErasureRecord(lake, ID)).toBeNull();
  const answer = await erasureStatus(clientWith({}), async () => lake, ID);
  expect(answer).toMatchObject({ ok: false, problem: { status: 404, type: 'urn:pos-hub:problem:unknown-erasure' } });
});

test('instance gone, records of two runs and a newer damaged blob: completed, no report, the newest readable record', async () => {
  const lake = await freshLake();
  const older = recordFor(ID, '2026-10-01T08:00:00.000Z', 3);
  const newer = recordFor(ID, '2026-11-20T09:30:00.000Z', 0);
  await writeErasureRecord(lake, newer);
  await writeErasureRecord(lake, older);
  await put(lake, `audit/erasures/${ID}/2026-11-29T00-00-00-000Z.json`, '{ not json');
  // Only the record's fields are answered, whatever else a blob holds.
  await put(lake, erasureRecordBlobName(newer), JSON.stringify({ ...newer, note: 'not a record field' }));
  const answer = await erasureStatus(clientWith({}), async () => lake, ID);
  expect(answer).toEqual({ ok: true, status: { erasureId: ID, status: 'completed', report: null, record: newer } });
});

test('a record written before the in-flight wait existed (no batch counts) reads with those counts null', async () => {
  const lake = await freshLake();
  const { batchesWaitedFor: _w, batchesStillRunning: _s, ...old } = recordFor(ID, '2026-11-29T09:00:00.000Z', 2);
  await put(lake, erasureRecordBlobName(old), JSON.stringify(old));
  expect(await newestErasureRecord(lake, ID)).toEqual({ ...old, batchesWaitedFor: null, batchesStillRunning: null });
  // A count that is there must still be a count.
  await put(lake, erasureRecordBlobName(old), JSON.stringify({ ...old, batchesStillRunning: 'two' }));
  expect(await newestErasureRecord(lake, ID)).toBeNull();
});

test('instance there: its status and report as before; the record only once completed', async () => {
  const lake = await freshLake();
  const record = recordFor(ID, '2026-11-30T09:00:00.000Z', 1);
  await writeErasureRecord(lake, record);
  const report = { dryRun: false, references: 2 };
  expect(await erasureStatus(clientWith({ [ID]: { runtimeStatus: 'Running' } }), noLake, ID)).toEqual({
    ok: true,
    status: { erasureId: ID, status: 'running', report: null, record: null },
  });
  expect(await erasureStatus(clientWith({ [ID]: { runtimeStatus: 'Failed', output: 'boom' } }), noLake, ID)).toEqual({
    ok: true,
    status: { erasureId: ID, status: 'failed', report: null, record: null },
  });
  expect(await erasureStatus(clientWith({ [ID]: { runtimeStatus: 'Completed', output: report } }), async () => lake, ID)).toEqual({
    ok: true,
    status: { erasureId: ID, status: 'completed', report, record },
  });
});

test('a malformed id is unknown without asking anyone; other client errors are not taken for a purge', async () => {
  const asked: string[] = [];
  expect(await erasureStatus(clientWith({}, asked), noLake, 'erasure-../x')).toMatchObject({ ok: false, problem: { status: 404 } });
  expect(asked).toEqual([]);
  const failing = {
    ...clientWith({}),
    async getStatus(): Promise<never> {
      throw new Error('connect ECONNREFUSED');
    },
  };
  await expect(erasureStatus(failing, noLake, ID)).rejects.toThrow('ECONNREFUSED');
});
