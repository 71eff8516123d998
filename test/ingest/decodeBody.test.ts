// decodeBody: every accepted Content-Encoding gives back the exact bytes that were compressed, the
// decompressed size is bounded by the body limit (a bomb is refused, not inflated), and anything else
// (bad data, an unknown or a second coding) gets its problem.
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { decodeBody } from '../../shared/ingest/decodeBody';

const MAX = 64 * 1024;
const text = Buffer.from(
  'transaction_id,occurred_at,store_id\n' + 'T1,2025-11-30T10:00:00Z,S042\n'.repeat(500),
);
const brotli = (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });

test.each([
  ['gzip', gzipSync(text)],
  ['x-gzip', gzipSync(text)],
  ['GZIP', gzipSync(text)],
  ['deflate', deflateSync(text)],
  // Raw deflate without the zlib header, as some senders send "deflate".
  ['deflate', deflateRawSync(text)],
  ['br', brotli(text)],
  ['identity, gzip', gzipSync(text)],
])('%s: the exact bytes that were compressed', async (encoding, compressed) => {
  expect(compressed.length).toBeLessThan(text.length / 10);
  const decoded = await decodeBody(compressed, encoding, MAX);
  expect(decoded.ok && decoded.body.equals(text)).toBe(true);
});

test('no Content-Encoding, an empty one, or identity: the body as it came', async () => {
  for (const encoding of [undefined, '', 'identity', ' Identity ']) {
    expect(await decodeBody(text, encoding, MAX)).toEqual({ ok: true, body: text, encoding: null });
  }
});

test('the limit counts decompressed bytes: exactly the limit is taken, one more is refused', async () => {
  const exact = await decodeBody(gzipSync(Buffer.alloc(MAX, 'a')), 'gzip', MAX);
  expect(exact.ok && exact.body.length).toBe(MAX);
  for (const [encoding, compressed] of [
    ['gzip', gzipSync(Buffer.alloc(MAX + 1, 'a'))],
    ['deflate', deflateSync(Buffer.alloc(MAX + 1, 'a'))],
    ['br', brotli(Buffer.alloc(MAX + 1, 'a'))],
  ] as const) {
    expect(await decodeBody(compressed, encoding, MAX)).toEqual({
      ok: false,
      problem: {
        type: 'urn:pos-hub:problem:body-too-large',
        title: 'Request body too large',
        status: 413,
        detail: `the ${encoding} body decompresses to more than ${MAX} bytes; at most ${MAX} are accepted, counted decompressed`,
      },
    });
  }
});

test('a decompression bomb (64 MiB of zeros in under 64 KiB) is refused as too large', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  expect(bomb.length).toBeLessThan(MAX);
  const decoded = await decodeBody(bomb, 'gzip', MAX);
  expect(decoded.ok ? 'inflated' : decoded.problem.status).toBe(413);
});

test('a compressed body is bounded before it is inflated, even without a Content-Length', async () => {
  const noise = gzipSync(randomBytes(MAX + 100));
  expect(await decodeBody(noise, 'gzip', MAX)).toMatchObject({
    ok: false,
    problem: { status: 413, detail: `the gzip body has ${noise.length} bytes; at most ${MAX} are accepted` },
  });
});

test.each([
  [
    'gzip',
    'truncated',
    gzipSync(text).subarray(0, -8),
    'the body is not valid gzip data (unexpected end of file)',
  ],
  ['gzip', 'plain text', text, 'the body is not valid gzip data (incorrect header check)'],
  [
    'gzip',
    'followed by garbage',
    Buffer.concat([gzipSync(text), Buffer.from('garbage')]),
    'the body is not valid gzip data (incorrect header check)',
  ],
  [
    'deflate',
    'plain text',
    Buffer.from('{"id": 1}'),
    expect.stringMatching(/^the body is not valid deflate data \(.+\)$/),
  ],
  ['br', 'gzip data', gzipSync(text), expect.stringMatching(/^the body is not valid br data \(.+\)$/)],
])('%s, %s: 400 malformed-encoding', async (encoding, _what, body, detail) => {
  expect(await decodeBody(body, encoding, MAX)).toEqual({
    ok: false,
    problem: {
      type: 'urn:pos-hub:problem:malformed-encoding',
      title: 'Malformed compressed body',
      status: 400,
      detail,
    },
  });
});

test.each([
  ['compress', 'Content-Encoding may be gzip, deflate, br or identity; got "compress"'],
  ['zstd', 'Content-Encoding may be gzip, deflate, br or identity; got "zstd"'],
  ['gzip, br', 'one Content-Encoding at most (gzip, deflate, br); got "gzip, br"'],
  ['gzip, gzip', 'one Content-Encoding at most (gzip, deflate, br); got "gzip, gzip"'],
])('%s: 415 unsupported-encoding', async (encoding, detail) => {
  expect(await decodeBody(gzipSync(text), encoding, MAX)).toEqual({
    ok: false,
    problem: {
      type: 'urn:pos-hub:problem:unsupported-encoding',
      title: 'Unsupported content encoding',
      status: 415,
      detail,
    },
  });
});

test('an empty body with an encoding is the empty body (refused later as an empty batch)', async () => {
  expect(await decodeBody(Buffer.alloc(0), 'gzip', MAX)).toEqual({
    ok: true,
    body: Buffer.alloc(0),
    encoding: 'gzip',
  });
});
