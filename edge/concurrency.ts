/**
 * Runs `work` on every item with at most `limit` running at once and returns the results
 * in input order; the first failure rejects the whole call.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let nextIndex = 0
  async function lane() {
    while (nextIndex < items.length) {
      const index = nextIndex++
      results[index] = await work(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  return results
}
