import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { generatePoslog } from '../../bench/generators/poslog';
import { createRng } from '../../bench/rng';
import { readSimpleXml } from '../../shared/sources/readSimpleXml';
import { MAX_XML_DEPTH, parseXml } from '../../shared/sources/xml';
import { parseXmlReference } from './parseXmlReference';

/** Same result as the reference, key order included (the adapter never depends on it, but callers may). */
function expectSame(text: string) {
  const actual = parseXml(text);
  const expected = parseXmlReference(text);
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

// Pieces chosen to hit every branch of the fast reader and every way out of its subset; the plain
// ones are weighted up so that most documents stay inside it.
const mostly = (plain: fc.Arbitrary<string>, odd: fc.Arbitrary<string>) =>
  fc.oneof({ arbitrary: plain, weight: 20 }, { arbitrary: odd, weight: 1 });
const names = mostly(
  fc.constantFrom('a', 'B', 'Item_1', 'x.y-z', 'acs:Reward', 'p:a', 'xmlns:q', 'isPrototypeOf', 'Amount'),
  fc.constantFrom('constructor', 'toString', '__proto__', 'a:b:c', '1x', 'é', ':a', 'a:'),
);
const attrNames = mostly(
  fc.constantFrom(
    'a',
    'TypeCode',
    'p:a',
    'q:a',
    'xmlns',
    'xmlns:p',
    'p:xmlns',
    'xml:lang',
    '_x',
    'isPrototypeOf',
  ),
  fc.constantFrom('-x', 'é', 'a:b:c', '1', 'xmlns:'),
);
const valueChars = mostly(
  fc.constantFrom(
    'a',
    'Z',
    '0',
    ' ',
    '\t',
    '\n',
    '\r\n',
    '/',
    '?',
    '=',
    "'",
    '"',
    '&amp;',
    '&lt;',
    '&gt;',
    '&quot;',
    '&apos;',
    'é',
  ),
  fc.constantFrom('<', '>', '&', '&#65;', '&foo;', '&amp', '\u00a0', '?>', '/>'),
);
const textChars = mostly(
  fc.constantFrom(
    'a',
    'Z',
    '9',
    '.',
    ' ',
    '  ',
    '\n',
    '\r\n',
    '\r',
    '\t',
    '>',
    ']]>',
    '&amp;',
    '&lt;',
    '&gt;',
    '&quot;',
    '&apos;',
    'ü',
    '\u00a0',
    '\ufeff',
    '<!-- c -->',
    '<!---->',
    '<!-- a > b -->',
  ),
  fc.constantFrom(
    '&',
    '&#65;',
    '&#x42;',
    '&#0;',
    '&foo;',
    '&lt',
    '<![CDATA[x]]>',
    '<?pi x?>',
    '<!-- <x> -->',
    '<!-- <!DOCTYPE x> -->',
    '<!--->',
  ),
);
const str = (chars: fc.Arbitrary<string>, max: number) =>
  fc.array(chars, { maxLength: max }).map((a) => a.join(''));
const ws = mostly(fc.constantFrom('', '', ' ', '\n  ', '\t', '\r\n'), fc.constantFrom('\u00a0', '\f'));
const attr = fc
  .tuple(
    mostly(fc.constantFrom(' ', ' ', '\n', '\t'), fc.constant('')),
    attrNames,
    mostly(fc.constant('='), fc.constantFrom(' = ', '= ', '')),
    fc.constantFrom('"', '"', "'"),
    str(valueChars, 6),
  )
  .map(([sep, n, eq, q, v]) => `${sep}${n}${eq}${q}${v.split(q).join('')}${q}`);

const element: fc.Memo<string> = fc.memo((depth) =>
  fc
    .tuple(
      names,
      fc.array(attr, { maxLength: 3 }),
      ws,
      fc.boolean(),
      depth > 1
        ? fc.array(fc.oneof(str(textChars, 4), element(depth - 1), element(depth - 1)), { maxLength: 4 })
        : fc.array(str(textChars, 4), { maxLength: 2 }),
      fc.constantFrom('', '', ' ', '\n'),
    )
    .map(([n, attrs, w, selfClosing, content, closeWs]) =>
      selfClosing && content.length === 0
        ? `<${n}${attrs.join('')}${w}/>`
        : `<${n}${attrs.join('')}${w}>${content.join('')}</${n}${closeWs}>`,
    ),
);

const prolog = mostly(
  fc.constantFrom(
    '',
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<?xml version="1.0"?>',
    "<?xml version='1.0' standalone='yes' ?>\r\n",
    '\ufeff<?xml version="1.0"?>',
    '\ufeff',
    '<?xml version="1.0"?>\n<!-- c -->\n',
    '\n',
  ),
  fc.constantFrom(
    '<?xml version="1.1"?>',
    '<?xml?>',
    '  <?xml version="1.0"?>',
    '<!DOCTYPE r>',
    '<?pi x?>',
    '<?xml version="1.0"?><?xml version="1.0"?>',
    '<?xml version="1.0" a="?>"?>',
  ),
);
const epilog = mostly(
  fc.constantFrom('', '\n', '  \r\n', '<!-- c -->\n'),
  fc.constantFrom('x', '<b/>', '</a>', '<?pi?>', '<!-- <b> -->', '&amp;'),
);

const documents = fc.tuple(prolog, element(4), epilog).map(([p, e, t]) => p + e + t);

/** A document with a few characters inserted or removed, to reach the malformed paths. */
const mutated = fc
  .tuple(
    documents,
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.boolean(),
        fc.constantFrom('<', '>', '/', '"', "'", '&', '=', ' ', '!', '?', '<!--', '<![CDATA[x]]>', 'a'),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([doc, edits]) =>
    edits.reduce((d, [at, remove, piece]) => {
      const i = at % (d.length + 1);
      return remove ? d.slice(0, i) + d.slice(i + 1) : d.slice(0, i) + piece + d.slice(i);
    }, doc),
  );

describe('parseXml: the one-pass reader gives what the validator and fast-xml-parser give', () => {
  it('on generated documents', () => {
    let fast = 0;
    fc.assert(
      fc.property(documents, (doc) => {
        if (readSimpleXml(doc, MAX_XML_DEPTH) !== undefined) fast++;
        expectSame(doc);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often, or this test compares the reference with itself.
    expect(fast).toBeGreaterThan(300);
  });

  it('on documents with characters inserted or removed', () => {
    fc.assert(
      fc.property(mutated, (doc) => expectSame(doc)),
      { numRuns: 3000 },
    );
  });

  it('on entities split by a comment (no entity once the comment is gone)', () => {
    expectSame(`<?xml version='1.0'?>\r\n<a q:a="" >a<!---->&<!-- c -->gt;a&quot;</a\n>`);
    expectSame('<a>x&amp<!-- c -->;y</a>');
    expectSame('<a>x<!-- c -->&amp;<!-- d -->y</a>');
    expectSame('<a>x&<!-- c --></a>');
  });

  it('on nesting around the depth limit', () => {
    for (const depth of [MAX_XML_DEPTH - 1, MAX_XML_DEPTH, MAX_XML_DEPTH + 1]) {
      for (const leaf of ['', '<x/>', 't']) expectSame('<a>'.repeat(depth) + leaf + '</a>'.repeat(depth));
    }
  });

  it('on the POSLog fixtures and generated payloads, which all take the fast path', () => {
    const dir = join(__dirname, '../fixtures/poslog');
    const rng = createRng(7);
    const docs = [
      ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')),
      ...Array.from({ length: 60 }, (_, i) => generatePoslog(rng, i)),
    ];
    for (const doc of docs) {
      expect(readSimpleXml(doc, MAX_XML_DEPTH)).toBeDefined();
      expectSame(doc);
      expectSame(doc.replace(/\n/g, '\r\n'));
    }
  });

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => expectSame(s)),
      { numRuns: 500 },
    );
  });
});
