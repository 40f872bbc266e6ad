/**
 * Why a segment rule was refused: a stable code for programs, a message for people that
 * says what to write instead, and the JSON path of the offending part.
 *
 * @example
 * new RuleError('invalid_duration', 'write a duration like "30m", "7d" or "72h"', '$.within')
 */
export class RuleError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path: string,
  ) {
    super(message)
    this.name = 'RuleError'
  }
}

/**
 * Work one rule may do in one evaluation, in events examined times the predicate nodes that
 * test each; see `OverBudget`. All of a site's rules together get `siteEvaluationBudget`.
 */
export const evaluationBudget = 1_000_000
export const siteEvaluationBudget = 4_000_000

/**
 * A rule did more work than its budget in one evaluation (a nested `some` over a very long
 * history does). The segment answers false for that visitor rather than let one visitor's
 * history stall the object.
 */
export class OverBudget extends Error {
  constructor() {
    super('the rule did more work than its budget allows in one evaluation')
    this.name = 'OverBudget'
  }
}
