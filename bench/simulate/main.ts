// bench/simulate/main.ts: `npm run simulate -- --stores N --minutes M --rate R [--seed S]
// [--url U --key K | --runtime PATH/runtime.json] [--max-payloads P] [--eventhubs-share F]`. Drives realistic POS traffic
// into a running hub and prints what it sent as JSON on stdout (progress on stderr). See docs/simulate.md.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { randomSeed } from './planTraffic';
import { resolveTarget } from './resolveTarget';
import { runSimulation } from './runSimulation';

function positive(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stores: { type: 'string' },
      minutes: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      'max-payloads': { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      runtime: { type: 'string' },
      'shopify-secret': { type: 'string' },
      'square-key': { type: 'string' },
      'square-url': { type: 'string' },
      concurrency: { type: 'string' },
      'retry-for': { type: 'string' },
      'eventhubs-share': { type: 'string' },
      'eventhubs-connection': { type: 'string' },
      'eventhub-name': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const stores = Math.floor(positive('stores', values.stores, 4));
  const minutes = positive('minutes', values.minutes, 1);
  const rate = positive('rate', values.rate, 5);
  const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : randomSeed();
  const maxPayloads =
    values['max-payloads'] !== undefined
      ? Math.floor(positive('max-payloads', values['max-payloads']))
      : undefined;
  const eventHubsShare = values['eventhubs-share'] !== undefined ? Number(values['eventhubs-share']) : 0;
  if (!Number.isFinite(eventHubsShare) || eventHubsShare < 0 || eventHubsShare > 1)
    throw new Error('--eventhubs-share must be a number from 0 to 1');
  const target = resolveTarget(
    {
      url: values.url,
      key: values.key,
      runtime: values.runtime,
      shopifySecret: values['shopify-secret'],
      squareKey: values['square-key'],
      squareUrl: values['square-url'],
      eventHubsConnection: values['eventhubs-connection'],
      eventHubName: values['eventhub-name'],
    },
    process.env,
  );
  process.stderr.write(
    `simulating ${stores} store(s), ${minutes} min at ${rate}/s, seed ${seed}, against ${target.baseUrl}` +
      (eventHubsShare > 0
        ? `, ${eventHubsShare * 100}% of in-store payloads to Event Hub ${target.eventHubs?.hubName ?? '?'}`
        : '') +
      '\n',
  );
  let answered = 0;
  const run = await runSimulation(
    { stores, minutes, rate, seed, eventHubsShare, ...(maxPayloads !== undefined ? { maxPayloads } : {}) },
    target,
    {
      concurrency: Math.floor(positive('concurrency', values.concurrency, 16)),
      retryForMs: positive('retry-for', values['retry-for'], 120) * 1000,
      onAnswer: () => {
        if (++answered % 100 === 0) process.stderr.write(`  ${answered} answered\n`);
      },
    },
  );
  const json = JSON.stringify(run.summary, null, 2) + '\n';
  if (values.out) writeFileSync(values.out, json);
  process.stdout.write(json);
  const s = run.summary;
  process.stderr.write(
    `sent ${s.requests.planned} request(s) and ${s.events.planned} event(s) in ${s.seconds.toFixed(1)} s: ${s.acceptedBatchIds.length} batch(es) accepted, ` +
      `${s.events.enqueued} event(s) enqueued (${s.deadLetters.length} to be dead-lettered), ` +
      `${s.transactions.curated.length} transaction(s) expected in curated and ${s.transactions.quarantine.length} in quarantine, ` +
      `${s.unexpected.length} unexpected answer(s)\n`,
  );
  if (s.unexpected.length > 0 || s.duplicateMismatches.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
