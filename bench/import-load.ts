import { importDefaults } from '../cli/args'
import type { Clickstream } from '../cli/clickstream'
import { EdgeClient, type EdgeConfig } from '../cli/edge-client'
import { type ImportTotals, importClickstream } from '../cli/import'
import type { ProgressStream } from '../cli/progress'

/** One timed import of a whole file. */
export interface ImportRun {
  seconds: number
  eventsPerSecond: number
  retries: number
  totals: ImportTotals
}

/** How an import is batched: visitors per request and requests in flight. */
export interface Batching {
  visitorsPerRequest: number
  inFlight: number
}

/** Imports `file` into `site` the way `telltale import` does, and times it. */
export async function timeImport(
  edge: EdgeConfig,
  file: Clickstream,
  site: string,
  batching: Batching = importDefaults,
  stderr: ProgressStream = process.stderr,
): Promise<ImportRun> {
  const client = new EdgeClient(edge)
  const options = { site, format: 'rees46', timeZone: 'Pacific/Auckland', ...batching }
  const started = performance.now()
  const totals = await importClickstream(client, file, options, stderr)
  const seconds = (performance.now() - started) / 1000
  return { seconds, eventsPerSecond: file.rows / seconds, retries: client.retries, totals }
}
