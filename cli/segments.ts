import type { Output } from './backtest'
import type { EdgeClient } from './edge-client'
import type { VisitorSegments } from './lookup'

/** Prints one visitor's segments as of `at` (now when absent) as one JSON line. */
export async function printSegments(
  edge: EdgeClient,
  site: string,
  visitor: string,
  at: string | undefined,
  out: Output,
): Promise<void> {
  await edge.ensureReachable()
  const query = at ? `?${new URLSearchParams({ at })}` : ''
  const path = `/v1/sites/${encodeURIComponent(site)}/visitors/${encodeURIComponent(visitor)}`
  const answer = await edge.admin<VisitorSegments>('segments', 'GET', `${path}${query}`)
  const result: VisitorSegments = { visitor, segments: [...answer.segments].sort() }
  out.stdout.write(`${JSON.stringify(result)}\n`)
}
