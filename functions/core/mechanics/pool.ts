/**
 * The one concurrency pool of the codebase: runs `work` over `items` with at most `concurrency`
 * in flight and returns the results in input order. The first failure rejects the whole run
 * (the workers already started finish their current item; no new item starts).
 *
 * @param items what to work on
 * @param concurrency how many at a time (at least 1)
 * @param work the task for one item, given its index
 */
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      // `index < items.length` was checked above; the entry is there.
      const item = items[index] as T;
      try {
        results[index] = await work(item, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(concurrency), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
