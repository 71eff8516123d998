// bench/simulate/malformedVariant.ts: broken requests a real estate sends now and then, each with the
// answer the hub's contract promises (docs/ingest.md, docs/webhooks.md): a body cut off by a dropped
// upload, an XML document with a DTD (entity expansion is refused), a CSV row with an unterminated
// quote, the wrong Content-Type, an empty batch, and a webhook whose signature does not match.
import type { SourceName } from '../../shared/model';
import type { Rng } from '../rng';
import { contentTypeOf } from './trafficMix';

export type MalformedKind =
  'truncated' | 'xml-dtd' | 'csv-open-quote' | 'wrong-content-type' | 'empty-batch' | 'bad-signature';

export interface MalformedRequest {
  kind: MalformedKind;
  body: string;
  contentType: string;
  /** The status the hub must answer with. */
  expectStatus: number;
}

/** A malformed version of a valid payload. `webhook`: it goes to a vendor webhook endpoint. */
export function malformedVariant(
  source: SourceName,
  text: string,
  rng: Rng,
  webhook: boolean,
): MalformedRequest {
  const contentType = contentTypeOf(source);
  if (webhook && rng.bool(0.5)) {
    // Same body, signed with a secret the hub does not have (the sender signs it; see sendTraffic).
    return { kind: 'bad-signature', body: text, contentType, expectStatus: 401 };
  }
  const roll = rng.next();
  if (!webhook && roll < 0.2)
    return { kind: 'wrong-content-type', body: text, contentType: 'text/plain', expectStatus: 415 };
  if (source === 'poslog') {
    if (roll < 0.6) {
      const dtd =
        '<!DOCTYPE POSLog [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n';
      return { kind: 'xml-dtd', body: text.replace(/\n/, `\n${dtd}`), contentType, expectStatus: 400 };
    }
    return {
      kind: 'truncated',
      body: text.slice(0, Math.floor(text.length / 2)),
      contentType,
      expectStatus: 400,
    };
  }
  if (source === 'csv') {
    const lines = text.split('\r\n');
    // An opening quote never closed: the rest of the file would be one cell.
    lines[1] = lines[1]!.replace(',', ',"');
    return { kind: 'csv-open-quote', body: lines.join('\r\n'), contentType, expectStatus: 400 };
  }
  if (!webhook && roll < 0.35) return { kind: 'empty-batch', body: '[]', contentType, expectStatus: 400 };
  // Cut inside the document, never at its end, so it can never parse.
  return {
    kind: 'truncated',
    body: text.slice(0, Math.max(1, Math.floor(text.length * (0.3 + 0.4 * rng.next())))),
    contentType,
    expectStatus: 400,
  };
}
