// functions/health.ts: GET /api/v1/health, for load balancers, deploy checks and the local runtime's
// readiness: answers while the app is loaded, with the deployed package version.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { app } from '@azure/functions';

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
