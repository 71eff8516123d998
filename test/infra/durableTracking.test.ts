// The `orchestrations-failed` alert rule (infra/modules/alerts.bicep) reads the Durable Functions
// extension's tracking events in `traces`. Per "Diagnostics in Durable Functions"
// (learn.microsoft.com/azure/azure-functions/durable/durable-functions-diagnostics) they are logged under
// the category Host.Triggers.DurableTask, which host.json's `logging.logLevel` filters; the failed-instance
// event is logged at Error level (EndToEndTraceHelper.FunctionFailed in the extension). host.json needs no
// setting for it, but must not filter that category above Error, nor sample traces.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const CATEGORY = 'Host.Triggers.DurableTask';
const PASSES_ERROR = new Set(['trace', 'debug', 'information', 'warning', 'error']);

interface HostLogging {
  logLevel?: Record<string, string>;
  applicationInsights?: { logLevel?: Record<string, string>; samplingSettings?: { isEnabled: boolean; excludedTypes?: string } };
}

/** The level that applies to a category: the longest configured prefix of it (at a dot), else `default`. */
function levelFor(levels: Record<string, string>, category: string): string | undefined {
  const keys = Object.keys(levels).filter((k) => k !== 'default' && (category === k || category.startsWith(`${k}.`)));
  const key = keys.sort((a, b) => b.length - a.length)[0] ?? 'default';
  return levels[key];
}

function hostLogging(): HostLogging {
  return (JSON.parse(readFileSync(path.join(__dirname, '../../host.json'), 'utf8')) as { logging?: HostLogging }).logging ?? {};
}

test('levelFor takes the most specific prefix at a dot boundary, else default, else nothing', () => {
  expect(levelFor({ default: 'Warning', Host: 'None', 'Host.Triggers': 'Error' }, CATEGORY)).toBe('Error');
  expect(levelFor({ default: 'Warning', Host: 'None' }, CATEGORY)).toBe('None');
  expect(levelFor({ default: 'Critical', 'Host.Trig': 'Trace' }, CATEGORY)).toBe('Critical');
  expect(levelFor({}, CATEGORY)).toBeUndefined();
});

test("host.json lets the Durable Functions failed-instance events (Error, Host.Triggers.DurableTask) reach Application Insights", () => {
  const logging = hostLogging();
  for (const levels of [logging.logLevel ?? {}, logging.applicationInsights?.logLevel ?? {}]) {
    const level = levelFor(levels, CATEGORY);
    // Unset: the host's default (Information) applies, and the docs say every non-replay event is emitted.
    expect([CATEGORY, level === undefined || PASSES_ERROR.has(level.toLowerCase())]).toEqual([CATEGORY, true]);
  }
  const sampling = logging.applicationInsights?.samplingSettings;
  const excluded = new Set((sampling?.excludedTypes ?? '').split(';'));
  expect(sampling?.isEnabled === false || excluded.has('Trace')).toBe(true);
});
