// shared/sources/readSimpleXml.ts: a one-pass reader for the plain XML that POS systems write, making
// exactly the objects parseXml's fast-xml-parser set-up makes (attributes as `@_name` after the
// children and `#text`, namespace prefixes removed, values trimmed strings, repeated names as arrays).
//
// It reads a deliberately small subset: an optional BOM and `<?xml ...?>` declaration at the very
// start, elements with plain names (at most one prefix), `name="value"` attributes without `<`, `>` or
// `&` other than the five predefined entities, text with only those entities, comments without `<`,
// and no CDATA, DOCTYPE or other processing instructions, nested at most `maxDepth` deep. Everything in that subset
// is well-formed for XMLValidator, free of DOCTYPE/ENTITY and under the depth limit, so the checks
// parseXml runs before the parser cannot fail on it. Anything else returns undefined and parseXml
// takes its full path, which gives the findings: this reader never decides that a document is bad.

/** Character classes for names: 1 may start a name, 2 may only continue one. ASCII only. */
const NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) NAME[c] = 1;
  else if (/[0-9.-]/.test(ch)) NAME[c] = 2;
}

// Names fast-xml-parser refuses or renames (prototype pollution guards): left to the full path.
const GUARDED = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

const GT = 62;
const SLASH = 47;
const EQ = 61;
const QUOT = 34;
const APOS = 39;
const COLON = 58;
const BANG = 33;

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;

const hasOwn = Object.prototype.hasOwnProperty;

/** Where a name starting at i ends (one optional `prefix:`), or -1 when it is not a plain name. */
function nameEnd(s: string, i: number): number {
  let c = s.charCodeAt(i);
  if (c >= 128 || NAME[c] !== 1) return -1;
  let colon = false;
  for (i++; i < s.length; i++) {
    c = s.charCodeAt(i);
    if (c < 128 && NAME[c] !== 0) continue;
    if (c === COLON && !colon) {
      colon = true;
      i++;
      c = s.charCodeAt(i);
      if (c >= 128 || NAME[c] !== 1) return -1;
      continue;
    }
    return i;
  }
  return i;
}

const ENTITIES: [string, string][] = [
  ['amp;', '&'],
  ['lt;', '<'],
  ['gt;', '>'],
  ['quot;', '"'],
  ['apos;', "'"],
];

/** Replaces the five predefined entities in one left-to-right pass; undefined on any other `&`. */
function decode(s: string): string | undefined {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const e = ENTITIES.find(([name]) => s.startsWith(name, amp + 1));
    if (!e) return undefined;
    out += s.slice(from, amp) + e[1];
    from = amp + 1 + e[0].length;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

/** One open element: its children so far, its text segments joined, its attributes. */
interface Frame {
  raw: string;
  name: string;
  children: Record<string, unknown> | undefined;
  text: string | undefined;
  attrs: Record<string, string> | undefined;
}

function addChild(frame: Frame, name: string, value: unknown): void {
  const children = (frame.children ??= {});
  if (hasOwn.call(children, name)) {
    const prev = children[name];
    if (Array.isArray(prev)) prev.push(value);
    else children[name] = [prev, value];
  } else children[name] = value;
}

/** What fast-xml-parser makes of a closed element: '' when empty, the text alone, or an object. */
function valueOf(frame: Frame): unknown {
  const obj = frame.children ?? {};
  if (frame.text !== undefined) obj['#text'] = frame.text;
  if (frame.attrs) return Object.assign(obj, frame.attrs);
  if (frame.children === undefined) return frame.text ?? '';
  return obj;
}

/**
 * Reads attributes from i up to the end of the tag. Returns the index of `>` (or of `/` in `/>`),
 * or -1 when the tag is outside the subset. Attributes land in `into` (xmlns declarations are
 * dropped, prefixes removed, values trimmed and decoded).
 */
function readAttributes(
  s: string,
  i: number,
  end: string,
  into: { attrs: Record<string, string> | undefined },
): number {
  const seen: string[] = [];
  for (;;) {
    const start = i;
    while (isSpace(s.charCodeAt(i))) i++;
    const c = s.charCodeAt(i);
    if (c === GT || c === SLASH || c === 63 /* ? */)
      return s.startsWith(end, i) || (end === '>' && s.startsWith('/>', i)) ? i : -1;
    if (i === start) return -1; // attributes need whitespace before them
    const ne = nameEnd(s, i);
    if (ne < 0 || s.charCodeAt(ne) !== EQ) return -1;
    const raw = s.slice(i, ne);
    if (seen.includes(raw)) return -1;
    seen.push(raw);
    const q = s.charCodeAt(ne + 1);
    if (q !== QUOT && q !== APOS) return -1;
    const close = s.indexOf(q === QUOT ? '"' : "'", ne + 2);
    if (close < 0) return -1;
    const rawValue = s.slice(ne + 2, close);
    // `<` and `>` in a value would shift the tag-counting depth check and the validator's scan.
    if (rawValue.includes('<') || rawValue.includes('>')) return -1;
    const colon = raw.indexOf(':');
    const prefix = colon < 0 ? raw : raw.slice(0, colon);
    if (prefix !== 'xmlns') {
      const value = decode(rawValue.trim());
      if (value === undefined) return -1;
      (into.attrs ??= {})[`@_${colon < 0 ? raw : raw.slice(colon + 1)}`] = value;
    }
    i = close + 1;
  }
}

/** Adds a text segment (trimmed, decoded) to an element; false when it is outside the subset. */
function addText(frame: Frame, segment: string): boolean {
  const t = segment.trim();
  if (t === '') return true;
  const value = decode(t);
  if (value === undefined) return false;
  frame.text = frame.text === undefined ? value : frame.text + value;
  return true;
}

/** The parsed document, or undefined when the text is outside the subset this reader handles. */
export function readSimpleXml(input: string, maxDepth: number): unknown {
  const s = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  const root: Record<string, unknown> = {};
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (s.startsWith('<?xml', i) && isSpace(s.charCodeAt(i + 5))) {
    const decl = { attrs: undefined as Record<string, string> | undefined };
    const end = readAttributes(s, i + 5, '?>', decl);
    if (end < 0) return undefined;
    const version = decl.attrs?.['@_version'];
    if (version !== undefined && version !== '1.0') return undefined;
    root['?xml'] = decl.attrs ?? '';
    i = end + 2;
  }
  const stack: Frame[] = [];
  let top: Frame | undefined;
  let done = false;
  // fast-xml-parser skips a comment without ending the text around it: `a<!-- c -->b` is one segment.
  let pending = '';
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? s.length : lt;
    if (lt >= 0 && s.charCodeAt(lt + 1) === BANG) {
      // Comments only; `<` in one would count as a tag for the depth check, so those go the full way.
      const close = s.startsWith('<!--', lt) ? s.indexOf('-->', lt + 4) : -1;
      if (close < 0 || s.lastIndexOf('<', close) !== lt) return undefined;
      // Each side of a comment must be well-formed alone: `&<!-- -->gt;` is no entity, though the joined
      // text would read as one.
      const piece = s.slice(i, lt);
      if (decode(piece) === undefined) return undefined;
      pending += piece;
      i = close + 3;
      continue;
    }
    const text = pending === '' ? s.slice(i, textEnd) : pending + s.slice(i, textEnd);
    pending = '';
    if (top) {
      if (text !== '' && !addText(top, text)) return undefined;
    } else {
      // Outside the root only whitespace is well-formed.
      for (let k = 0; k < text.length; k++) if (!isSpace(text.charCodeAt(k))) return undefined;
    }
    if (lt < 0) break;
    i = lt + 1;
    if (s.charCodeAt(i) === SLASH) {
      if (!top) return undefined;
      const ne = nameEnd(s, i + 1);
      if (ne < 0 || s.slice(i + 1, ne) !== top.raw) return undefined;
      i = ne;
      while (isSpace(s.charCodeAt(i))) i++;
      if (s.charCodeAt(i) !== GT) return undefined;
      i++;
      const closed = stack.pop()!;
      top = stack[stack.length - 1];
      if (top) addChild(top, closed.name, valueOf(closed));
      else {
        root[closed.name] = valueOf(closed);
        done = true;
      }
      continue;
    }
    if (done) return undefined; // a second root element
    const ne = nameEnd(s, i);
    if (ne < 0) return undefined;
    const raw = s.slice(i, ne);
    const colon = raw.indexOf(':');
    const name = colon < 0 ? raw : raw.slice(colon + 1);
    if (GUARDED.has(name)) return undefined;
    const frame: Frame = { raw, name, children: undefined, text: undefined, attrs: undefined };
    const end = readAttributes(s, ne, '>', frame);
    if (end < 0) return undefined;
    if (s.charCodeAt(end) === SLASH) {
      i = end + 2;
      if (top) addChild(top, name, valueOf(frame));
      else {
        root[name] = valueOf(frame);
        done = true;
      }
    } else {
      i = end + 1;
      if (stack.length >= maxDepth) return undefined;
      stack.push(frame);
      top = frame;
    }
  }
  return done && stack.length === 0 ? root : undefined;
}
