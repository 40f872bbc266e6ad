import type { EventType } from '../../shared/events'
import type { StoredEvent } from './timeline'

/** Columns of the `events` table, in the order `insert` binds them. */
const columns = [
  'id',
  't',
  'type',
  'session',
  'product',
  'category',
  'brand',
  'price',
  'quantity',
  'value',
  'filter',
  'option',
  'name',
  'local_hour',
  'local_weekday',
  'ref',
  'dwell',
  'dwell_from_next_event',
] as const

type Row = Record<(typeof columns)[number] | 'seq', SqlStorageValue>

/** A visitor's events in its Durable Object's SQLite database. */
export class EventStore {
  /** Whether the table exists; a visitor that never sent anything costs no storage. */
  private created: boolean

  constructor(private readonly sql: SqlStorage) {
    this.created =
      sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").toArray()
        .length > 0
  }

  all(): StoredEvent[] {
    if (!this.created) return []
    return this.sql.exec<Row>('SELECT * FROM events ORDER BY seq').toArray().map(fromRow)
  }

  /** Stores one event and returns its arrival number. */
  insert(event: Omit<StoredEvent, 'seq'>): number {
    if (!this.created) this.create()
    const values = [
      event.id,
      event.t,
      event.type,
      event.session,
      event.product ?? null,
      event.category ?? null,
      event.brand ?? null,
      event.price ?? null,
      event.quantity ?? null,
      event.value ?? null,
      event.filter ?? null,
      event.option ?? null,
      event.name ?? null,
      event.localHour ?? null,
      event.localWeekday ?? null,
      event.ref ?? null,
      event.dwell ?? null,
      event.dwellFromNextEvent ? 1 : 0,
    ]
    const placeholders = columns.map(() => '?').join(', ')
    return this.sql
      .exec<{ seq: number }>(
        `INSERT INTO events (${columns.join(', ')}) VALUES (${placeholders}) RETURNING seq`,
        ...values,
      )
      .one().seq
  }

  private create() {
    this.sql.exec(`CREATE TABLE events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      t INTEGER NOT NULL,
      type TEXT NOT NULL,
      session TEXT NOT NULL,
      product TEXT, category TEXT, brand TEXT,
      price REAL, quantity REAL, value REAL,
      filter TEXT, option TEXT, name TEXT,
      local_hour INTEGER, local_weekday INTEGER,
      ref TEXT, dwell INTEGER,
      dwell_from_next_event INTEGER NOT NULL DEFAULT 0
    )`)
    this.created = true
  }

  /** Deletes events by arrival number. */
  delete(seqs: readonly number[]): void {
    // Bound parameters per statement are limited; delete in slices.
    for (let i = 0; i < seqs.length; i += 90) {
      const slice = seqs.slice(i, i + 90)
      this.sql.exec(`DELETE FROM events WHERE seq IN (${slice.map(() => '?').join(',')})`, ...slice)
    }
  }

  count(): number {
    if (!this.created) return 0
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM events').one().n
  }
}

function fromRow(row: Row): StoredEvent {
  const text = (value: SqlStorageValue) => (value === null ? undefined : String(value))
  const number = (value: SqlStorageValue) => (value === null ? undefined : Number(value))
  return {
    seq: Number(row.seq),
    id: String(row.id),
    t: Number(row.t),
    type: String(row.type) as EventType,
    session: String(row.session),
    product: text(row.product),
    category: text(row.category),
    brand: text(row.brand),
    price: number(row.price),
    quantity: number(row.quantity),
    value: number(row.value),
    filter: text(row.filter),
    option: text(row.option),
    name: text(row.name),
    localHour: number(row.local_hour),
    localWeekday: number(row.local_weekday),
    ref: text(row.ref),
    dwell: number(row.dwell),
    dwellFromNextEvent: row.dwell_from_next_event === 1,
  }
}
