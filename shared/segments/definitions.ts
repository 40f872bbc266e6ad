import type { Condition } from '../rules/ast'
import { compileRule } from '../rules/compile'
import { evaluationBudget, OverBudget, RuleError, siteEvaluationBudget } from '../rules/errors'
import type { History } from '../rules/history'
import starter from './starter.json'

/** A segment as a merchant writes it: an id, a description, and a rule (`shared/rules/ast.ts`). */
export interface SegmentDefinition {
  id: string
  description?: string
  rule: Condition
}

/** Membership of every segment at one moment, and when it may next change by time alone. */
export interface Membership {
  /** Ids of the segments the visitor is in, sorted. */
  segments: string[]
  /** Segments whose rule gave up on this visitor's history (`OverBudget`); they answer false. */
  overBudget: string[]
  /** The earliest moment after the evaluation time at which any answer may change. */
  next: number
}

/** A site's segments, validated and compiled once, evaluated for many visitors. */
export interface SegmentSet {
  ids: string[]
  /** The longest window any rule looks back over, in ms. */
  horizon: number
  evaluate(history: History, at: number): Membership
}

export const maxSegmentsPerSite = 100

/** The segments of every site that has not defined its own. */
export const starterSegments = starter as SegmentDefinition[]

/**
 * Validates a list of segment definitions and compiles their rules. Throws a `RuleError`
 * whose path points into the list, e.g. `segments[2].rule.all[0]`.
 */
export function compileSegments(json: unknown, path = 'segments'): SegmentSet {
  if (!Array.isArray(json) || json.length > maxSegmentsPerSite) {
    throw new RuleError(
      'expected_array',
      `expected an array of at most ${maxSegmentsPerSite} segment definitions`,
      path,
    )
  }
  const seen = new Set<string>()
  const compiled = json.map((definition, i) => {
    const at = `${path}[${i}]`
    const { id, description, rule } = readDefinition(definition, at)
    if (seen.has(id)) {
      throw new RuleError('duplicate_segment_id', `"${id}" is defined twice`, `${at}.id`)
    }
    seen.add(id)
    if (description !== undefined && typeof description !== 'string') {
      throw new RuleError('expected_string', 'a description is text', `${at}.description`)
    }
    return { id, rule: compileRule(rule, `${at}.rule`) }
  })
  const sorted = compiled.sort((a, b) => (a.id < b.id ? -1 : 1))
  return {
    ids: sorted.map((segment) => segment.id),
    horizon: Math.max(0, ...sorted.map((segment) => segment.rule.horizon)),
    evaluate(history, at) {
      const segments: string[] = []
      const overBudget: string[] = []
      let next = Number.POSITIVE_INFINITY
      let siteLeft = siteEvaluationBudget
      for (const { id, rule } of sorted) {
        const budget = { left: Math.min(evaluationBudget, siteLeft) }
        const allowed = budget.left
        try {
          const verdict = rule.evaluate(history, at, budget)
          if (verdict.value) segments.push(id)
          next = Math.min(next, verdict.next)
        } catch (error) {
          if (!(error instanceof OverBudget)) throw error
          overBudget.push(id)
        }
        siteLeft -= allowed - budget.left
      }
      return { segments, overBudget, next }
    },
  }
}

function readDefinition(json: unknown, path: string): SegmentDefinition {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RuleError('expected_object', 'a segment is {"id", "description", "rule"}', path)
  }
  const { id, description, rule, ...rest } = json as Record<string, unknown>
  const extra = Object.keys(rest)[0]
  if (extra !== undefined) {
    throw new RuleError('unknown_key', `"${extra}" is not a segment key`, `${path}.${extra}`)
  }
  if (typeof id !== 'string' || !/^[a-z][a-z0-9_]{0,62}$/.test(id)) {
    throw new RuleError(
      'invalid_segment_id',
      'a segment id is a lower-case word of letters, digits and _, such as "cart_abandoner"',
      `${path}.id`,
    )
  }
  if (rule === undefined) throw new RuleError('missing_key', '"rule" is required', path)
  return { id, description: description as string | undefined, rule: rule as Condition }
}
