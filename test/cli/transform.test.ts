import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../cli/posHub';
import { CanonicalTransaction } from '../../shared/model';

const fixture = (...p: string[]) => path.join(__dirname, '..', 'fixtures', ...p);

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const saved = process.env.POS_HUB_PSEUDONYM_KEY;
  process.env.POS_HUB_PSEUDONYM_KEY = 'key' in env ? env.key : 'cli-test-key-0123456789';
  let stdout = '';
  let stderr = '';
  const code = main(args, (s) => (stdout += s), (s) => (stderr += s));
  process.env.POS_HUB_PSEUDONYM_KEY = saved;
  return { code, stdout, stderr };
}

describe('pos-hub transform', () => {
  it('prints { transactions, findings } for the NCR POSLog sample with the store zone supplied', () => {
    const r = run(['transform', '--source', 'poslog', '--store-timezone', 'America/New_York', fixture('poslog', 'ncr-acs-SMALL.xml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['transactions', 'findings']);
    // The sign-on control transaction produces nothing; the sale does.
    expect(out.transactions).toHaveLength(1);
    const tx = CanonicalTransaction.parse(out.transactions[0]);
    expect(tx.source).toBe('poslog');
    expect(tx.discountTotal).toBe('0.19');
    expect(tx.lines.map((l) => l.quantity)).toContain('0.42');
    expect(tx.findings.filter((f) => f.code === 'time.zone_unknown')).toEqual([]);
  });

  it('without a store zone, reports the local time as an error finding and still exits 0', () => {
    const r = run(['transform', '--source', 'poslog', fixture('poslog', 'ncr-acs-SMALL.xml')]);
    expect(r.code).toBe(0);
    const tx = JSON.parse(r.stdout).transactions[0];
    expect(tx.findings.map((f: { code: string }) => f.code)).toContain('time.zone_unknown');
  });

  it('reports the inconsistent Shopify sample as an error, not silently accepted', () => {
    const r = run(['transform', '--source', 'shopify', '--store-timezone', 'America/New_York', fixture('shopify', 'order.json')]);
    expect(r.code).toBe(0);
    const [tx] = JSON.parse(r.stdout).transactions;
    const errors = tx.findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { code: string }) => f.code);
    expect(errors).toContain('source.shopify.subtotal_mismatch');
  });

  it('acknowledges the Square test notification with no transaction', () => {
    const r = run(['transform', '--source', 'square', fixture('square', 'webhook-test-notification.body.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).transactions).toEqual([]);
  });

  it('exits 2 with a one-line message when the payload cannot be read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pos-hub-cli-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"id": 1,');
    const r = run(['transform', '--source', 'shopify', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pos-hub: the payload could not be read: payload\.malformed_json: .+\n$/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on an unknown source, a missing file, an unknown zone or currency', () => {
    expect(run(['transform', '--source', 'nope', fixture('shopify', 'order.json')])).toMatchObject({ code: 2, stdout: '' });
    expect(run(['transform', '--source', 'shopify', '/nonexistent/file.json']).stderr).toBe('pos-hub: cannot read /nonexistent/file.json: ENOENT\n');
    expect(run(['transform', '--source', 'poslog', '--store-timezone', 'Mars/Olympus', fixture('poslog', 'ncr-acs-SMALL.xml')]).code).toBe(2);
    expect(run(['transform', '--source', 'poslog', '--currency', 'XQQ', fixture('poslog', 'ncr-acs-SMALL.xml')]).code).toBe(2);
    expect(run(['transform', fixture('shopify', 'order.json')]).stderr).toBe('pos-hub: --source is required\n');
  });

  it('keeps the payload\'s own currency over the configured one', () => {
    const r = run(['transform', '--source', 'poslog', '--currency', 'EUR', '--store-timezone', 'Europe/Paris', fixture('poslog', 'ncr-acs-SMALL.xml')]);
    expect(JSON.parse(r.stdout).transactions[0].currency).toBe('USD');
  });

  it('warns that customer references are random without a configured key', () => {
    const r = run(['transform', '--source', 'square', fixture('square', 'webhook-test-notification.body.json')], { key: undefined });
    expect(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code)).toContain('privacy.ephemeral_key');
  });

  it('runs as the installed bin (node bin/pos-hub.js, built by npm ci)', () => {
    const root = path.join(__dirname, '..', '..');
    const bin = path.join(root, 'bin', 'pos-hub.js');
    // `npm ci` builds dist/ (prepare); build it here only when a developer has not yet.
    if (!existsSync(path.join(root, 'dist', 'cli', 'posHub.js'))) {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')]);
    }
    const r = spawnSync(process.execPath, [bin, 'transform', '--source', 'poslog', '--store-timezone', 'America/New_York', fixture('poslog', 'ncr-acs-SMALL.xml')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).transactions).toHaveLength(1);
    const bad = spawnSync(process.execPath, [bin, 'transform', '--source', 'poslog', '/nonexistent.xml'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});

describe('pos-hub transform with per-store configuration', () => {
  const storesJson = JSON.stringify({ S042: { timeZone: 'America/Los_Angeles', currency: 'USD' } });
  const csv = fixture('csv', 'two-stores.csv');
  const timesOf = (stdout: string) =>
    Object.fromEntries(
      (JSON.parse(stdout).transactions as CanonicalTransaction[]).map((t) => [t.sourceKey, [t.occurredAt, t.businessDate, t.currency]]),
    );

  function withStoresEnv<T>(value: string | undefined, fn: () => T): T {
    const saved = process.env.POS_HUB_STORES;
    if (value === undefined) delete process.env.POS_HUB_STORES;
    else process.env.POS_HUB_STORES = value;
    try {
      return fn();
    } finally {
      if (saved === undefined) delete process.env.POS_HUB_STORES;
      else process.env.POS_HUB_STORES = saved;
    }
  }

  it('reads --stores FILE as the hub reads POS_HUB_STORES: a Los Angeles store in a New York default', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pos-hub-cli-'));
    const file = path.join(dir, 'stores.json');
    writeFileSync(file, storesJson);
    const base = ['transform', '--source', 'csv', '--store-timezone', 'America/New_York', '--currency', 'EUR'];
    const plain = withStoresEnv(undefined, () => run([...base, csv]));
    const mapped = withStoresEnv(undefined, () => run([...base, '--stores', file, csv]));
    expect(mapped.code).toBe(0);
    // 23:30 local: 04:30Z next day in New York, 07:30Z next day in Los Angeles; same business date.
    expect(timesOf(plain.stdout).T2001).toEqual(['2026-12-01T04:30:00.000Z', '2026-11-30', 'EUR']);
    expect(timesOf(mapped.stdout).T2001).toEqual(['2026-12-01T07:30:00.000Z', '2026-11-30', 'USD']);
    // A store not in the map keeps the defaults.
    expect(timesOf(mapped.stdout).T2003).toEqual(timesOf(plain.stdout).T2003);
  });

  it('takes POS_HUB_STORES from the environment when no --stores is given', () => {
    const r = withStoresEnv(storesJson, () =>
      run(['transform', '--source', 'csv', '--store-timezone', 'America/New_York', '--currency', 'EUR', csv]),
    );
    expect(r.code).toBe(0);
    expect(timesOf(r.stdout).T2001).toEqual(['2026-12-01T07:30:00.000Z', '2026-11-30', 'USD']);
  });

  it('exits 2 naming the store and field when the map is invalid, and when the file is missing', () => {
    const bad = withStoresEnv(JSON.stringify({ S042: { timeZone: 'Mars/Olympus' } }), () => run(['transform', '--source', 'csv', csv]));
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('POS_HUB_STORES: store "S042" timeZone: not an IANA time zone');
    const missing = withStoresEnv(undefined, () => run(['transform', '--source', 'csv', '--stores', '/nonexistent/stores.json', csv]));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/stores.json: ENOENT');
  });
});
