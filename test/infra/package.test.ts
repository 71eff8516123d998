// `npm run package` builds the zip Flex Consumption runs: these tests build it, unpack it, and load
// the app from it the way the host would, with nothing from the checkout on the module path.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

const repoRoot = path.resolve(__dirname, '..', '..');
const hasEntryPoint = existsSync(path.join(repoRoot, 'functions', 'index.ts'));
if (!hasEntryPoint) console.warn('test/infra/package: functions/index.ts does not exist yet, so there is no app to package; skipping.');
const describeWithApp = hasEntryPoint ? describe : describe.skip;

/** Unpacks a zip, returning its entry names in order. */
async function extract(zipFile: string, dest: string): Promise<string[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipFile, { lazyEntries: true, autoClose: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      names.push(entry.fileName);
      const target = path.join(dest, entry.fileName);
      if (!target.startsWith(dest + path.sep)) return reject(new Error(`entry escapes the folder: ${entry.fileName}`));
      mkdirSync(path.dirname(target), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        pipeline(stream, createWriteStream(target)).then(() => zip.readEntry(), reject);
      });
    });
    zip.readEntry();
  });
  return names;
}

/** Top-level packages (`name` or `@scope/name`) that npm installs for production on this platform. */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean; os?: string[]; cpu?: string[] }>;
  };
  return Object.entries(lock.packages)
    .filter(([key]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(key))
    .filter(([, p]) => !p.dev && !p.devOptional)
    .filter(([, p]) => !p.optional || ((!p.os || p.os.includes(process.platform)) && (!p.cpu || p.cpu.includes(process.arch))))
    .map(([key]) => key.slice('node_modules/'.length))
    .sort();
}

function installedPackages(nodeModules: string): string[] {
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? readdirSync(path.join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name]))
    .sort();
}

describeWithApp('npm run package', () => {
  let work: string;
  let app: string;
  let entries: string[];

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'pos-hub-package-test-'));
    app = path.join(work, 'app');
    const zipFile = path.join(work, 'app.zip');
    // Compiles with tsconfig.build.json (as npm run build), installs production dependencies from the lock file, and zips.
    const run = spawnSync('npm', ['run', 'package', '--silent', '--', '--out', zipFile], { cwd: repoRoot, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`npm run package failed:\n${run.stdout}\n${run.stderr}`);
    mkdirSync(app);
    entries = await extract(zipFile, app);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds host.json, package.json, the compiled app and node_modules, nothing else', () => {
    expect([...new Set(entries.map((e) => e.split('/')[0]))].sort()).toEqual(['dist', 'host.json', 'node_modules', 'package.json']);
    const appFiles = entries.filter((e) => e.startsWith('dist/'));
    expect([...new Set(appFiles.map((e) => e.split('/')[1]))].sort()).toEqual(['functions', 'shared']);
    expect(appFiles).toContain('dist/functions/index.js');
    expect(appFiles.filter((e) => !/\.(c|m)?js$|\.json$/.test(e))).toEqual([]);
    expect(entries.filter((e) => /(^|\/)(test|local|bench|cli)\//.test(e) && !e.startsWith('node_modules/'))).toEqual([]);
    expect(readFileSync(path.join(app, 'host.json'), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'host.json'), 'utf8'));
  });

  it('ships a package.json with the entry point and dependencies, without scripts or dev dependencies', () => {
    const shipped = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8'));
    const source = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(shipped.main).toBe('dist/functions/index.js');
    expect(shipped.dependencies).toEqual(source.dependencies);
    expect(shipped.devDependencies).toBeUndefined();
    expect(shipped.scripts).toBeUndefined();
  });

  it('installs exactly the production packages of the lock file, no dev dependency', () => {
    const installed = installedPackages(path.join(app, 'node_modules'));
    expect(installed).toEqual(productionPackages());
    const source = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    for (const dep of Object.keys(source.dependencies)) expect(installed).toContain(dep);
    for (const dev of ['typescript', 'jest', 'azurite', 'eslint', '@swc/core', 'tsx', 'yazl']) expect(installed).not.toContain(dev);
    expect(entries.filter((e) => /\.map$|\.d\.[cm]?ts$/.test(e))).toEqual([]);
  });

  it('loads functions/index.js with @azure/functions resolved from the zip', () => {
    // A fresh Node process rooted in the unpacked zip: nothing can come from the checkout.
    const probe = `
      const path = require('node:path');
      const entry = path.join(process.cwd(), 'dist', 'functions', 'index.js');
      const resolved = require.resolve('@azure/functions', { paths: [path.dirname(entry)] });
      require(entry);
      process.stdout.write(JSON.stringify({ resolved }));
    `;
    const env = { ...process.env };
    delete env.NODE_PATH;
    delete env.NODE_OPTIONS;
    const run = spawnSync(process.execPath, ['-e', probe], { cwd: app, env, encoding: 'utf8' });
    expect([run.status, run.stderr.split('\n').filter((l) => /error/i.test(l))]).toEqual([0, []]);
    const { resolved } = JSON.parse(run.stdout.slice(run.stdout.lastIndexOf('{"resolved"'))) as { resolved: string };
    expect(resolved.startsWith(path.join(app, 'node_modules', '@azure', 'functions') + path.sep)).toBe(true);
  });
});
