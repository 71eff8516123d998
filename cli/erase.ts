// cli/erase.ts: `pos-hub erase`: asks the hub (POST /api/v1/admin/erase) to erase one person's data
// (GDPR Art. 17), identified by any of their emails, phone numbers, loyalty ids and vendor customer ids.
// The hub turns them into references with its own key, so the key never leaves the hub. With --wait the
// command follows the erasure to its end and prints its report.
import { parseArgs } from 'node:util';
import { callHub, cliErrorMessage, CliUsageError, hubTarget, refusalDetail, type HubTarget } from './hubTarget';

export const ERASE_USAGE =
  'usage: pos-hub erase [--email ADDRESS]... [--phone NUMBER]... [--country CC] [--loyalty ID]... [--customer SOURCE:ID]... [--dry-run] [--wait] [--url BASE_URL --key KEY] [--data-dir DIR]';

const POLL_MS = 1000;

function customerOf(text: string): { source: string; id: string } {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new CliUsageError(`--customer takes SOURCE:ID (the source that issued the id, e.g. shopify:207119551)\n${ERASE_USAGE}`);
  return { source: text.slice(0, colon), id: text.slice(colon + 1) };
}

async function follow(target: HubTarget, erasureId: string, sleep: (ms: number) => Promise<void>): Promise<{ status: string; text: string }> {
  for (;;) {
    const res = await callHub(target, `/api/v1/admin/erasures/${erasureId}`, { method: 'GET' });
    if (res.status !== 200) throw new Error(`status of ${erasureId}: ${refusalDetail(res.status, res.text)}`);
    const status = (JSON.parse(res.text) as { status: string }).status;
    if (status === 'completed' || status === 'failed') return { status, text: res.text };
    await sleep(POLL_MS);
  }
}

/** Runs `erase`; resolves to the exit code: 0 started (or, with --wait, completed), 1 refused or failed, 2 usage or no hub. */
export async function erase(
  argv: string[],
  out: (s: string) => void,
  err: (s: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        email: { type: 'string', multiple: true },
        phone: { type: 'string', multiple: true },
        country: { type: 'string' },
        loyalty: { type: 'string', multiple: true },
        customer: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        wait: { type: 'boolean' },
        url: { type: 'string' },
        key: { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
    const body = {
      emails: values.email ?? [],
      phones: values.phone ?? [],
      ...(values.country ? { country: values.country } : {}),
      loyaltyIds: values.loyalty ?? [],
      customers: (values.customer ?? []).map(customerOf),
      dryRun: values['dry-run'] ?? false,
    };
    if (body.emails.length + body.phones.length + body.loyaltyIds.length + body.customers.length === 0) {
      throw new CliUsageError(`give at least one --email, --phone, --loyalty or --customer\n${ERASE_USAGE}`);
    }
    const target = hubTarget(values, env);
    const res = await callHub(target, '/api/v1/admin/erase', { method: 'POST', body });
    if (res.status !== 202) {
      err(`pos-hub: erase refused (${res.status}): ${refusalDetail(res.status, res.text)}\n`);
      return 1;
    }
    if (!values.wait) {
      out(res.text.trim() + '\n');
      return 0;
    }
    const { erasureId } = JSON.parse(res.text) as { erasureId: string };
    const done = await follow(target, erasureId, sleep);
    out(done.text.trim() + '\n');
    if (done.status === 'completed') return 0;
    err(`pos-hub: erasure ${erasureId} failed; see the hub's log, then ask again (an erasure can be repeated safely)\n`);
    return 1;
  } catch (e) {
    err(`pos-hub: ${cliErrorMessage(e)}\n`);
    return 2;
  }
}
