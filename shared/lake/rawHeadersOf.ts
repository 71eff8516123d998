// shared/lake/rawHeadersOf.ts: the transport headers a raw blob was received with, as writeRaw kept
// them in its metadata (`h_<header>`, percent-encoded when not ASCII), so the pipeline can be run on the
// blob with the source context the transform activity had (the store hint, Toast's restaurant id).
import { headerMetadataName, RAW_HEADER_ALLOWLIST } from './writeRaw';

export function rawHeadersOf(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RAW_HEADER_ALLOWLIST) {
    const value = metadata?.[headerMetadataName(name)];
    if (value === undefined) continue;
    try {
      out[name] = /%[0-9A-Fa-f]{2}/.test(value) ? decodeURIComponent(value) : value;
    } catch {
      out[name] = value;
    }
  }
  return out;
}
