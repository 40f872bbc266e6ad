/** Latency of a run of requests, in milliseconds. */
export interface LatencySummary {
  requests: number
  failures: number
  medianMs: number
  p99Ms: number
  /** Requests per second over the whole run. */
  throughput: number
}

/**
 * Sends `count` requests built by `request(i)`, keeping `inFlight` pending, and times each
 * from just before `fetch` until its body has been read.
 */
export async function measureLatency(
  count: number,
  inFlight: number,
  request: (i: number) => Request,
): Promise<LatencySummary> {
  const samples: number[] = []
  let failures = 0
  let next = 0
  const started = performance.now()
  const worker = async () => {
    while (next < count) {
      const req = request(next++)
      const t0 = performance.now()
      const response = await fetch(req)
      await response.arrayBuffer()
      samples.push(performance.now() - t0)
      if (!response.ok) failures++
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  const seconds = (performance.now() - started) / 1000
  samples.sort((a, b) => a - b)
  return {
    requests: count,
    failures,
    medianMs: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    throughput: count / seconds,
  }
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length))
  return sorted[rank - 1] ?? Number.NaN
}
