import type { FileImport } from './args'
import { readClickstream } from './clickstream'
import type { EdgeClient } from './edge-client'
import { importClickstream } from './import'
import { lookupSegments } from './lookup'
import type { ProgressStream } from './progress'

/** Where a command writes: JSON lines to `stdout`, progress to `stderr`. */
export interface Output {
  stdout: { write(text: string): unknown }
  stderr: ProgressStream
}

/**
 * Imports `file` (unless `doImport` is false) and prints each of its visitors' segments as
 * of `at`, one JSON line per visitor, in order of first appearance in the file.
 */
export async function backtest(
  edge: EdgeClient,
  file: FileImport,
  at: string | undefined,
  doImport: boolean,
  out: Output,
): Promise<void> {
  const clickstream = await readClickstream(file.path)
  await edge.ensureReachable()
  if (doImport) await importClickstream(edge, clickstream, file, out.stderr)
  const visitors = [...clickstream.visitors.keys()]
  const results = await lookupSegments(edge, file.site, visitors, at, out.stderr)
  out.stdout.write(results.map((result) => `${JSON.stringify(result)}\n`).join(''))
}

/** Imports `file` and reports the totals on stderr. */
export async function importOnly(edge: EdgeClient, file: FileImport, out: Output): Promise<void> {
  const clickstream = await readClickstream(file.path)
  await edge.ensureReachable()
  await importClickstream(edge, clickstream, file, out.stderr)
}
