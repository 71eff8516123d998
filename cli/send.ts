// cli/send.ts: `pos-hub send --source NAME FILE...`. Loads historical exports into a hub through the
// ingest API (POST /api/v1/ingest/{source}): each file split into bodies of at most --max-bytes on
// record boundaries (cli/splitExport.ts), gzip-compressed, a few at a time, retried while the hub says
// "later". Safe to run again: the same file splits into the same bodies, which the hub answers with the
// same batch ids and does no new work for. Where the hub is: cli/hubTarget.ts, with the ingest key.
import { readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { gzip } from 'node:zlib';
import type { SourceName } from '../shared/model';
import { STORE_ID_HEADER, storeHintOf } from '../shared/ingest/storeHint';
import { adapterFor, sourceNames } from '../shared/sources/registry';
import { cliErrorMessage, CliUsageError, hubTarget, type HubTarget } from './hubTarget';
import { DEFAULT_RETRY, requestWithRetry, type RetryPolicy } from './requestWithRetry';
import { splitExport, type ExportBody } from './splitExport';
import { waitForBatches } from './waitForBatches';

export const SEND_USAGE =
  'usage: pos-hub send --source NAME [--store-id ID] [--max-bytes N] [--concurrency N] [--wait] [--dry-run] [--url BASE_URL --key KEY] [--data-dir DIR] FILE...';

/** 1 MiB: well under the hub's default POS_HUB_MAX_BODY_BYTES (4 MiB), which --max-bytes must stay under. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_CONCURRENCY = 4;

/** For tests: shorter retries and polls than a real load wants. */
export interface SendTuning {
  retry?: RetryPolicy;
  pollIntervalMs?: number;
}

const gzipAsync = promisify(gzip);

type BodyOutcome =
  | { kind: 'accepted'; batchId: string }
  | { kind: 'refused'; status: number; type: string; detail: string }
  | { kind: 'unreachable'; error: string }
  | { kind: 'not-sent' };

/** The problem's type and detail (never the body sent, nor anything else the answer holds). */
function problemOf(status: number, text: string): { type: string; detail: string } {
  try {
    const p = JSON.parse(text) as { type?: unknown; detail?: unknown };
    return { type: typeof p.type === 'string' ? p.type : `HTTP ${status}`, detail: typeof p.detail === 'string' ? p.detail.split('\n')[0]! : '' };
  } catch {
    return { type: `HTTP ${status}`, detail: '' };
  }
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new CliUsageError(`${name} must be a whole number of at least 1, got "${value}"`);
  return Number(value);
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const describe = (b: ExportBody) => `${b.file} part ${b.part}: ${plural(b.records, 'record')}, ${b.body.length} bytes`;

async function sendBody(target: HubTarget, source: string, storeId: string | undefined, b: ExportBody, retry: RetryPolicy): Promise<BodyOutcome> {
  const headers: Record<string, string> = {
    'x-functions-key': target.key,
    'content-type': b.contentType,
    'content-encoding': 'gzip',
    ...(storeId ? { [STORE_ID_HEADER]: storeId } : {}),
  };
  const url = new URL(`/api/v1/ingest/${encodeURIComponent(source)}`, target.baseUrl).toString();
  const res = await requestWithRetry(url, { method: 'POST', headers, body: await gzipAsync(b.body) }, retry);
  if (!res.ok) {
    return res.status === null
      ? { kind: 'unreachable', error: res.error }
      : { kind: 'refused', status: res.status, type: `HTTP ${res.status}`, detail: `still answered after ${res.attempts} attempts` };
  }
  if (res.status === 202) {
    let batchId: unknown;
    try {
      batchId = (JSON.parse(res.text) as { batchId?: unknown }).batchId;
    } catch {
      // not the hub's answer (a proxy's page?): reported as refused below
    }
    if (typeof batchId === 'string') return { kind: 'accepted', batchId };
  }
  return { kind: 'refused', status: res.status, ...problemOf(res.status, res.text) };
}

const outcomeText = (o: BodyOutcome) =>
  o.kind === 'accepted'
    ? `batch ${o.batchId}`
    : o.kind === 'refused'
      ? `refused ${o.status} ${o.type}${o.detail ? `: ${o.detail}` : ''}`
      : o.kind === 'unreachable'
        ? `not sent: no answer from the hub (${o.error})`
        : 'not sent: the hub refused the key';

/**
 * Runs `send`; resolves to the exit code: 0 every body accepted (and with --wait no batch failed), 1 some
 * record, file or body refused or a batch failed, 2 usage or no hub. One line per body on `out`, then
 * a summary; records and files refused before sending on `err`.
 */
export async function send(argv: string[], out: (s: string) => void, err: (s: string) => void, env: NodeJS.ProcessEnv = process.env, tuning: SendTuning = {}): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        source: { type: 'string' },
        'store-id': { type: 'string' },
        'max-bytes': { type: 'string' },
        concurrency: { type: 'string' },
        wait: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        url: { type: 'string' },
        key: { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
    const source = values.source;
    if (!source) throw new CliUsageError(`--source is required\n${SEND_USAGE}`);
    if (!adapterFor(source)) throw new CliUsageError(`unknown source "${source}" (known: ${sourceNames().join(', ')})`);
    if (positionals.length === 0) throw new CliUsageError(`at least one FILE is required\n${SEND_USAGE}`);
    const maxBytes = positiveInt('--max-bytes', values['max-bytes'], DEFAULT_MAX_BYTES);
    const concurrency = positiveInt('--concurrency', values.concurrency, DEFAULT_CONCURRENCY);
    const storeId = values['store-id'];
    if (storeId !== undefined) {
      const hint = storeHintOf({ [STORE_ID_HEADER]: storeId });
      if (!hint.ok) throw new CliUsageError(`--store-id: ${hint.detail}`);
    }
    for (const file of positionals) {
      let isFile = false;
      try {
        isFile = statSync(file).isFile();
      } catch {
        // reported below
      }
      if (!isFile) throw new CliUsageError(`cannot read ${file}: no such file`);
    }
    const dryRun = values['dry-run'] ?? false;
    const target = dryRun ? null : hubTarget(values, env, { keyEnv: 'POS_HUB_INGEST_KEY' });
    const retry = tuning.retry ?? DEFAULT_RETRY;

    const totals = { bodies: 0, records: 0, bytes: 0, refusedRecords: 0, refusedBodies: 0, unreachable: 0, answered: 0 };
    const batchIds: string[] = [];
    let keyRefused = false;
    // Every body of the run in file and part order. Files are split one at a time, when the senders
    // run out of bodies: memory holds about one file and its bodies, and the pool spans files (a year
    // of daily exports of one body each still goes --concurrency at a time).
    const queue: { line: string; body: ExportBody | null; outcome?: BodyOutcome | 'printed-as-is' }[] = [];
    let nextFile = 0;
    let nextBody = 0;
    let printed = 0;
    // Lines in body order whatever order the answers come in, so two runs print the same.
    const flush = () => {
      for (; printed < queue.length && queue[printed]!.outcome; printed++) {
        const q = queue[printed]!;
        out(q.outcome === 'printed-as-is' ? `${q.line}\n` : `${q.line} -> ${outcomeText(q.outcome!)}\n`);
      }
    };
    const splitNextFile = () => {
      const file = positionals[nextFile++]!;
      const split = splitExport(file, readFileSync(file), source as SourceName, maxBytes);
      for (const r of split.refusals) err(`pos-hub: ${r.message}\n`);
      totals.refusedRecords += split.refusals.length;
      if (split.bodies.length === 0 && split.refusals.length === 0) queue.push({ line: `${file}: nothing to send`, body: null, outcome: 'printed-as-is' });
      for (const b of split.bodies) {
        totals.bodies++;
        totals.records += b.records;
        totals.bytes += b.body.length;
        queue.push({ line: describe(b), body: b, ...(target ? {} : { outcome: 'printed-as-is' as const }) });
      }
      flush();
    };
    const take = () => {
      while (nextBody >= queue.length) {
        if (nextFile >= positionals.length) return null;
        splitNextFile();
      }
      return queue[nextBody++]!;
    };
    if (!target) {
      while (nextFile < positionals.length) splitNextFile();
    } else {
      const worker = async () => {
        for (let q = take(); q; q = take()) {
          if (q.outcome || !q.body) continue;
          // Every body would get the same 401/403: stop instead of sending a year of data to be refused.
          const o: BodyOutcome = keyRefused ? { kind: 'not-sent' } : await sendBody(target, source, storeId, q.body, retry);
          if (o.kind === 'refused' && (o.status === 401 || o.status === 403)) keyRefused = true;
          if (o.kind === 'unreachable') totals.unreachable++;
          else if (o.kind !== 'accepted') totals.refusedBodies++;
          if (o.kind === 'accepted' || o.kind === 'refused') totals.answered++;
          q.outcome = o;
          q.body = null; // sent: its bytes are not needed any more
          flush();
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      // In body order, not answer order: --wait then reports failed batches in file order.
      for (const q of queue) if (q.outcome && q.outcome !== 'printed-as-is' && q.outcome.kind === 'accepted') batchIds.push(q.outcome.batchId);
    }

    const what = `${plural(totals.bodies, 'body', 'bodies')} (${plural(totals.records, 'record')}, ${totals.bytes} bytes) from ${plural(positionals.length, 'file')}`;
    const refusedRecords = totals.refusedRecords > 0 ? `, ${totals.refusedRecords} records or files refused before sending` : '';
    if (!target) {
      out(`dry run: would send ${what}${refusedRecords}\n`);
      return totals.refusedRecords > 0 ? 1 : 0;
    }
    const distinct = new Set(batchIds).size;
    out(
      `sent ${what}: ${batchIds.length} accepted as ${plural(distinct, 'batch', 'batches')}, ${totals.refusedBodies} refused` +
        (totals.unreachable > 0 ? `, ${totals.unreachable} without an answer` : '') +
        `${refusedRecords}\n`,
    );
    if (totals.unreachable > 0 && totals.answered === 0) {
      err(`pos-hub: cannot reach ${target.baseUrl}\n`);
      return 2;
    }
    let failedBatches = 0;
    if (values.wait && batchIds.length > 0) {
      const settled = await waitForBatches(target, batchIds, { concurrency, ...(tuning.retry ? { retry: tuning.retry } : {}), ...(tuning.pollIntervalMs ? { pollIntervalMs: tuning.pollIntervalMs } : {}) });
      const sum = { transactions: 0, accepted: 0, quarantined: 0 };
      for (const s of settled) {
        sum.transactions += s.transactions;
        sum.accepted += s.accepted;
        sum.quarantined += s.quarantined;
        if (s.status !== 'completed') {
          failedBatches++;
          out(`batch ${s.batchId} ${s.status === 'failed' ? 'failed' : `status unknown: ${s.error ?? ''}`}\n`);
        }
      }
      out(`settled ${plural(settled.length, 'batch', 'batches')}: ${plural(sum.transactions, 'transaction')}, ${sum.accepted} accepted, ${sum.quarantined} quarantined, ${failedBatches} failed\n`);
    }
    return totals.refusedRecords + totals.refusedBodies + totals.unreachable + failedBatches > 0 ? 1 : 0;
  } catch (e) {
    err(`pos-hub: ${cliErrorMessage(e)}\n`);
    return 2;
  }
}
