import { readFile } from 'node:fs/promises'
import { CsvError, parse } from 'csv-parse/sync'
import { CliError } from './errors'

/** One data row of the file, with its position for error messages. */
export interface Row {
  fields: string[]
  /** 1 for the first row after the header. */
  number: number
}

/** A clickstream file grouped by visitor, file order kept within each visitor. */
export interface Clickstream {
  header: string[]
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

function parseCsv(text: string, path: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true })
  } catch (error) {
    if (error instanceof CsvError) throw new CliError(`${path} is not valid CSV: ${error.message}`)
    throw error
  }
}

function groupByVisitor(records: string[][], path: string): Clickstream {
  const [header, ...data] = records
  if (!header) throw new CliError(`${path} is empty; it needs a header row and data rows`)
  const column = header.indexOf(visitorColumn)
  if (column < 0) {
    throw new CliError(`${path} has no ${visitorColumn} column; its header is: ${header.join(',')}`)
  }
  const visitors = new Map<string, Row[]>()
  data.forEach((fields, index) => {
    const visitor = fields[column] ?? ''
    const row = { fields, number: index + 1 }
    const rows = visitors.get(visitor)
    if (rows) rows.push(row)
    else visitors.set(visitor, [row])
  })
  return { header, rows: data.length, visitors }
}
