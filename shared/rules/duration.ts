const unitMs: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
}

/** The longest window or half-life a rule may name; longer history is never kept. */
export const maxDurationMs = 400 * 86_400_000

/**
 * Milliseconds in a duration such as `"30m"`, `"7d"`, `"72h"` or `"1d12h"`, or `undefined`
 * when the text is not one.
 *
 * @example
 * parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number | undefined {
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy
  let total = 0
  let consumed = 0
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * (unitMs[match[2] as string] as number)
    consumed += match[0].length
  }
  if (consumed === 0 || consumed !== text.length) return undefined
  return Math.round(total)
}
