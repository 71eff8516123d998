// shared/privacy/forEachLimit.ts: async work over a listing that is never held whole: at most `limit`
// items in flight, so a scan of a whole zone keeps at most `limit` blob bodies in memory at once.
export async function forEachLimit<T>(items: AsyncIterable<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.asyncIterator]();
  let failed = false;
  // The workers share one iterator; each pulls its next item only when it is free. Pulls are chained so
  // the iterator never has two `next` calls open (a paged listing need not support that).
  let pulling: Promise<IteratorResult<T>> | null = null;
  const pull = () => (pulling = (pulling ?? Promise.resolve()).then(() => iterator.next()));
  const worker = async (): Promise<void> => {
    while (!failed) {
      const next = await pull();
      if (next.done) return;
      try {
        await fn(next.value);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}
