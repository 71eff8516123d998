#!/usr/bin/env node
// `npm run package [-- --out FILE] [-- --no-build]`: the zip that Flex Consumption one-deploy
// (`az functionapp deployment source config-zip`) runs: host.json, a trimmed package.json, the
// compiled dist/functions and dist/shared, and production node_modules only, installed from the lock
// file. Remote build is off on this path, so the zip must already hold everything the app loads.
// It compiles with the build's tsconfig into its own staging folder (so a package never mixes in
// stale files from dist/, and never rewrites dist/ under a running test); --no-build zips dist/.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Buffer } = require('node:buffer');
const yazl = require('yazl');

const root = path.resolve(__dirname, '..');
// Only what runs in Azure: the local runtime, CLI and benchmarks stay out.
const APP_DIRS = ['dist/functions', 'dist/shared'];
const RUNTIME_FILES = /\.(c|m)?js$|\.json$/;
// Type declarations and source maps are half of node_modules' files and none of what Node loads.
const NOT_RUNTIME_IN_MODULES = /\.d\.[cm]?ts$|\.map$/;
// A fixed timestamp makes the same inputs give the same zip, byte for byte.
const MTIME = new Date('2000-01-01T00:00:00Z');

function parseArgs(argv) {
  const args = { out: path.join(root, 'dist', 'pos-hub-functions.zip'), build: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') args.out = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--no-build') args.build = false;
    else throw new Error(`unknown argument ${argv[i]} (use --out FILE, --no-build)`);
  }
  return args;
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/** Files under dir, relative to base, sorted; symlinks (node_modules/.bin) are skipped. */
function listFiles(dir, base, filter = () => true) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base, filter));
    else if (entry.isFile() && filter(full)) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/** package.json as the host needs it: `main` and the dependencies, none of the tooling. */
function runtimePackageJson(pkg) {
  const { name, version, description, license, private: isPrivate, main, engines, dependencies, overrides } = pkg;
  return JSON.stringify({ name, version, description, license, private: isPrivate, main, engines, dependencies, overrides }, null, 2) + '\n';
}

function stageProductionModules(staging) {
  fs.copyFileSync(path.join(root, 'package.json'), path.join(staging, 'package.json'));
  fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(staging, 'package-lock.json'));
  // --ignore-scripts: no `prepare` build and no install scripts; nothing the app needs is native.
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], staging);
}

function writeZip(out, entries) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const { name, source } of entries) {
    if (typeof source === 'string') zip.addFile(source, name, { mtime: MTIME, mode: 0o100644 });
    else zip.addBuffer(source, name, { mtime: MTIME, mode: 0o100644 });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const stream = fs.createWriteStream(out);
    zip.outputStream.pipe(stream).on('close', resolve).on('error', reject);
  });
}

/**
 * Compiles what ships (functions/ and shared/) with the build's compiler options into staging, and
 * returns the folder holding dist/. Compiling only those two also proves they need nothing else.
 */
function compile(staging) {
  const out = path.join(staging, 'build');
  const tsconfig = path.join(staging, 'tsconfig.json');
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(root, 'tsconfig.build.json'),
      // Type roots are looked up from the tsconfig's folder, which here is outside the checkout.
      compilerOptions: { rootDir: root, outDir: path.join(out, 'dist'), sourceMap: false, typeRoots: [path.join(root, 'node_modules', '@types')] },
      include: APP_DIRS.map((dir) => path.join(root, dir.replace(/^dist\//, ''))),
    }),
  );
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], root);
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'pos-hub-package-'));
  try {
    const appRoot = args.build ? compile(staging) : root;
    const entryPoint = path.join(appRoot, 'dist', 'functions', 'index.js');
    if (!fs.existsSync(entryPoint)) throw new Error('dist/functions/index.js is missing: run npm run build');
    stageProductionModules(staging);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const entries = [
      { name: 'host.json', source: path.join(root, 'host.json') },
      { name: 'package.json', source: Buffer.from(runtimePackageJson(pkg)) },
      ...APP_DIRS.flatMap((dir) =>
        listFiles(path.join(appRoot, dir), appRoot, (f) => RUNTIME_FILES.test(f)).map((name) => ({ name, source: path.join(appRoot, name) })),
      ),
      ...listFiles(path.join(staging, 'node_modules'), staging, (f) => !NOT_RUNTIME_IN_MODULES.test(f)).map((name) => ({
        name,
        source: path.join(staging, name),
      })),
    ];
    await writeZip(args.out, entries);
    console.log(`${path.relative(process.cwd(), args.out)}: ${entries.length} files`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`package: ${e.message}`);
  process.exit(1);
});
