// local/processMemory.ts: resident memory of a process by PID (for the runtime's idle-memory figure,
// which counts the Azurite child too: process.memoryUsage() only sees this process).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (kb) return Number(kb[1]) * 1024;
  } catch {
    // Not Linux: ps reports RSS in KiB on macOS and the BSDs as well.
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}
