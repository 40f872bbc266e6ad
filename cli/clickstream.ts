import { readFile } from 'node:fs/promises'
import { CsvError, parse } from 'csv-parse/sync'
import { CliError } from './errors'

/** One record of the file, with its position for error messages. */
export interface Row {
  fields: string[]
  /** The file's line where the record ends (as the edge counts `row N`); the header is 1. */
  line: number
}

/** A clickstream file grouped by visitor, file order kept within each visitor. */
export interface Clickstream {
  path: string
  header: Row
  rows: number
  /** Visitor id → rows, in order of each visitor's first appearance in the file. */
  visitors: Map<string, Row[]>
}

/** The column that names the visitor in the Open CDP / REES46 format. */
export const visitorColumn = 'user_id'

/** Reads and parses the CSV file at `path` and groups its rows by `user_id`. */
export async function readClickstream(path: string): Promise<Clickstream> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`)
  }
  return groupByVisitor(parseCsv(text, path), path)
}

// What csv-parse yields per record with `info: true`; its typings do not say so.
interface Parsed {
  record: string[]
  info: { lines: number }
}

function parseCsv(text: string, path: string): Row[] {
  try {
    const options = { bom: true, skip_empty_lines: true, info: true }
    const records = parse(text, options) as unknown as Parsed[]
    return records.map(({ record, info }) => ({ fields: record, line: info.lines }))
  } catch (error) {
    if (error instanceof CsvError) throw new CliError(`${path} is not valid CSV: ${error.message}`)
    throw error
  }
}

function groupByVisitor(records: Row[], path: string): Clickstream {
  const [header, ...data] = records
  if (!header) throw new CliError(`${path} is empty; it needs a header row and data rows`)
  const column = header.fields.indexOf(visitorColumn)
  if (column < 0) {
    const found = header.fields.join(',')
    throw new CliError(`${path} has no ${visitorColumn} column; its header is: ${found}`)
  }
  const visitors = new Map<string, Row[]>()
  for (const row of data) {
    const visitor = row.fields[column] ?? ''
    const rows = visitors.get(visitor)
    if (rows) rows.push(row)
    else visitors.set(visitor, [row])
  }
  return { path, header, rows: data.length, visitors }
}
