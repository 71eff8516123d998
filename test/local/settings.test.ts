// host.json as the local runtime reads it: the route prefix and the durableTask settings it applies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { durableTaskOf, readHostJson, routePrefixOf } from '../../local/settings';

function hostJson(value: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pos-hub-hostjson-'));
  try {
    writeFileSync(path.join(dir, 'host.json'), JSON.stringify(value));
    return readHostJson(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('durableTask: hub name and concurrency limits are read; absent ones stay absent', () => {
  const parsed = hostJson({ version: '2.0', extensions: { durableTask: { hubName: 'poshub', maxConcurrentActivityFunctions: 4, maxConcurrentOrchestratorFunctions: 6, storageProvider: {} } } });
  expect(durableTaskOf(parsed)).toEqual({ hubName: 'poshub', maxConcurrentActivityFunctions: 4, maxConcurrentOrchestratorFunctions: 6, storageProvider: {} });
  expect(durableTaskOf(hostJson({ version: '2.0' }))).toEqual({});
  expect(routePrefixOf(hostJson({ version: '2.0', extensions: { http: { routePrefix: '/v/' } } }))).toBe('v');
});

test.each([0, -1, 2.5, '4'])('a concurrency limit of %p is refused with the setting named', (value) => {
  expect(() => hostJson({ extensions: { durableTask: { maxConcurrentActivityFunctions: value } } })).toThrow(/maxConcurrentActivityFunctions/);
});

test("the project's host.json is valid for the local runtime", () => {
  const parsed = readHostJson(path.join(__dirname, '../..'));
  expect(durableTaskOf(parsed).hubName).toBe('poshub');
});
