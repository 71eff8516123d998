// shared/webhooks/tableKey.ts: a vendor's id as an Azure Table key. Keys may not hold `/ \ # ?` or
// control characters and are limited to 1 KiB; ids that are plain (UUIDs, digits, `O:ABC:CREATE:...`)
// stay readable, anything else becomes its SHA-256, which is just as unique.
import { createHash } from 'node:crypto';

const PLAIN = /^[A-Za-z0-9._:=+-]{1,200}$/;

export function tableKey(id: string): string {
  return PLAIN.test(id) ? id : `sha256-${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}
