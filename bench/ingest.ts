// bench/ingest.ts: HTTP ingest throughput and acknowledgement latency on the local runtime, as a ratio to
// Azurite's raw create-only blob writes of the same bytes at the same concurrency, on the same Azurite,
// in the same run. The runtime runs as a process (`node dist/local/start.js`), as users run it; while
// the acks are measured, each accepted batch's orchestration runs in the background in that process,
// as in production (an ack is never held back for it), so the figure is ingest under load.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { median, type BenchEntry } from './results';
import { planTraffic, type PlannedRequest } from './simulate/planTraffic';

const PAYLOADS = Number(process.env.BENCH_INGEST_PAYLOADS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_INGEST_CONCURRENCY ?? 8);
const DRAIN_MS = Number(process.env.BENCH_INGEST_DRAIN_MS ?? 120_000);

interface RuntimeJson {
  baseUrl: string;
  functionKey: string;
  storageConnectionString: string;
  pid: number;
}

/** The runtime as a process: compiled (dist) when this file is, else the TypeScript through tsx. */
async function startRuntime(dataDir: string): Promise<{ child: ChildProcess; info: RuntimeJson }> {
  const compiled = __filename.endsWith('.js');
  const args = compiled
    ? [path.join(__dirname, '..', 'local', 'start.js')]
    : ['--import', 'tsx', path.join(__dirname, '..', 'local', 'start.ts')];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0', POS_HUB_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const file = path.join(dataDir, 'runtime.json');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the local runtime exited with ${child.exitCode}: ${stderr}`);
    try {
      const info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeJson;
      if (info.pid === child.pid) return { child, info };
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the local runtime was not ready in 60 s: ${stderr}`);
    }
    await sleep(100);
  }
}

async function stopRuntime(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(force);
}

/** Runs `jobs` with at most `concurrency` at a time; returns each job's latency (ms) and the wall time (s). */
async function timedPool<T>(
  items: T[],
  concurrency: number,
  job: (item: T) => Promise<void>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const s = performance.now();
        await job(item);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function baselineWrites(container: ContainerClient, bodies: PlannedRequest[]) {
  return timedPool(bodies, CONCURRENCY, async (r) => {
    const bytes = Buffer.from(r.body, 'utf8');
    // What ingest must at least do: one create-only write of the body under its content hash.
    const name = `raw/${createHash('sha256').update(bytes).digest('hex')}`;
    await container
      .getBlockBlobClient(name)
      .uploadData(bytes, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: r.contentType },
      });
  });
}

export async function ingestBench(): Promise<Record<string, BenchEntry>> {
  // Realistic bodies of every in-store format (webhook vendors sign differently; the ingest API takes
  // their bodies too), no resends or malformed bodies: every request is a new batch that gets a 202.
  const plan = planTraffic({
    stores: 8,
    minutes: 60,
    rate: 100,
    seed: 11,
    maxPayloads: PAYLOADS,
    webhooks: { shopify: false, square: false },
    now: Date.now(),
    shares: { duplicate: 0, malformed: 0 },
  });
  const requests = plan.requests;
  const bytes = requests.reduce((a, r) => a + Buffer.byteLength(r.body), 0);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-bench-ingest-'));
  const { child, info } = await startRuntime(dataDir);
  try {
    const blobs = BlobServiceClient.fromConnectionString(info.storageConnectionString);
    const fresh = async (name: string) => {
      const c = blobs.getContainerClient(name);
      await c.createIfNotExists();
      return c;
    };
    // Warm both paths (connections, module loading, the first orchestration) on bodies not measured.
    const warm = planTraffic({ ...plan.options, seed: 12, maxPayloads: 8 }).requests;
    await baselineWrites(await fresh('bench-warm'), warm);
    const post = async (r: PlannedRequest) => {
      const res = await fetch(`${info.baseUrl}${r.path}`, {
        method: 'POST',
        headers: { 'content-type': r.contentType, 'x-functions-key': info.functionKey, ...r.headers },
        body: r.body,
      });
      const text = await res.text();
      if (res.status !== 202)
        throw new Error(
          `ingest answered ${res.status} for request ${r.n} (${r.source}): ${text.slice(0, 300)}`,
        );
      batchIds.push((JSON.parse(text) as { batchId: string }).batchId);
    };
    /** Polls the status endpoint until every batch has finished or `ms` have passed; returns those that have not. */
    const unfinished = async (ids: string[], ms: number): Promise<Set<string>> => {
      const pending = new Set(ids);
      const start = Date.now();
      while (pending.size > 0 && Date.now() - start < ms) {
        for (const id of [...pending]) {
          const res = await fetch(`${info.baseUrl}/api/v1/batches/${id}`, {
            headers: { 'x-functions-key': info.functionKey },
          });
          const status = res.status === 200 ? ((await res.json()) as { status: string }).status : 'unknown';
          if (status === 'completed' || status === 'failed') pending.delete(id);
        }
        if (pending.size > 0) await sleep(1000);
      }
      return pending;
    };
    const batchIds: string[] = [];
    await timedPool(warm, CONCURRENCY, post);
    // The warm-up batches' orchestrations finish before the quiet baseline: measured while they ran, it
    // was a third of Azurite's quiet rate, and the ratio read about twice too high.
    await unfinished(batchIds, DRAIN_MS);
    batchIds.length = 0;

    // Baseline on a quiet hub, then ingest, then the baseline again once ingest has stopped sending
    // (orchestrations are still running then, and slow it: the ratio errs high against that run).
    const before = await baselineWrites(await fresh('bench-baseline-1'), requests);
    const ingest = await timedPool(requests, CONCURRENCY, post);
    const ackedAt = Date.now();
    const after = await baselineWrites(await fresh('bench-baseline-2'), requests);

    // How long the background work takes to finish what was acknowledged (bounded).
    const pending = await unfinished(batchIds, DRAIN_MS);
    const drainSeconds = (Date.now() - ackedAt) / 1000;

    const value = requests.length / ingest.seconds;
    const baselineRates = [requests.length / before.seconds, requests.length / after.seconds];
    const baseline = median(baselineRates);
    const baselineLatencies = [...before.latencies, ...after.latencies];
    return {
      ingest: {
        value,
        unit: 'payloads/s',
        baseline,
        ratio: value / baseline,
        target: 0.5,
        notes:
          `${requests.length} payloads (${(bytes / 1024).toFixed(0)} KiB, seeded POSLog, CSV, Lightspeed, Clover, Toast, Adyen, Shopify, Square bodies) ` +
          `POSTed to /api/v1/ingest/{source} at concurrency ${CONCURRENCY} on the local runtime (node dist/local/start.js, Azurite on disk). ` +
          `Each ack = auth, card scrub, readability check, create-only raw blob, ledger row, orchestration start; the batches' orchestrations ` +
          `run in the background in the same process meanwhile, as in production. Baseline: create-only blob writes of the same bodies at the ` +
          `same concurrency on the same Azurite, median of a run before the ingest run on a quiet hub (the warm-up batches finished) and a run right after it, while the orchestrations drain. ` +
          `${batchIds.length - pending.size}/${batchIds.length} batches completed ${drainSeconds.toFixed(0)} s after the last ack.`,
        payloads: requests.length,
        bytes,
        concurrency: CONCURRENCY,
        ackP50Ms: percentile(ingest.latencies, 50),
        ackP99Ms: percentile(ingest.latencies, 99),
        baselineP50Ms: percentile(baselineLatencies, 50),
        baselineP99Ms: percentile(baselineLatencies, 99),
        baselineRuns: baselineRates,
        batchesCompleted: batchIds.length - pending.size,
        drainSeconds,
      },
    };
  } finally {
    await stopRuntime(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  ingestBench()
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
