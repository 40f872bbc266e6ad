import type { EdgeClient } from './edge-client'
import { CliError } from './errors'
import { mapLimit } from './pool'
import { count, Progress, type ProgressStream, retriesNote } from './progress'

/** One visitor's segment ids as of a time. */
export interface VisitorSegments {
  visitor: string
  segments: string[]
}

interface LookupAnswer {
  at: string
  visitors: VisitorSegments[]
}

// The contract's cap on visitors per lookup request.
const visitorsPerLookup = 500
const lookupsInFlight = 2

/**
 * Asks the edge for the segments of `visitors` as of `at` (now when absent) and returns
 * them in the order asked, each list sorted.
 */
export async function lookupSegments(
  edge: EdgeClient,
  site: string,
  visitors: readonly string[],
  at: string | undefined,
  stderr: ProgressStream,
): Promise<VisitorSegments[]> {
  const path = `/v1/sites/${encodeURIComponent(site)}/lookup`
  const batches: string[][] = []
  for (let start = 0; start < visitors.length; start += visitorsPerLookup) {
    batches.push(visitors.slice(start, start + visitorsPerLookup))
  }
  const progress = new Progress(stderr, 'lookup')
  let done = 0
  const answers = await mapLimit(batches, lookupsInFlight, async (batch) => {
    const body = JSON.stringify(at ? { visitors: batch, at } : { visitors: batch })
    const answer = await edge.admin<LookupAnswer>('lookup', 'POST', path, {
      text: body,
      type: 'application/json',
    })
    done += batch.length
    progress.update(`${count(done)}/${count(visitors.length)} visitors${retriesNote(edge.retries)}`)
    return inOrder(batch, answer)
  })
  progress.done(
    `${count(visitors.length)} visitors as of ${at ?? 'now'}${retriesNote(edge.retries)}`,
  )
  return answers.flat()
}

function inOrder(batch: readonly string[], answer: LookupAnswer): VisitorSegments[] {
  const byVisitor = new Map(answer.visitors.map((entry) => [entry.visitor, entry.segments]))
  return batch.map((visitor) => {
    const segments = byVisitor.get(visitor)
    if (!segments) throw new CliError(`the edge's lookup answer lacks visitor ${visitor}`)
    return { visitor, segments: [...segments].sort() }
  })
}
