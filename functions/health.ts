// functions/health.ts: GET /api/v1/health, for load balancers, deploy checks and the local runtime's
// readiness: answers while the app is loaded, with the deployed package version. GET
// /api/v1/health/dependencies, for operators: whether the settings load and storage and Dataverse answer
// (shared/platform/checkDependencies.ts); an ingest or an admin credential, 503 when something does not.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { ingestServicesFor } from '../shared/ingest/ingestServices';
import { checkDependencies } from '../shared/platform/checkDependencies';
import { authorizeIngestOrAdmin } from './adminHttp';

/** package.json sits at the app root: one level above functions/ in source, two above dist/functions. */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string })
        .version;
    } catch {
      if (path.dirname(dir) === dir) return 'unknown';
    }
  }
}

const version = packageVersion();

app.http('health', {
  route: 'v1/health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: () => ({ status: 200, jsonBody: { status: 'ok', version } }),
});

async function dependencies(req: HttpRequest, context: InvocationContext) {
  try {
    ingestServicesFor(process.env);
  } catch (err) {
    // No caller can be checked without settings: say only that they do not load, and name the
    // settings in the log, where operators look.
    context.error(`health: ${err instanceof Error ? err.message : String(err)}`);
    const detail = 'the app settings do not load; the function app log names the settings';
    return { status: 503, jsonBody: { status: 'degraded', version, checks: [{ name: 'settings', ok: false, ms: 0, detail }] } };
  }
  const { refusal } = await authorizeIngestOrAdmin(req);
  if (refusal) return refusal;
  const report = await checkDependencies(process.env);
  for (const c of report.checks.filter((check) => !check.ok)) context.warn(`health: ${c.name} failed: ${c.detail ?? ''}`);
  return { status: report.status === 'ok' ? 200 : 503, jsonBody: { status: report.status, version, checks: report.checks } };
}

app.http('healthDependencies', { route: 'v1/health/dependencies', methods: ['GET'], authLevel: 'anonymous', handler: dependencies });
