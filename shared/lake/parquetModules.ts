// shared/lake/parquetModules.ts: hyparquet and hyparquet-writer are ES modules only; this CommonJS
// project loads them with a dynamic import (Node >= 20.19), once.
type Reader = typeof import('hyparquet', { with: { 'resolution-mode': 'import' } });
type Writer = typeof import('hyparquet-writer', { with: { 'resolution-mode': 'import' } });

let loaded: Promise<{ reader: Reader; writer: Writer }> | undefined;

export function parquetModules(): Promise<{ reader: Reader; writer: Writer }> {
  loaded ??= Promise.all([import('hyparquet'), import('hyparquet-writer')]).then(([reader, writer]) => ({ reader, writer }));
  return loaded;
}
