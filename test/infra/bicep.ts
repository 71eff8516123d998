// test/infra/bicep.ts: runs the Bicep CLI over infra/ once per test run: `build` of every .bicep file
// and `build-params` of every .bicepparam file (both run the linter with bicepconfig.json and print
// its findings, so no separate `lint` pass is spent), and `snapshot`, which evaluates a parameters
// file against the template the way Azure Resource Manager would (modules flattened, loops expanded,
// conditions applied) without a subscription. The policy tests read the snapshots.
import { execFile } from 'node:child_process';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = path.resolve(__dirname, '..', '..');
export const subscriptionId = '00000000-0000-0000-0000-0000000000aa';
export const tenantId = '00000000-0000-0000-0000-0000000000bb';

/**
 * Environment variables the .bicepparam files read secrets (and the alert recipients) from: never passed
 * to the CLI here, so the deploying shell's values cannot leak into or change what the tests see.
 */
const SECRET_ENV = ['POS_HUB_PSEUDONYM_KEY', 'SHOPIFY_WEBHOOK_SECRETS', 'SQUARE_WEBHOOK_SIGNATURE_KEYS', 'CLOVER_AUTH_CODES', 'LIGHTSPEED_WEBHOOK_SECRETS', 'SQUARE_ACCESS_TOKEN', 'CLOVER_API_TOKENS', 'SQUARE_ACCESS_TOKENS', 'POS_HUB_INGEST_KEYS', 'POS_HUB_ADMIN_KEYS', 'POS_HUB_ALERT_EMAILS', 'POS_HUB_STORES'];

/** BICEP_PATH, else the CLI scripts/restore-bicep.sh puts at .tools/bicep; null when neither runs. */
export function bicepPath(): string | null {
  const candidate = process.env.BICEP_PATH || path.join(repoRoot, '.tools', 'bicep');
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    return null;
  }
}

export interface ArmResource {
  id: string;
  type: string;
  name: string;
  apiVersion: string;
  condition?: string;
  location?: string;
  kind?: string;
  sku?: Record<string, unknown>;
  identity?: { type: string; userAssignedIdentities?: Record<string, unknown> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ARM properties are free-form JSON
  properties?: any;
}

export interface Snapshot {
  predictedResources: ArmResource[];
  diagnostics: unknown[];
  outputs: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- compiled ARM templates are free-form JSON
export type ArmTemplate = Record<string, any>;

export interface InfraBuild {
  /** Every .bicep file under infra/, relative to infra/. */
  bicepFiles: string[];
  /** Compiled templates by .bicep file (relative to infra/). */
  templates: Record<string, ArmTemplate>;
  /** What build and build-params printed (compiler and linter diagnostics), and whether all exited 0. */
  diagnostics: string;
  allSucceeded: boolean;
  /** Compiled parameters by environment ("main" is dev). */
  parameters: Record<'main' | 'prod', { parameters: Record<string, { value: unknown }> }>;
  snapshots: Record<'main' | 'prod', Snapshot>;
  /** Snapshots of the extra parameter files given to buildInfra, by name. */
  extraSnapshots: Record<string, Snapshot>;
}

function listBicep(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listBicep(full, base);
    return e.name.endsWith('.bicep') ? [path.relative(base, full)] : [];
  });
}

/** Runs the CLI in a scratch copy of infra/ (snapshot writes beside its input), all commands at once. */
/**
 * Compiles, lints and snapshots infra/. `extraParams` (name -> .bicepparam text) are parameter files
 * that exist only for a test, e.g. a default or an edge value the shipped files do not use; they are
 * snapshotted beside main and prod.
 */
export async function buildInfra(bicep: string, extraParams: Record<string, string> = {}): Promise<InfraBuild> {
  const work = mkdtempSync(path.join(tmpdir(), 'pos-hub-infra-'));
  try {
    cpSync(path.join(repoRoot, 'infra'), path.join(work, 'infra'), { recursive: true });
    for (const [name, text] of Object.entries(extraParams)) writeFileSync(path.join(work, 'infra', `${name}.bicepparam`), text);
    cpSync(path.join(repoRoot, 'bicepconfig.json'), path.join(work, 'bicepconfig.json'));
    const out = path.join(work, 'out');
    mkdirSync(out);
    const env = { ...process.env };
    for (const name of SECRET_ENV) delete env[name];
    const cli = async (...args: string[]): Promise<{ ok: boolean; output: string }> => {
      try {
        const { stdout, stderr } = await run(bicep, args, { cwd: work, env, maxBuffer: 64 * 1024 * 1024 });
        return { ok: true, output: stdout + stderr };
      } catch (e) {
        const failed = e as { stdout?: string; stderr?: string; message: string };
        return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message };
      }
    };
    const snapshot = (file: string) =>
      cli('snapshot', file, '--mode', 'overwrite', '--subscription-id', subscriptionId, '--tenant-id', tenantId, '--location', 'swedencentral');
    const extraNames = Object.keys(extraParams);
    const [snapshots, results] = await Promise.all([
      Promise.all(['main', 'prod', ...extraNames].map((name) => snapshot(`infra/${name}.bicepparam`))),
      Promise.all([
        cli('build', '--pattern', 'infra/**/*.bicep', '--outdir', out),
        cli('build-params', 'infra/main.bicepparam', '--outfile', path.join(out, 'main.parameters.json')),
        cli('build-params', 'infra/prod.bicepparam', '--outfile', path.join(out, 'prod.parameters.json')),
      ]),
    ]);
    const failedSnapshot = snapshots.find((r) => !r.ok);
    if (failedSnapshot) throw new Error(`bicep snapshot failed:\n${failedSnapshot.output}`);
    const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
    const bicepFiles = listBicep(path.join(work, 'infra')).sort();
    const templates = Object.fromEntries(bicepFiles.map((f) => [f, json(path.join(out, f.replace(/\.bicep$/, '.json')))]));
    return {
      bicepFiles,
      templates,
      diagnostics: results.map((r) => r.output).join(''),
      allSucceeded: results.every((r) => r.ok),
      parameters: { main: json(path.join(out, 'main.parameters.json')), prod: json(path.join(out, 'prod.parameters.json')) },
      snapshots: { main: json(path.join(work, 'infra', 'main.snapshot.json')), prod: json(path.join(work, 'infra', 'prod.snapshot.json')) },
      extraSnapshots: Object.fromEntries(extraNames.map((name) => [name, json(path.join(work, 'infra', `${name}.snapshot.json`))])),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every template in a compiled template: itself and, depth first, each module's nested template. */
export function nestedTemplates(template: ArmTemplate, name = 'main'): { name: string; template: ArmTemplate }[] {
  const resources: ArmTemplate[] = Array.isArray(template.resources) ? template.resources : Object.values(template.resources ?? {});
  return [
    { name, template },
    ...resources
      .filter((r) => r.type === 'Microsoft.Resources/deployments' && r.properties?.template)
      .flatMap((r) => nestedTemplates(r.properties.template, `${name}/${r.name}`)),
  ];
}

export function resourcesOf(template: ArmTemplate): ArmTemplate[] {
  return Array.isArray(template.resources) ? template.resources : Object.values(template.resources ?? {});
}
