import { eventTypes } from '../events'
import { maxDurationMs } from './duration'
import { evaluationBudget, RuleError } from './errors'
import { dwellAsOf, type History, type SignalEvent } from './history'
import { key, Reader } from './reader'
import {
  type Context,
  compileAnchor,
  compileSelector,
  fieldReader,
  readField,
  type Scope,
} from './select'
import { nextCrossing, type Reading } from './trend'

/** Whether the visitor meets the rule at T, and the first later moment that may change. */
export interface Verdict {
  value: boolean
  next: number
}

/** A validated rule, ready to evaluate many times. */
export interface CompiledRule {
  /**
   * Throws `OverBudget` once the rule has done more work than `budget.left` allows (events
   * examined times the cost of testing one); what it used is taken off `budget.left`.
   */
  evaluate(history: History, at: number, budget?: { left: number }): Verdict
  /** The longest window the rule looks back over, in ms (0 when it names none). */
  horizon: number
}

type ConditionFn = (ctx: Context) => Verdict
type MeasureFn = (ctx: Context) => Reading

/**
 * Validates a rule (see `ast.ts`) and compiles it into a predicate over a visitor's
 * history. Throws a `RuleError` naming the first bad part.
 *
 * @example
 * const rule = compileRule({ '>=': [{ count: { type: 'purchase', within: '7d' } }, 1] })
 * rule.evaluate(history, Date.now()).value
 */
export function compileRule(json: unknown, path = '$'): CompiledRule {
  const compiler = new Compiler()
  const condition = compiler.condition(json, path, 0, new Map())
  return {
    evaluate: (history, at, budget = { left: evaluationBudget }) =>
      condition({ history, at, bound: [], budget }),
    horizon: compiler.r.longestWindow,
  }
}

const decayTailHalfLives = 10

const comparisons = ['>=', '>', '<=', '<', '==', '!='] as const
type ComparisonOp = (typeof comparisons)[number]
const conditionOperators = ['all', 'any', 'not', 'some', ...comparisons] as const
const measureOperators = ['count', 'sum', 'distinct', 'decay', 'age'] as const
const summable = ['price', 'quantity', 'value', 'dwell'] as const

class Compiler {
  readonly r = new Reader()

  condition(json: unknown, path: string, depth: number, scope: Scope): ConditionFn {
    const { op, arg, path: argPath } = this.r.operator(json, path, depth, conditionOperators)
    switch (op) {
      case 'all':
      case 'any': {
        const parts = this.r
          .array(arg, argPath)
          .map((item, i) => this.condition(item, `${argPath}[${i}]`, depth + 1, scope))
        return op === 'all' ? every(parts) : some(parts)
      }
      case 'not': {
        const inner = this.condition(arg, argPath, depth + 1, scope)
        return (ctx) => {
          const verdict = inner(ctx)
          return { value: !verdict.value, next: verdict.next }
        }
      }
      case 'some':
        return this.exists(arg, argPath, depth + 1, scope)
      default:
        return this.comparison(op as ComparisonOp, arg, argPath, depth + 1, scope)
    }
  }

  private exists(json: unknown, path: string, depth: number, scope: Scope): ConditionFn {
    const node = this.r.fields(json, path, ['events', 'as', 'test'], ['events', 'as', 'test'])
    const select = this.selector(node.events, `${path}.events`, depth, scope)
    const name = this.r.string(node.as, `${path}.as`)
    if (!/^[a-z][a-z0-9_]*$/.test(name) || scope.has(name)) {
      throw new RuleError(
        'invalid_name',
        'name the event with a new lower-case word such as "p"',
        `${path}.as`,
      )
    }
    const slot = scope.size
    const inner = new Map(scope).set(name, slot)
    const test = this.condition(node.test, `${path}.test`, depth, inner)
    return (ctx) => {
      const { events, next } = select(ctx)
      let soonest = next
      let found = false
      for (const event of events) {
        ctx.bound[slot] = event
        const verdict = test(ctx)
        soonest = Math.min(soonest, verdict.next)
        if (verdict.value) {
          found = true
          break
        }
      }
      ctx.bound.length = slot
      // Once one event qualifies, only changes to the set or to that event's test matter.
      return { value: found, next: soonest }
    }
  }

  private comparison(
    op: ComparisonOp,
    json: unknown,
    path: string,
    depth: number,
    scope: Scope,
  ): ConditionFn {
    const [left, right] = this.r.array(json, path, 2)
    const measure = this.measure(left, `${path}[0]`, depth, scope)
    const limit = this.r.constant(right, `${path}[1]`)
    if (Object.keys(this.r.object(left, `${path}[0]`))[0] === 'age') {
      if (Math.abs(limit) > maxDurationMs) {
        throw new RuleError('invalid_duration', 'compare ages with at most "400d"', `${path}[1]`)
      }
      // An age limit is a window too: the anchor's event must still be kept when it is reached.
      this.r.reach(Math.abs(limit))
    }
    const holds = compare[op]
    return (ctx) => {
      const reading = measure(ctx)
      const value = reading.value !== null && holds(reading.value, limit)
      return { value, next: Math.min(reading.next, nextCrossing(reading, limit, ctx.at)) }
    }
  }

  private measure(json: unknown, path: string, depth: number, scope: Scope): MeasureFn {
    const { op, arg, path: argPath } = this.r.operator(json, path, depth, measureOperators)
    switch (op) {
      case 'count': {
        const select = this.selector(arg, argPath, depth + 1, scope)
        return (ctx) => {
          const { events, next } = select(ctx)
          return { value: events.length, next, trend: { kind: 'step' } }
        }
      }
      case 'sum':
        return this.sum(arg, argPath, depth + 1, scope)
      case 'distinct':
        return this.distinct(arg, argPath, depth + 1, scope)
      case 'decay':
        return this.decay(arg, argPath, depth + 1, scope)
      default: {
        const anchor = compileAnchor(this.r, arg, argPath, depth + 1, scope)
        return (ctx) => {
          const { event, next } = anchor(ctx)
          const value = event === undefined ? null : ctx.at - event.t
          return { value, next, trend: { kind: 'rising' } }
        }
      }
    }
  }

  private sum(json: unknown, path: string, depth: number, scope: Scope): MeasureFn {
    const node = this.r.fields(json, path, ['field', 'events'], ['field', 'events'])
    const field = this.r.string(node.field, `${path}.field`)
    if (!(summable as readonly string[]).includes(field)) {
      throw new RuleError(
        'field_not_summable',
        `"${field}" cannot be added up; use ${summable.join(', ')}`,
        `${path}.field`,
      )
    }
    const select = this.selector(node.events, `${path}.events`, depth, scope)
    const amount: (event: SignalEvent, at: number) => number =
      field === 'dwell'
        ? dwellAsOf
        : (event) => (fieldReader(field as 'price' | 'quantity' | 'value')(event) as number) ?? 0
    return (ctx) => {
      const { events, next } = select(ctx)
      let total = 0
      for (const event of events) total += amount(event, ctx.at)
      return { value: total, next, trend: { kind: 'step' } }
    }
  }

  private distinct(json: unknown, path: string, depth: number, scope: Scope): MeasureFn {
    const node = this.r.fields(json, path, ['field', 'events'], ['field', 'events'])
    const read = fieldReader(readField(this.r, node.field, `${path}.field`))
    const select = this.selector(node.events, `${path}.events`, depth, scope)
    return (ctx) => {
      const { events, next } = select(ctx)
      const values = new Set<string | number>()
      for (const event of events) {
        const value = read(event)
        if (value !== undefined) values.add(value)
      }
      return { value: values.size, next, trend: { kind: 'step' } }
    }
  }

  private decay(json: unknown, path: string, depth: number, scope: Scope): MeasureFn {
    const node = this.r.fields(
      json,
      path,
      ['events', 'half_life', 'weights'],
      ['events', 'half_life', 'weights'],
    )
    const halfLife = this.r.duration(node.half_life, `${path}.half_life`)
    if (halfLife * decayTailHalfLives > maxDurationMs) {
      throw new RuleError(
        'half_life_too_long',
        `keep half_life to ${maxDurationMs / decayTailHalfLives / 86_400_000}d at most, so ten half-lives of history fit in the 400 days kept`,
        `${path}.half_life`,
      )
    }
    // Past ten half-lives an event weighs under 0.1% of its weight; older ones may go.
    this.r.reach(halfLife * decayTailHalfLives)
    const weights = new Map<string, number>()
    const weightsPath = `${path}.weights`
    for (const [type, weight] of Object.entries(this.r.object(node.weights, weightsPath))) {
      if (!(eventTypes as readonly string[]).includes(type) || type === 'dwell') {
        throw new RuleError(
          'unknown_event_type',
          `"${type}" is not an event type`,
          `${weightsPath}${key(type)}`,
        )
      }
      weights.set(type, this.r.number(weight, `${weightsPath}${key(type)}`))
    }
    const select = this.selector(node.events, `${path}.events`, depth, scope)
    return (ctx) => {
      const { events, next } = select(ctx)
      let total = 0
      for (const event of events) {
        const weight = weights.get(event.type)
        if (weight !== undefined) total += weight * 2 ** (-(ctx.at - event.t) / halfLife)
      }
      return { value: total, next, trend: { kind: 'decay', halfLife } }
    }
  }

  private selector(json: unknown, path: string, depth: number, scope: Scope) {
    return compileSelector(this.r, json, path, depth, scope)
  }
}

const compare: Record<ComparisonOp, (a: number, b: number) => boolean> = {
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '<': (a, b) => a < b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
}

/** False until one part is false; then only that part can change the answer. */
function every(parts: ConditionFn[]): ConditionFn {
  return (ctx) => {
    let next = Number.POSITIVE_INFINITY
    for (const part of parts) {
      const verdict = part(ctx)
      if (!verdict.value) return verdict
      next = Math.min(next, verdict.next)
    }
    return { value: true, next }
  }
}

/** True once one part is true; then only that part can change the answer. */
function some(parts: ConditionFn[]): ConditionFn {
  return (ctx) => {
    let next = Number.POSITIVE_INFINITY
    for (const part of parts) {
      const verdict = part(ctx)
      if (verdict.value) return verdict
      next = Math.min(next, verdict.next)
    }
    return { value: false, next }
  }
}
