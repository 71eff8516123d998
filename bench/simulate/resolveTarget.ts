// bench/simulate/resolveTarget.ts: where the simulator sends and with which credentials. A local runtime
// is found through its runtime.json (re-read after connection failures, since a restarted runtime may
// listen on another port); a deployed hub through --url and --key. Webhook secrets come from flags or
// from the same environment variables the hub reads, so one environment can drive both. Events go to the
// Event Hub named by --eventhub-name (default pos-transactions) with the connection string of
// --eventhubs-connection, else POS_HUB_EVENTHUB_CONNECTION, else the local runtime's runtime.json.
import { readFileSync } from 'node:fs';
import type { Target } from './sendTraffic';

export interface TargetFlags {
  url?: string;
  key?: string;
  runtime?: string;
  shopifySecret?: string;
  squareKey?: string;
  squareUrl?: string;
  eventHubsConnection?: string;
  eventHubName?: string;
}

export const DEFAULT_EVENT_HUB = 'pos-transactions';

interface RuntimeJson {
  baseUrl: string;
  functionKey: string;
  /** null when the runtime runs no Event Hubs server. */
  eventHubsConnectionString: string | null;
}

function readRuntimeJson(file: string): RuntimeJson | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<RuntimeJson>;
    return typeof info.baseUrl === 'string' && typeof info.functionKey === 'string'
      ? {
          baseUrl: info.baseUrl,
          functionKey: info.functionKey,
          eventHubsConnectionString:
            typeof info.eventHubsConnectionString === 'string' ? info.eventHubsConnectionString : null,
        }
      : null;
  } catch {
    return null;
  }
}

/** The first of a comma-separated list (the hub accepts several during a rotation; any one signs). */
const firstOf = (list: string | undefined) =>
  list
    ?.split(',')
    .map((s) => s.trim())
    .find((s) => s.length > 0);

export function resolveTarget(flags: TargetFlags, env: Readonly<Record<string, string | undefined>>): Target {
  const credentials = {
    shopifySecret: flags.shopifySecret ?? firstOf(env.SHOPIFY_WEBHOOK_SECRETS),
    squareSignatureKey: flags.squareKey ?? firstOf(env.SQUARE_WEBHOOK_SIGNATURE_KEYS),
    squareWebhookUrl: flags.squareUrl ?? env.SQUARE_WEBHOOK_URL,
  };
  const hubName = flags.eventHubName ?? DEFAULT_EVENT_HUB;
  const givenConnection = flags.eventHubsConnection ?? (env.POS_HUB_EVENTHUB_CONNECTION || undefined);
  const eventHubsOf = (connectionString: string | null | undefined) =>
    connectionString ? { eventHubs: { connectionString, hubName } } : {};
  if (flags.runtime) {
    const file = flags.runtime;
    const info = readRuntimeJson(file);
    if (!info)
      throw new Error(
        `${file}: not a runtime.json with baseUrl and functionKey (is the local runtime running?)`,
      );
    return {
      baseUrl: info.baseUrl,
      credentials: { ...credentials, functionKey: flags.key ?? info.functionKey },
      ...eventHubsOf(givenConnection ?? info.eventHubsConnectionString),
      refresh: () => {
        const now = readRuntimeJson(file);
        return (
          now && {
            baseUrl: now.baseUrl,
            functionKey: flags.key ?? now.functionKey,
            eventHubsConnectionString: givenConnection ?? now.eventHubsConnectionString,
          }
        );
      },
    };
  }
  const key = flags.key ?? env.POS_HUB_FUNCTION_KEY;
  if (!flags.url || !key)
    throw new Error('give --runtime PATH/runtime.json, or --url and --key (or POS_HUB_FUNCTION_KEY)');
  return {
    baseUrl: flags.url.replace(/\/+$/, ''),
    credentials: { ...credentials, functionKey: key },
    ...eventHubsOf(givenConnection),
  };
}
