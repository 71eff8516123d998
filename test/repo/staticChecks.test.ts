// The compiler and the linter are part of the test run: Jest transpiles with SWC, which checks no types.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

// Paths inside node_modules: eslint's package exports do not expose its bin script to require.resolve.
function run(script: string, args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', script), ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

describe('static checks', () => {
  it('type-checks the whole project (strict)', () => {
    const r = run('typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit']);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 240_000);

  it('passes ESLint with no errors (including the rule that keeps local/ out of Azure code)', () => {
    const r = run('eslint/bin/eslint.js', ['.', '--quiet']);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 240_000);
});
