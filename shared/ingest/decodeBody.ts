// shared/ingest/decodeBody.ts: undoes a request's Content-Encoding (gzip, deflate, br) so that
// everything after it (card scrubbing, readability, hashing, the raw blob) sees the text the sender
// compressed. Register exports compress 10-20x, which matters on store uplinks.
//
// The decompressed size is bounded by the same limit as an uncompressed body: zlib's maxOutputLength
// stops inflating once the output would pass it, so a decompression bomb never allocates more than
// the limit (plus one zlib chunk).
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { problem, type Problem } from './problem';

/** The codings accepted, as named in Content-Encoding (and in Accept-Encoding on a refusal). */
export const ACCEPTED_ENCODINGS = ['gzip', 'deflate', 'br'] as const;

type Coding = (typeof ACCEPTED_ENCODINGS)[number];
type Inflate = (body: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;

const gunzipAsync = promisify(gunzip) as Inflate;
const inflateAsync = promisify(inflate) as Inflate;
const inflateRawAsync = promisify(inflateRaw) as Inflate;
const brotliAsync = promisify(brotliDecompress) as Inflate;

/** A zlib stream (RFC 1950) starts with a header whose method is 8 and whose two bytes are a multiple of 31. */
function isZlibWrapped(body: Buffer): boolean {
  return body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
}

const INFLATE: Record<Coding, Inflate> = {
  gzip: gunzipAsync,
  // HTTP's "deflate" is the zlib format, but some senders send raw deflate data: tell them apart by the
  // header, as browsers and curl do.
  deflate: (body, options) =>
    isZlibWrapped(body) ? inflateAsync(body, options) : inflateRawAsync(body, options),
  br: brotliAsync,
};

export type DecodedBody =
  { ok: true; body: Buffer; encoding: Coding | null } | { ok: false; problem: Problem };

/**
 * The codings a Content-Encoding value names, in the order the sender applied them; `identity` and
 * empty list elements name none. x-gzip is gzip (RFC 9110, section 8.4.1.3).
 */
function codingsOf(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .map((c) => (c === 'x-gzip' ? 'gzip' : c));
}

const isCoding = (c: string): c is Coding => (ACCEPTED_ENCODINGS as readonly string[]).includes(c);

/**
 * The body with its Content-Encoding undone, at most `maxBytes` decompressed. One coding at most: no
 * POS compresses twice, and each further layer would multiply the work one request can cause.
 */
export async function decodeBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<DecodedBody> {
  const codings = codingsOf(contentEncoding);
  if (codings.length === 0) return { ok: true, body, encoding: null };
  const named = JSON.stringify(contentEncoding!.slice(0, 100));
  if (codings.length > 1) {
    return {
      ok: false,
      problem: problem(
        'unsupported-encoding',
        `one Content-Encoding at most (${ACCEPTED_ENCODINGS.join(', ')}); got ${named}`,
      ),
    };
  }
  const coding = codings[0]!;
  if (!isCoding(coding)) {
    return {
      ok: false,
      problem: problem(
        'unsupported-encoding',
        `Content-Encoding may be ${ACCEPTED_ENCODINGS.join(', ')} or identity; got ${named}`,
      ),
    };
  }
  // The compressed body is bounded like an uncompressed one, even when it came without Content-Length.
  if (body.length > maxBytes) {
    return {
      ok: false,
      problem: problem(
        'body-too-large',
        `the ${coding} body has ${body.length} bytes; at most ${maxBytes} are accepted`,
      ),
    };
  }
  // Nothing to inflate: the empty body goes on to be refused as an empty batch, as it is uncompressed.
  if (body.length === 0) return { ok: true, body, encoding: coding };
  try {
    return { ok: true, body: await INFLATE[coding](body, { maxOutputLength: maxBytes }), encoding: coding };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return {
        ok: false,
        problem: problem(
          'body-too-large',
          `the ${coding} body decompresses to more than ${maxBytes} bytes; at most ${maxBytes} are accepted, counted decompressed`,
        ),
      };
    }
    return {
      ok: false,
      problem: problem(
        'malformed-encoding',
        `the body is not valid ${coding} data (${(err as Error).message})`,
      ),
    };
  }
}
