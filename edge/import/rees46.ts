import { parse } from 'csv-parse/browser/esm/sync'
import { idPattern, limits } from '../../shared/events'
import { HttpError } from '../http/errors'
import { localTime } from '../visitor/local-time'
import type { NewEvent } from '../visitor/visitor-object'

/** The header of an Open CDP / REES46 clickstream file, in its usual order. */
export const rees46Columns = [
  'event_time',
  'event_type',
  'product_id',
  'category_id',
  'category_code',
  'brand',
  'price',
  'user_id',
  'user_session',
] as const
type Column = (typeof rees46Columns)[number]

const typeOf: Record<string, NewEvent['type']> = {
  view: 'view',
  cart: 'cart',
  remove_from_cart: 'remove',
  purchase: 'purchase',
}

export interface ParsedImport {
  rows: number
  /** Each visitor's events in file order. */
  visitors: Map<string, NewEvent[]>
}

/**
 * Reads a REES46 CSV file into events per visitor (`user_id`), sessions from
 * `user_session`, local time in `timeZone`. A row identical to another in every column is
 * the same event. Throws an HttpError naming the row and column of the first bad value;
 * times later than `now` are refused, as they would push the visitor's history window.
 */
export async function parseRees46(
  csv: string,
  timeZone: string,
  now: number,
): Promise<ParsedImport> {
  const records = readRecords(csv)
  const header = records[0]?.record ?? []
  const index = columnIndexes(header)
  const visitors = new Map<string, NewEvent[]>()
  const rows = records.slice(1)
  const pending: { event: NewEvent; values: string[] }[] = []
  for (const { record, line } of rows) {
    const cell = (column: Column) => (record[index[column]] ?? '').trim()
    const fail = (column: Column, message: string): never => {
      throw new HttpError(422, 'invalid_row', message, `row ${line}, column ${column}`)
    }
    const t =
      readTime(cell('event_time')) ??
      fail('event_time', 'write a real time as "2019-10-01 02:50:00 UTC"')
    if (t > now + limits.futureSkewMs) {
      fail('event_time', 'the time is in the future; import what has happened')
    }
    const type = Object.hasOwn(typeOf, cell('event_type'))
      ? (typeOf[cell('event_type')] as NewEvent['type'])
      : fail('event_type', 'use view, cart, remove_from_cart or purchase')
    const price = Number(cell('price'))
    if (!/^\d{1,9}(\.\d+)?$/.test(cell('price'))) {
      fail('price', 'write the price as a non-negative decimal below 1e9, such as 35.79')
    }
    const visitor = cell('user_id')
    if (!idPattern.test(visitor) || visitor.length > limits.idChars) {
      fail('user_id', 'a user id is 1-64 letters, digits and _ . : -')
    }
    const session = cell('user_session')
    if (!idPattern.test(session) || session.length > limits.idChars) {
      fail('user_session', 'every row needs a session id of 1-64 letters, digits and _ . : -')
    }
    for (const column of ['product_id', 'category_code', 'brand'] as const) {
      if (cell(column).length > limits.textChars) {
        fail(column, `keep it to ${limits.textChars} characters`)
      }
    }
    const local = localTime(t, timeZone)
    const event: NewEvent = {
      id: '',
      t,
      type,
      session,
      product: cell('product_id') || undefined,
      category: cell('category_code') || undefined,
      brand: cell('brand') || undefined,
      price,
      quantity: 1,
      value: price,
      localHour: local.hour,
      localWeekday: local.weekday,
      dwellFromNextEvent: type === 'view',
    }
    const events = visitors.get(visitor)
    if (events === undefined) visitors.set(visitor, [event])
    else events.push(event)
    // The row as read, in a fixed order: the same row with its columns reordered, padded or
    // its price written 300.00 instead of 300 is the same event.
    const values = rees46Columns.map((column) => (column === 'price' ? `${price}` : cell(column)))
    pending.push({ event, values })
  }
  const ids = await Promise.all(pending.map(({ values }) => rowId(values)))
  pending.forEach(({ event }, i) => {
    event.id = ids[i] as string
  })
  return { rows: rows.length, visitors }
}

/** Epoch ms of "2019-10-01 02:50:00 UTC", or undefined when it is not a real moment. */
function readTime(text: string): number | undefined {
  const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC$/.exec(text)
  if (match === null) return undefined
  const t = Date.parse(`${match[1]}T${match[2]}Z`)
  // Date.parse rolls 30 February over to March; a real date reads back the same.
  const real = Number.isFinite(t) && new Date(t).toISOString().startsWith(`${match[1]}T${match[2]}`)
  return real ? t : undefined
}

function readRecords(csv: string): { record: string[]; line: number }[] {
  try {
    const rows = parse(csv, { info: true, skip_empty_lines: true, bom: true }) as unknown as {
      record: string[]
      info: { lines: number }
    }[]
    return rows.map((row) => ({ record: row.record, line: row.info.lines }))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new HttpError(422, 'invalid_csv', `the file is not valid CSV: ${message}`)
  }
}

function columnIndexes(header: string[]): Record<Column, number> {
  const index = {} as Record<Column, number>
  for (const column of rees46Columns) {
    const at = header.indexOf(column)
    if (at < 0) {
      throw new HttpError(
        422,
        'missing_column',
        `the header row lacks "${column}"; a REES46 file starts with ${rees46Columns.join(',')}`,
        'row 1',
      )
    }
    index[column] = at
  }
  return index
}

/** Identical rows get the same id, so importing a file twice stores nothing new. */
async function rowId(values: string[]): Promise<string> {
  const bytes = new TextEncoder().encode(values.join('\u001f'))
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  let hex = ''
  for (const byte of digest.subarray(0, 16)) hex += byte.toString(16).padStart(2, '0')
  return `r46:${hex}`
}
