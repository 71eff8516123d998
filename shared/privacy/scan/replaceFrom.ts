// shared/privacy/scan/replaceFrom.ts: String.prototype.replace with a global regex, but the regex
// starts trying at a given position instead of the start of the text.

/**
 * `text.replace(global, (m) => replacer(m))` when no match of `global` (a regex with the `g` flag, whose
 * matches are non-empty) starts before `from`: the global scan would find nothing before `from` and
 * go on from there exactly as this one does. Counts the matches replaced.
 */
export function replaceFrom(
  text: string,
  global: RegExp,
  from: number,
  replacer: (m: RegExpExecArray) => string,
): { text: string; count: number } {
  global.lastIndex = from;
  let out = '';
  let last = 0;
  let count = 0;
  for (let m = global.exec(text); m; m = global.exec(text)) {
    out += text.slice(last, m.index) + replacer(m);
    last = m.index + m[0].length;
    count++;
  }
  global.lastIndex = 0;
  return count === 0 ? { text, count } : { text: out + text.slice(last), count };
}
