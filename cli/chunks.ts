import type { Clickstream } from './clickstream'

/** The body of one import request: the header and whole visitors' rows where they fit. */
export interface ImportChunk {
  csv: string
  /** Line where a record ends in `csv` → line where it ends in the file, header included. */
  fileLines: Map<number, number>
  /** Visitors whose last row is in this chunk. */
  visitorsCompleted: number
}

/** How to cut a file into import requests. */
export interface ChunkLimits {
  visitors: number
  /** Body size cap; only a visitor larger than this is split over several requests. */
  bytes: number
}

/**
 * Cuts a grouped clickstream into CSV bodies of at most `limits.visitors` visitors each,
 * so that one request wakes a bounded number of visitor objects on the edge.
 */
export function chunkByVisitor(file: Clickstream, limits: ChunkLimits): ImportChunk[] {
  const header = `${csvLine(file.header.fields)}\n`
  const headerBytes = Buffer.byteLength(header)
  const headerLines = lineCount(header)
  const empty = (visitors: number) => ({
    lines: [] as string[],
    fileLines: new Map([[headerLines, file.header.line]]),
    lineCount: headerLines,
    bytes: headerBytes,
    visitors,
  })
  const chunks: ImportChunk[] = []
  let chunk = empty(0)
  let completed = 0
  // A visitor cut by the byte cap carries on, and counts, in the next chunk.
  const flush = (visitorsCarried: number) => {
    const csv = header + chunk.lines.join('')
    chunks.push({ csv, fileLines: chunk.fileLines, visitorsCompleted: completed })
    chunk = empty(visitorsCarried)
    completed = 0
  }
  for (const rows of file.visitors.values()) {
    if (chunk.visitors === limits.visitors) flush(0)
    chunk.visitors++
    for (const row of rows) {
      const line = `${csvLine(row.fields)}\n`
      const size = Buffer.byteLength(line)
      if (chunk.lines.length > 0 && chunk.bytes + size > limits.bytes) flush(1)
      chunk.lines.push(line)
      chunk.lineCount += lineCount(line)
      chunk.fileLines.set(chunk.lineCount, row.line)
      chunk.bytes += size
    }
    completed++
  }
  if (chunk.lines.length > 0) flush(0)
  return chunks
}

// A quoted field may hold line breaks, so a record can span several lines.
function lineCount(text: string): number {
  return text.split('\n').length - 1
}

const needsQuotes = /[",\r\n]/

/** One RFC 4180 record, fields quoted only where they must be. */
export function csvLine(fields: readonly string[]): string {
  return fields
    .map((field) => (needsQuotes.test(field) ? `"${field.replaceAll('"', '""')}"` : field))
    .join(',')
}
