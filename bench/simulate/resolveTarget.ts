// bench/simulate/resolveTarget.ts: where the simulator sends and with which credentials. A local runtime
// is found through its runtime.json (re-read after connection failures, since a restarted runtime may
// listen on another port); a deployed hub through --url and --key. Webhook secrets come from flags or
// from the same environment variables the hub reads, so one environment can drive both.
import { readFileSync } from 'node:fs';
import type { Target } from './sendTraffic';

export interface TargetFlags {
  url?: string;
  key?: string;
  runtime?: string;
  shopifySecret?: string;
  squareKey?: string;
  squareUrl?: string;
}

interface RuntimeJson {
  baseUrl: string;
  functionKey: string;
}

function readRuntimeJson(file: string): RuntimeJson | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<RuntimeJson>;
    return typeof info.baseUrl === 'string' && typeof info.functionKey === 'string'
      ? { baseUrl: info.baseUrl, functionKey: info.functionKey }
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
      refresh: () => {
        const now = readRuntimeJson(file);
        return now && { baseUrl: now.baseUrl, functionKey: flags.key ?? now.functionKey };
      },
    };
  }
  const key = flags.key ?? env.POS_HUB_FUNCTION_KEY;
  if (!flags.url || !key)
    throw new Error('give --runtime PATH/runtime.json, or --url and --key (or POS_HUB_FUNCTION_KEY)');
  return { baseUrl: flags.url.replace(/\/+$/, ''), credentials: { ...credentials, functionKey: key } };
}
