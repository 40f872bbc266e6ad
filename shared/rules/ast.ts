/**
 * The segment rule language, canonical form JSON. Every node is an object with one
 * operator key. A rule is a Condition evaluated for one visitor at a time T; windows are
 * measured back from T and events after T do not exist.
 *
 * @example
 * // Product views in at least 2 distinct sessions in the last 7 days.
 * { ">=": [{ "distinct": { "field": "session", "events": { "type": "view", "within": "7d" } } }, 2] }
 */
import type { EventType } from '../events'

/** A length of time: `"500ms"`, `"90s"`, `"30m"`, `"72h"`, `"7d"`, `"2w"`, or `"1d12h"`. */
export type Duration = string

/** True or false for the visitor at T. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { [op in ComparisonOperator]?: [Measure, number | Duration] }
  /** Some event of the set, named `as`, makes `test` true; `test` may refer to it by name. */
  | { some: { events: Selector; as: string; test: Condition } }

/**
 * In a Condition the right side is a constant: a number, or a duration (in milliseconds)
 * for ages and dwell. In a Predicate both sides are operands.
 */
export type ComparisonOperator = '>=' | '>' | '<=' | '<' | '==' | '!='

/** A number that describes the visitor at T. */
export type Measure =
  | { count: Selector }
  | { sum: { field: 'price' | 'quantity' | 'value' | 'dwell'; events: Selector } }
  | { distinct: { field: EventField; events: Selector } }
  /** Each event adds its type's weight times 2^(-age / half_life), age measured at T. */
  | {
      decay: { events: Selector; half_life: Duration; weights: Partial<Record<EventType, number>> }
    }
  /** Milliseconds from the anchor's event to T; no such event makes every comparison false. */
  | { age: Anchor }

/** One event picked out of a set, or an event named by an enclosing `some`. */
export type Anchor = { latest: Selector } | { earliest: Selector } | string

/** A set of the visitor's events, all at or before T. Every key narrows it. */
export interface Selector {
  type?: EventType | EventType[]
  /** Only events after T minus this and at or before T. */
  within?: Duration
  /** Only events at or after the anchor's event. */
  since?: Anchor
  /** Only events strictly after the anchor's event. */
  after?: Anchor
  /** Only events whose category is this path or lies below it. */
  category?: string
  where?: Predicate
}

/** Fields of an event that predicates, `distinct` and `sum` can read. */
export type EventField =
  | 'type'
  | 'session'
  | 'product'
  | 'category'
  | 'brand'
  | 'price'
  | 'quantity'
  | 'value'
  | 'filter'
  | 'option'
  | 'name'
  | 'local_hour'
  | 'local_weekday'

/** `{"var": "price"}` reads the event under test; `{"var": "p.session"}` a named one. */
export type Operand = { var: string } | string | number | boolean | null

/** True or false for one event; it cannot depend on T. */
export type Predicate =
  | { all: Predicate[] }
  | { any: Predicate[] }
  | { not: Predicate }
  | { [op in ComparisonOperator]?: [Operand, Operand] }
  | { in: [Operand, Array<string | number>] }
  /** The category path is the given one or lies below it. */
  | { under: [Operand, string] }
