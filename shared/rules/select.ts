import { eventTypes } from '../events'
import type { EventField } from './ast'
import { OverBudget, RuleError } from './errors'
import type { History, SignalEvent } from './history'
import { key, type Reader } from './reader'

/** What every compiled piece reads: the history, the evaluation time T, named events. */
export interface Context {
  history: History
  at: number
  /** Events named by enclosing `some` nodes, outermost first. */
  bound: SignalEvent[]
  /** Events this evaluation may still examine before it gives up (`OverBudget`). */
  budget: { left: number }
}

/** Names an enclosing `some` has given, mapped to their slot in `Context.bound`. */
export type Scope = ReadonlyMap<string, number>

/** The events a selector picks at T, and the first later moment the pick may change. */
export interface Selection {
  events: SignalEvent[]
  next: number
}

export type SelectorFn = (ctx: Context) => Selection
export type AnchorFn = (ctx: Context) => { event: SignalEvent | undefined; next: number }
type PredicateFn = (event: SignalEvent, ctx: Context) => boolean
type OperandFn = (event: SignalEvent, ctx: Context) => string | number | boolean | null | undefined

const fieldReaders: Record<EventField, (event: SignalEvent) => string | number | undefined> = {
  type: (e) => e.type,
  session: (e) => e.session,
  product: (e) => e.product,
  category: (e) => e.category,
  brand: (e) => e.brand,
  price: (e) => e.price,
  quantity: (e) => e.quantity,
  value: (e) => e.value,
  filter: (e) => e.filter,
  option: (e) => e.option,
  name: (e) => e.name,
  local_hour: (e) => e.localHour,
  local_weekday: (e) => e.localWeekday,
}

/** Reads the name of an event field, refusing unknown ones. */
export function readField(r: Reader, value: unknown, path: string): EventField {
  const name = r.string(value, path)
  if (!Object.hasOwn(fieldReaders, name)) {
    const known = Object.keys(fieldReaders).join(', ')
    throw new RuleError('unknown_field', `"${name}" is not an event field; use ${known}`, path)
  }
  return name as EventField
}

export function fieldReader(field: EventField) {
  return fieldReaders[field]
}

const selectorKeys = ['type', 'within', 'since', 'after', 'category', 'where'] as const

export function compileSelector(
  r: Reader,
  json: unknown,
  path: string,
  depth: number,
  scope: Scope,
): SelectorFn {
  const node = r.fields(json, path, selectorKeys, [])
  const at = (name: string) => `${path}${key(name)}`
  const types = node.type === undefined ? undefined : readTypes(r, node.type, at('type'))
  const within = node.within === undefined ? undefined : r.window(node.within, at('within'))
  const since = node.since === undefined ? undefined : anchor(r, node.since, at('since'))
  const after = node.after === undefined ? undefined : anchor(r, node.after, at('after'))
  const category =
    node.category === undefined ? undefined : readCategory(r, node.category, at('category'))
  const nodesBefore = r.nodeCount
  const where =
    node.where === undefined
      ? undefined
      : compilePredicate(r, node.where, at('where'), depth + 1, scope)
  // Work per event examined: one, plus one per predicate node that tests it.
  const costPerEvent = 1 + r.nodeCount - nodesBefore

  function anchor(reader: Reader, value: unknown, anchorPath: string) {
    return compileAnchor(reader, value, anchorPath, depth + 1, scope)
  }

  return (ctx) => {
    const { history, at: now } = ctx
    const end = history.indexAfter(now)
    const start = within === undefined ? 0 : history.indexAfter(now - within)
    ctx.budget.left -= (end - start) * costPerEvent
    if (ctx.budget.left < 0) throw new OverBudget()
    // A new arrival may join the set; the anchors may move.
    let next = history.nextArrivalAfter(now)
    let from = Number.NEGATIVE_INFINITY
    let strictlyAfter = Number.NEGATIVE_INFINITY
    if (since !== undefined) {
      const found = since(ctx)
      next = Math.min(next, found.next)
      if (found.event === undefined) return { events: [], next }
      from = found.event.t
    }
    if (after !== undefined) {
      const found = after(ctx)
      next = Math.min(next, found.next)
      if (found.event === undefined) return { events: [], next }
      strictlyAfter = found.event.t
    }
    const events: SignalEvent[] = []
    for (let i = start; i < end; i++) {
      const event = history.events[i] as SignalEvent
      if (event.t < from || event.t <= strictlyAfter) continue
      if (types !== undefined && !types.has(event.type)) continue
      if (category !== undefined && !isUnder(event.category, category)) continue
      if (where !== undefined && !where(event, ctx)) continue
      events.push(event)
    }
    // The oldest member is the first to fall out of the window.
    const oldest = events[0]
    if (within !== undefined && oldest !== undefined) next = Math.min(next, oldest.t + within)
    return { events, next }
  }
}

export function compileAnchor(
  r: Reader,
  json: unknown,
  path: string,
  depth: number,
  scope: Scope,
): AnchorFn {
  if (typeof json === 'string') {
    const slot = scope.get(json)
    if (slot === undefined) {
      throw new RuleError('unbound_name', `no enclosing "some" names an event "${json}"`, path)
    }
    return (ctx) => ({ event: ctx.bound[slot], next: Number.POSITIVE_INFINITY })
  }
  const { op, arg, path: argPath } = r.operator(json, path, depth, ['latest', 'earliest'])
  const select = compileSelector(r, arg, argPath, depth + 1, scope)
  const latest = op === 'latest'
  return (ctx) => {
    const { events, next } = select(ctx)
    return { event: latest ? events[events.length - 1] : events[0], next }
  }
}

const comparisons = ['>=', '>', '<=', '<', '==', '!='] as const
const predicateOperators = ['all', 'any', 'not', 'in', 'under', ...comparisons] as const

export function compilePredicate(
  r: Reader,
  json: unknown,
  path: string,
  depth: number,
  scope: Scope,
): PredicateFn {
  const { op, arg, path: argPath } = r.operator(json, path, depth, predicateOperators)
  const child = (value: unknown, childPath: string) =>
    compilePredicate(r, value, childPath, depth + 1, scope)
  switch (op) {
    case 'all':
    case 'any': {
      const parts = r.array(arg, argPath).map((item, i) => child(item, `${argPath}[${i}]`))
      return op === 'all'
        ? (event, ctx) => parts.every((part) => part(event, ctx))
        : (event, ctx) => parts.some((part) => part(event, ctx))
    }
    case 'not': {
      const inner = child(arg, argPath)
      return (event, ctx) => !inner(event, ctx)
    }
    case 'in': {
      const [left, list] = r.array(arg, argPath, 2)
      const read = compileOperand(r, left, `${argPath}[0]`, scope)
      const members = new Set<unknown>(r.scalars(list, `${argPath}[1]`))
      return (event, ctx) => members.has(read(event, ctx))
    }
    case 'under': {
      const [left, prefix] = r.array(arg, argPath, 2)
      const read = compileOperand(r, left, `${argPath}[0]`, scope)
      const path = readCategory(r, prefix, `${argPath}[1]`)
      return (event, ctx) => {
        const value = read(event, ctx)
        return typeof value === 'string' && isUnder(value, path)
      }
    }
    default: {
      const [left, right] = r.array(arg, argPath, 2)
      const readLeft = compileOperand(r, left, `${argPath}[0]`, scope)
      const readRight = compileOperand(r, right, `${argPath}[1]`, scope)
      const test = compareValues(op as (typeof comparisons)[number])
      return (event, ctx) => test(readLeft(event, ctx), readRight(event, ctx))
    }
  }
}

/** A missing field, or values of different kinds, never satisfy any comparison. */
function compareValues(op: (typeof comparisons)[number]) {
  return (a: unknown, b: unknown): boolean => {
    if (a === undefined || b === undefined || a === null || b === null) return false
    if (typeof a !== typeof b) return false
    const x = a as string | number
    const y = b as string | number
    switch (op) {
      case '>=':
        return x >= y
      case '>':
        return x > y
      case '<=':
        return x <= y
      case '<':
        return x < y
      case '==':
        return x === y
      case '!=':
        return x !== y
    }
  }
}

function compileOperand(r: Reader, json: unknown, path: string, scope: Scope): OperandFn {
  if (json === null || ['string', 'number', 'boolean'].includes(typeof json)) {
    const constant = json as string | number | boolean | null
    return () => constant
  }
  const node = r.fields(json, path, ['var'], ['var'])
  const name = r.string(node.var, `${path}.var`)
  const dot = name.indexOf('.')
  if (dot < 0) {
    const read = fieldReader(readField(r, name, `${path}.var`))
    return (event) => read(event)
  }
  const slot = scope.get(name.slice(0, dot))
  if (slot === undefined) {
    throw new RuleError(
      'unbound_name',
      `no enclosing "some" names an event "${name.slice(0, dot)}"`,
      `${path}.var`,
    )
  }
  const read = fieldReader(readField(r, name.slice(dot + 1), `${path}.var`))
  return (_event, ctx) => {
    const named = ctx.bound[slot]
    return named === undefined ? undefined : read(named)
  }
}

function readTypes(r: Reader, value: unknown, path: string): Set<string> {
  const list = Array.isArray(value) ? value : [value]
  return new Set(
    list.map((item, i) => {
      const itemPath = Array.isArray(value) ? `${path}[${i}]` : path
      const type = r.string(item, itemPath)
      if (!(eventTypes as readonly string[]).includes(type) || type === 'dwell') {
        throw new RuleError(
          'unknown_event_type',
          `"${type}" is not an event type; use ${eventTypes.filter((t) => t !== 'dwell').join(', ')}`,
          itemPath,
        )
      }
      return type
    }),
  )
}

function readCategory(r: Reader, value: unknown, path: string): string {
  const category = r.string(value, path)
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(category)) {
    throw new RuleError(
      'invalid_category',
      'write a dotted category path such as "electronics.smartphone"',
      path,
    )
  }
  return category
}

/** `electronics.smartphone.case` lies under `electronics.smartphone`; `electronicsx` does not. */
export function isUnder(category: string | undefined, path: string): boolean {
  if (category === undefined) return false
  return category === path || (category.startsWith(path) && category[path.length] === '.')
}
