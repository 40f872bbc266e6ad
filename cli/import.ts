import { chunkByVisitor, type ImportChunk } from './chunks'
import type { Clickstream } from './clickstream'
import { type EdgeClient, EdgeError } from './edge-client'
import { mapLimit } from './pool'
import { count, Progress, type ProgressStream, retriesNote } from './progress'

/** How to import a file; the batching knobs keep the local runtime within its limits. */
export interface ImportOptions {
  site: string
  format: string
  /** IANA zone for the events' local times; the site's zone when absent. */
  timeZone?: string
  visitorsPerRequest: number
  inFlight: number
}

/** The edge's answer to an import request, summed over requests. */
export interface ImportTotals {
  rows: number
  /** Events newly stored. */
  events: number
  /**
   * Rows already stored: repeated in the file, imported before, or stored by an attempt
   * that failed and was retried.
   */
  duplicates: number
  /** Events older than the edge keeps, counted from each visitor's newest event. */
  expired: number
  visitors: number
}

// ARCHITECTURE.md's contract promises every count but `expired`.
type ImportAnswer = Omit<ImportTotals, 'expired'> & { expired?: number }

// The edge takes at most 8 MiB per request; stay clear of it.
const maxRequestBytes = 8_000_000

/** Sends `file` to the edge's import endpoint in visitor-grouped chunks. */
export async function importClickstream(
  edge: EdgeClient,
  file: Clickstream,
  options: ImportOptions,
  stderr: ProgressStream,
): Promise<ImportTotals> {
  const chunks = chunkByVisitor(file, {
    visitors: options.visitorsPerRequest,
    bytes: maxRequestBytes,
  })
  const query = new URLSearchParams({ format: options.format })
  if (options.timeZone) query.set('time_zone', options.timeZone)
  const path = `/v1/sites/${encodeURIComponent(options.site)}/import?${query}`
  const progress = new Progress(stderr, 'import')
  const totals: ImportTotals = { rows: 0, events: 0, duplicates: 0, expired: 0, visitors: 0 }
  let visitorsSent = 0
  await mapLimit(chunks, options.inFlight, async (chunk) => {
    const answer = await sendChunk(edge, path, chunk, file.path)
    totals.rows += answer.rows
    totals.events += answer.events
    totals.duplicates += answer.duplicates
    totals.expired += answer.expired ?? 0
    totals.visitors += answer.visitors
    visitorsSent += chunk.visitorsCompleted
    progress.update(
      `${count(totals.rows)}/${count(file.rows)} rows sent, ` +
        `${count(visitorsSent)}/${count(file.visitors.size)} visitors${retriesNote(edge.retries)}`,
    )
  })
  progress.done(
    `${count(totals.rows)} rows, ${count(totals.events)} new events, ` +
      `${count(totals.duplicates)} already stored, ${count(totals.expired)} expired, ` +
      `${count(file.visitors.size)} visitors ` +
      `in ${chunks.length} requests${retriesNote(edge.retries)}`,
  )
  return totals
}

async function sendChunk(edge: EdgeClient, path: string, chunk: ImportChunk, file: string) {
  try {
    return await edge.admin<ImportAnswer>('import', 'POST', path, {
      text: chunk.csv,
      type: 'text/csv; charset=utf-8',
    })
  } catch (error) {
    if (error instanceof EdgeError && error.body?.path) {
      const body = { ...error.body, path: inFile(error.body.path, chunk, file) }
      throw new EdgeError(error.status, body, error.action, error.text)
    }
    throw error
  }
}

/** Turns the edge's `row N` (a line of the request's body) into the line of the file. */
function inFile(path: string, chunk: ImportChunk, file: string): string {
  const match = /^row (\d+)(.*)$/.exec(path)
  const line = match ? chunk.fileLines.get(Number(match[1])) : undefined
  return line === undefined ? path : `line ${line} of ${file}${match?.[2]}`
}
