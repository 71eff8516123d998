// The operation events are what the alert rules (infra/modules/alerts.bicep) query: their wording is a
// contract. These tests pin it, and the level that decides the trace's severity.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { batchOutcomeEvent, deadLetterEvent, fetchOutcomeEvent, OPERATION_EVENTS } from '../../shared/platform/operationEvents';

const counts = { transactions: 12, accepted: 10, quarantined: 2, dataverseLoaded: 9, dataverseFailed: 1 };

test('a batch outcome is one line of its counts; a clean run is info, anything to look at is a warning', () => {
  expect(batchOutcomeEvent({ batchId: 'shopify-c-0123abcd', source: 'shopify', status: 'completed', counts })).toEqual({
    level: 'warn',
    message:
      'pos-hub.batch-outcome batch=shopify-c-0123abcd source=shopify status=completed transactions=12 accepted=10 quarantined=2 dataverseLoaded=9 dataverseFailed=1',
  });
  const clean = { ...counts, accepted: 12, quarantined: 0, dataverseLoaded: 12, dataverseFailed: 0 };
  expect(batchOutcomeEvent({ batchId: 'b', status: 'completed', counts: clean }).level).toBe('info');
  expect(batchOutcomeEvent({ batchId: 'b', status: 'completed', counts: { ...clean, dataverseLoaded: 11, dataverseFailed: 1 } }).level).toBe('warn');
  // A failed run has no counts: it still says so, with zeros, so the queries parse every line alike.
  expect(batchOutcomeEvent({ batchId: 'b', status: 'failed', counts: null })).toEqual({
    level: 'warn',
    message: 'pos-hub.batch-outcome batch=b source=unknown status=failed transactions=0 accepted=0 quarantined=0 dataverseLoaded=0 dataverseFailed=0',
  });
});

test('a dead letter names its blob and code; a hostile source property does not reach the log as written', () => {
  expect(deadLetterEvent({ source: 'square', code: 'malformed-body', blobName: 'deadletter/eventhubs/2026-11-30/0-13.json' })).toEqual({
    level: 'warn',
    message: 'pos-hub.dead-letter source=square code=malformed-body blob=deadletter/eventhubs/2026-11-30/0-13.json',
  });
  for (const source of ['sq uare status=failed', 'x\ny', 'a'.repeat(65), '', null, undefined]) {
    expect(deadLetterEvent({ source, code: 'unknown-source', blobName: 'deadletter/x.json' }).message).toBe(
      `${OPERATION_EVENTS.deadLetter} source=unknown code=unknown-source blob=deadletter/x.json`,
    );
  }
});

test('Application Insights keeps every trace and exception: a sampled-out event would be an alert missed or a count too low', () => {
  const host = JSON.parse(readFileSync(path.join(__dirname, '../../host.json'), 'utf8')) as {
    logging: { applicationInsights: { samplingSettings: { isEnabled: boolean; excludedTypes?: string } } };
  };
  const sampling = host.logging.applicationInsights.samplingSettings;
  const excluded = new Set((sampling.excludedTypes ?? '').split(';'));
  expect(sampling.isEnabled === false || ['Trace', 'Exception', 'Request'].every((t) => excluded.has(t))).toBe(true);
});

test('a fetcher run is one line of its counts; rows given up on or waiting for a token make it a warning', () => {
  const quiet = { fetched: 3, gone: 1, skipped: 2, failed: 0, retrying: 1, rateLimited: 0, waiting: 0, deferred: 4 };
  expect(fetchOutcomeEvent(quiet)).toEqual({
    level: 'info',
    message: 'pos-hub.fetch-outcome fetched=3 gone=1 skipped=2 failed=0 retrying=1 rateLimited=0 waiting=0 deferred=4',
  });
  expect(fetchOutcomeEvent({ ...quiet, failed: 1 }).level).toBe('warn');
  expect(fetchOutcomeEvent({ ...quiet, waiting: 2 }).level).toBe('warn');
});
