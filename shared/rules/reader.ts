import { maxDurationMs, parseDuration } from './duration'
import { RuleError } from './errors'

/**
 * The deepest nesting and the most nodes (list members included) one rule may have, and the
 * largest magnitude of a number in it, so rules stay cheap to compile and their times sane.
 */
export const ruleLimits = { depth: 16, nodes: 256, magnitude: 1e12 } as const

/**
 * Walks untrusted rule JSON, keeping the JSON path for error messages and counting
 * nodes and depth against `ruleLimits`.
 */
export class Reader {
  private nodes = 0
  /** How far back the rule looks: its longest window, age limit or decay tail. */
  longestWindow = 0

  /** The single operator key of a node and its argument. */
  operator(value: unknown, path: string, depth: number, allowed: readonly string[]) {
    if (depth > ruleLimits.depth) {
      throw new RuleError('rule_too_deep', `nest at most ${ruleLimits.depth} levels`, path)
    }
    this.count(path)
    const node = this.object(value, path)
    const keys = Object.keys(node)
    const op = keys[0]
    if (keys.length !== 1 || op === undefined) {
      throw new RuleError(
        'expected_one_operator',
        `a node holds exactly one of ${allowed.join(', ')}; found ${keys.length} keys`,
        path,
      )
    }
    if (!allowed.includes(op)) {
      throw new RuleError(
        'unknown_operator',
        `"${op}" is not allowed here; use one of ${allowed.join(', ')}`,
        path,
      )
    }
    return { op, arg: node[op], path: `${path}${key(op)}` }
  }

  /** Nodes read so far; the difference across a `where` is what testing one event costs. */
  get nodeCount(): number {
    return this.nodes
  }

  private count(path: string) {
    if (++this.nodes > ruleLimits.nodes) {
      throw new RuleError('rule_too_large', `use at most ${ruleLimits.nodes} nodes`, path)
    }
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new RuleError('expected_object', 'expected a JSON object', path)
    }
    return value as Record<string, unknown>
  }

  /** An object whose keys all come from `known`, with the `required` ones present. */
  fields(value: unknown, path: string, known: readonly string[], required: readonly string[]) {
    const node = this.object(value, path)
    for (const name of Object.keys(node)) {
      if (!known.includes(name)) {
        throw new RuleError(
          'unknown_key',
          `"${name}" is not a key here; use ${known.join(', ')}`,
          `${path}${key(name)}`,
        )
      }
    }
    for (const name of required) {
      if (!(name in node)) {
        throw new RuleError('missing_key', `"${name}" is required here`, path)
      }
    }
    return node
  }

  array(value: unknown, path: string, length?: number): unknown[] {
    if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
      const what = length === undefined ? 'an array' : `an array of ${length} items`
      throw new RuleError('expected_array', `expected ${what}`, path)
    }
    return value
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.length === 0) {
      throw new RuleError('expected_string', 'expected a non-empty string', path)
    }
    return value
  }

  number(value: unknown, path: string): number {
    if (typeof value !== 'number' || !(Math.abs(value) <= ruleLimits.magnitude)) {
      throw new RuleError(
        'expected_number',
        `expected a number between -${ruleLimits.magnitude} and ${ruleLimits.magnitude}`,
        path,
      )
    }
    return value
  }

  /** A list of strings, numbers and booleans; each member counts as a node. */
  scalars(value: unknown, path: string): Array<string | number | boolean> {
    return this.array(value, path).map((member, i) => {
      this.count(`${path}[${i}]`)
      if (typeof member === 'number') return this.number(member, `${path}[${i}]`)
      if (typeof member === 'string' || typeof member === 'boolean') return member
      throw new RuleError('expected_scalar', 'list a string, number or boolean', `${path}[${i}]`)
    })
  }

  /** Milliseconds from a duration string such as "7d". */
  duration(value: unknown, path: string): number {
    const ms = typeof value === 'string' ? parseDuration(value) : undefined
    if (ms === undefined || ms <= 0 || ms > maxDurationMs) {
      throw new RuleError(
        'invalid_duration',
        'write a positive duration of at most 400d, such as "30m", "72h" or "7d"',
        path,
      )
    }
    return ms
  }

  /** A selector's window; remembered so the rule can say how far back it looks. */
  window(value: unknown, path: string): number {
    const ms = this.duration(value, path)
    this.reach(ms)
    return ms
  }

  /** Notes that the rule needs `ms` of history before T. */
  reach(ms: number) {
    this.longestWindow = Math.max(this.longestWindow, ms)
  }

  /** A number, or a duration string read as milliseconds. */
  constant(value: unknown, path: string): number {
    if (typeof value === 'string') return this.duration(value, path)
    if (typeof value === 'number') return this.number(value, path)
    throw new RuleError(
      'expected_constant',
      'compare with a number or a duration such as "30m"; measures go on the left',
      path,
    )
  }
}

/** The path step for a key: `.within`, or `[">="]` when the key is not an identifier. */
export function key(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`
}
