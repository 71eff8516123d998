// shared/platform/checkDependencies.ts: GET /api/v1/health/dependencies. Whether the app can do its
// work right now: its settings load (Key Vault references resolved), and the lake, the work container,
// the batch ledger and Dataverse answer with the app's own identity. Each probe is a read (or the
// create-if-missing the app does anyway), bounded in time, and all run at once. A problem is described
// by its kind and status, never with a secret: storage URLs lose their query strings.
import { TRANSACTION_TABLE } from '../dataverse/tables';
import { ingestServicesFor, type IngestServices } from '../ingest/ingestServices';
import { SettingsError } from './settings';

export interface DependencyCheck {
  name: 'settings' | 'lake' | 'work' | 'ledger' | 'dataverse';
  ok: boolean;
  ms: number;
  /** Why it failed, or what it found ("not configured"). */
  detail?: string;
}

export interface DependencyReport {
  status: 'ok' | 'degraded';
  checks: DependencyCheck[];
}

export const PROBE_TIMEOUT_MS = 5_000;

/** The error's kind, status and first line; SAS signatures and other query strings cut off. */
function detailOf(err: unknown): string {
  const e = err as { name?: string; code?: string; statusCode?: number; status?: number; message?: string };
  const status = e.statusCode ?? e.status;
  const first = (e.message ?? String(err)).split('\n')[0]!.replace(/\?\S*/g, '?…').slice(0, 200);
  return `${e.code ?? e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${first}`;
}

async function probe(name: DependencyCheck['name'], run: () => Promise<string | void>, timeoutMs: number): Promise<DependencyCheck> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const found = await Promise.race([run(), timeout]);
    return { name, ok: true, ms: Date.now() - started, ...(found ? { detail: found } : {}) };
  } catch (err) {
    return { name, ok: false, ms: Date.now() - started, detail: detailOf(err) };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkDependencies(
  env: Readonly<Record<string, string | undefined>>,
  options: { timeoutMs?: number } = {},
): Promise<DependencyReport> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const started = Date.now();
  let services: IngestServices;
  try {
    services = ingestServicesFor(env);
  } catch (err) {
    const detail = err instanceof SettingsError ? err.problems.join('; ') : detailOf(err);
    return { status: 'degraded', checks: [{ name: 'settings', ok: false, ms: Date.now() - started, detail }] };
  }
  const checks = [
    { name: 'settings', ok: true, ms: Date.now() - started } as DependencyCheck,
    ...(await Promise.all([
      probe('lake', async () => void (await (await services.lake()).getProperties()), timeoutMs),
      probe('work', async () => void (await (await services.work()).getProperties()), timeoutMs),
      // A point read of an id no batch has: it proves the table answers and the identity may read it.
      probe('ledger', async () => void (await services.ledger.get('health-probe')), timeoutMs),
      probe(
        'dataverse',
        async () => {
          if (!services.dataverse) return 'not configured';
          await services.dataverse.query(TRANSACTION_TABLE.entitySet, { select: [TRANSACTION_TABLE.keyColumn], top: 1 });
        },
        timeoutMs,
      ),
    ])),
  ];
  return { status: checks.every((c) => c.ok) ? 'ok' : 'degraded', checks };
}
