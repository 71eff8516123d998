// local/dataverse/standInWorker.ts: the stand-in on its own thread, so a load test measures the client
// rather than the client and the "service" sharing one event loop (in Azure they share nothing).
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startDataverseStandIn, type RequestLogEntry, type StandInOptions, type StandInStats } from './startDataverseStandIn';

type Request = { id: number; op: 'stats' | 'resetStats' | 'rowCount' | 'requestLog' | 'stop'; entitySet?: string };
type Reply = { id: number; value?: unknown; error?: string };

export interface StandInThread {
  url: string;
  stats(): Promise<StandInStats>;
  resetStats(): Promise<void>;
  rowCount(entitySet: string): Promise<number>;
  /** Every request since the last resetStats: arrival, status, 429 code and Retry-After (for analysis). */
  requestLog(): Promise<RequestLogEntry[]>;
  /** Share of time the stand-in's event loop was busy since the last call (0..1). */
  utilization(): number;
  stop(): Promise<void>;
}

/** Starts the stand-in in a worker thread; the same options as startDataverseStandIn. */
export function startDataverseStandInThread(opts: StandInOptions): Promise<StandInThread> {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `standInWorker${ext}`);
  // From TypeScript source (run through tsx) the thread needs tsx's require hook too.
  const worker =
    ext === '.ts'
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: opts })
      : new Worker(file, { workerData: opts });
  let next = 0;
  let last = worker.performance.eventLoopUtilization();
  const pending = new Map<number, (r: Reply) => void>();
  const call = (op: Request['op'], entitySet?: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, (r) => (r.error ? reject(new Error(r.error)) : resolve(r.value)));
      worker.postMessage({ id, op, entitySet } satisfies Request);
    });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: Reply | { ready: string }) => {
      if ('ready' in m) {
        resolve({
          url: m.ready,
          stats: () => call('stats') as Promise<StandInStats>,
          resetStats: async () => void (await call('resetStats')),
          rowCount: (set) => call('rowCount', set) as Promise<number>,
          requestLog: () => call('requestLog') as Promise<RequestLogEntry[]>,
          utilization() {
            const now = worker.performance.eventLoopUtilization();
            const delta = worker.performance.eventLoopUtilization(now, last);
            last = now;
            return delta.utilization;
          },
          async stop() {
            await call('stop');
            await worker.terminate();
          },
        });
        return;
      }
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    });
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  void startDataverseStandIn(workerData as StandInOptions).then((dv) => {
    port.on('message', async (m: Request) => {
      try {
        let value: unknown;
        if (m.op === 'stats') value = dv.stats();
        else if (m.op === 'resetStats') dv.resetStats();
        else if (m.op === 'rowCount') value = dv.rows(m.entitySet ?? '').length;
        else if (m.op === 'requestLog') value = dv.requestLog();
        else if (m.op === 'stop') await dv.stop();
        port.postMessage({ id: m.id, value } satisfies Reply);
      } catch (err) {
        port.postMessage({ id: m.id, error: (err as Error).message } satisfies Reply);
      }
    });
    port.postMessage({ ready: dv.url });
  });
}
