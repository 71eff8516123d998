// shared/stores/tableOnce.ts: the hub's own tables are created on first use (locally, and in Azure,
// where the identity may create tables in its account), once per client; a failed attempt is retried
// by the next caller instead of being remembered.
import type { TableClient } from '@azure/data-tables';

export function tableOnce(table: TableClient): () => Promise<void> {
  let ready: Promise<void> | null = null;
  return () =>
    (ready ??= table.createTable().then(
      () => undefined,
      (err: unknown) => {
        ready = null;
        throw err;
      },
    ));
}
