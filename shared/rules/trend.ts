/**
 * How a measure moves as T advances with no new event: it holds (`step`), grows one per
 * millisecond (`rising`, an age), or halves every `halfLife` (`decay`, a decayed score).
 */
export type Trend = { kind: 'step' } | { kind: 'rising' } | { kind: 'decay'; halfLife: number }

/** A measure's value at T (null when its anchor event does not exist) and how it moves. */
export interface Reading {
  value: number | null
  /** The first moment after T at which the events behind the value may change. */
  next: number
  trend: Trend
}

/**
 * The first millisecond after `at` at which comparing the moving value with `limit` may give
 * another answer, or Infinity. Checking both the crossing millisecond and the one after it
 * covers every operator (`>=` turns at the crossing, `>` one millisecond later).
 */
export function nextCrossing(reading: Reading, limit: number, at: number): number {
  const { value, trend } = reading
  if (value === null || trend.kind === 'step') return Number.POSITIVE_INFINITY
  let crossing: number
  if (trend.kind === 'rising') {
    crossing = at + (limit - value)
  } else {
    // value * 2^(-d / halfLife) = limit, for a value decaying towards zero past the limit.
    const ratio = value / limit
    if (!(ratio >= 1)) return Number.POSITIVE_INFINITY
    crossing = at + trend.halfLife * Math.log2(ratio)
  }
  const first = Math.ceil(crossing)
  if (first > at) return first
  if (first + 1 > at) return first + 1
  return Number.POSITIVE_INFINITY
}
