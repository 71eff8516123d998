// local/keys.ts: the local function key. Generated once with a CSPRNG and kept in the data folder, so
// scripts and tools keep working across restarts (like the host's keys in its secrets store).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const KeysFile = z.object({ functionKey: z.string().min(32) });

export function loadOrCreateFunctionKey(dataDir: string): string {
  const file = path.join(dataDir, 'keys.json');
  if (existsSync(file)) return KeysFile.parse(JSON.parse(readFileSync(file, 'utf8'))).functionKey;
  mkdirSync(dataDir, { recursive: true });
  // Never a leading '-': `pos-hub replay --key <key>` would read it as an option.
  let functionKey: string;
  do functionKey = randomBytes(32).toString('base64url');
  while (functionKey.startsWith('-'));
  // 'wx': if another process created it meanwhile, fail rather than overwrite a key in use.
  writeFileSync(file, JSON.stringify({ functionKey }, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
  return functionKey;
}

/** Constant-time comparison, so the key cannot be guessed byte by byte from response times. */
export function keyMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
