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
