// cli/posHub.ts: the `pos-hub` command line (CONTRACTS.md, Command line).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isKnownCurrency } from '../shared/model/money';
import { isValidTimeZone } from '../shared/model/time';
import { serializeTransactions, transformPayload } from '../shared/pipeline/transformPayload';
import { parseStoreMap } from '../shared/platform/parseStoreMap';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { adapterFor, sourceNames } from '../shared/sources/registry';
import type { StoreConfig } from '../shared/sources/types';
import { erase, ERASE_USAGE } from './erase';
import { health, HEALTH_USAGE } from './health';
import { redrive, REDRIVE_USAGE } from './redrive';
import { replay, REPLAY_USAGE } from './replay';
import { send, SEND_USAGE } from './send';

const USAGE = `usage: pos-hub transform --source NAME [--store-timezone IANA] [--currency ISO] [--country CC] [--store-id ID] [--stores FILE] FILE
sources: ${sourceNames().join(', ')}
${SEND_USAGE}
${REPLAY_USAGE}
${REDRIVE_USAGE}
${ERASE_USAGE}
${HEALTH_USAGE}`;

class UsageError extends Error {}

function transform(argv: string[]): string {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      'store-timezone': { type: 'string' },
      currency: { type: 'string' },
      country: { type: 'string' },
      'store-id': { type: 'string' },
      stores: { type: 'string' },
    },
  });
  const source = values.source;
  if (!source) throw new UsageError('--source is required');
  const adapter = adapterFor(source);
  if (!adapter) throw new UsageError(`unknown source "${source}" (known: ${sourceNames().join(', ')})`);
  if (positionals.length !== 1) throw new UsageError('exactly one FILE is required');
  const timeZone = values['store-timezone'] ?? null;
  if (timeZone && !isValidTimeZone(timeZone)) throw new UsageError(`unknown time zone "${timeZone}"`);
  const currency = values.currency?.toUpperCase() ?? null;
  if (currency && !isKnownCurrency(currency)) throw new UsageError(`unknown currency "${currency}"`);
  const stores = storesFor(values.stores);
  let text: string;
  try {
    text = readFileSync(positionals[0]!, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // References are only stable across runs with the deployment's key; without one, they are per run.
  const key = process.env.POS_HUB_PSEUDONYM_KEY;
  const pseudonymize = createPseudonymizer(key && key.length >= 16 ? key : randomBytes(32), values.country);
  const result = transformPayload(adapter, text.replace(/^\uFEFF/, ''), {
    timeZone,
    currency,
    country: values.country ?? null,
    storeId: values['store-id'] ?? null,
    stores,
    pseudonymize,
  });
  if (!result.readable) {
    const first = result.findings.find((f) => f.severity === 'error');
    throw new UsageError(`the payload could not be read: ${first ? `${first.code}: ${first.message}` : 'no payload found'}`);
  }
  const findings = [...result.findings];
  if (!(key && key.length >= 16)) {
    findings.push({
      code: 'privacy.ephemeral_key',
      severity: 'warning',
      path: '',
      message: 'POS_HUB_PSEUDONYM_KEY is not set: customer references are random for this run',
    });
  }
  return serializeTransactions({ transactions: result.transactions, findings });
}

/**
 * The per-store zones, currencies and countries, as the deployment's POS_HUB_STORES gives them: from
 * `--stores FILE` (the same JSON), else from POS_HUB_STORES when set, so a payload reads as in the hub.
 */
function storesFor(file: string | undefined): ReadonlyMap<string, StoreConfig> | undefined {
  let text: string;
  let origin: string;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    origin = file;
  } else {
    const env = process.env.POS_HUB_STORES;
    if (env === undefined || env.trim() === '') return undefined;
    text = env;
    origin = 'POS_HUB_STORES';
  }
  const parsed = parseStoreMap(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) throw new UsageError(`${origin}: ${parsed.problem}`);
  return parsed.stores;
}

/** Runs the CLI; returns the exit code. Output goes to the given writers (stdout, stderr). */
export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  try {
    if (command === 'transform') {
      out(transform(rest) + '\n');
      return 0;
    }
    const networked = command === 'send' ? send : command === 'replay' ? replay : command === 'redrive' ? redrive : command === 'erase' ? erase : command === 'health' ? health : null;
    if (networked) {
      // The commands that wait on the network: their exit code is set once the hub has answered.
      void networked(rest, out, err).then((code) => {
        process.exitCode = code;
      });
      return 0;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      out(USAGE + '\n');
      return 0;
    }
    throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  } catch (e) {
    const message = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ? (e as Error).message
      : `internal error: ${(e as Error).message}`;
    err(`pos-hub: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
