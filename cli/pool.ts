/**
 * Runs `task` over `items` with at most `limit` calls pending and returns the results in
 * the order of `items`. After the first failure no new task starts, and that failure is
 * thrown once the running ones settle.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  let failed = false
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++
      try {
        results[index] = await task(items[index] as T, index)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker)
  const settled = await Promise.allSettled(workers)
  const rejected = settled.find((outcome) => outcome.status === 'rejected')
  if (rejected) throw rejected.reason
  return results
}
