import { describe, expect, it } from 'vitest'
import { compileRule } from '../../../shared/rules/compile'
import { day, type EventSpec, historyOf, hour, minute, T } from '../helpers'

/**
 * When time alone can change an answer, the rule names the first moment it may; the visitor's
 * object sets its alarm there. Each case gives the expected answer now and that moment.
 */
const cases: { name: string; rule: unknown; events: EventSpec[]; value: boolean; next: number }[] =
  [
    {
      name: 'an age crosses its limit',
      rule: { '>=': [{ age: { latest: { type: 'cart' } } }, '30m'] },
      events: [{ type: 'cart', t: T - 10 * minute }],
      value: false,
      next: T + 20 * minute,
    },
    {
      name: 'a strict age limit turns one millisecond later',
      rule: { '>': [{ age: { latest: { type: 'cart' } } }, '30m'] },
      events: [{ type: 'cart', t: T - 30 * minute }],
      value: false,
      next: T + 1,
    },
    {
      name: 'the oldest event leaves its window',
      rule: { '>=': [{ count: { type: 'view', within: '1d' } }, 2] },
      events: [
        { type: 'view', t: T - 20 * hour },
        { type: 'view', t: T - 2 * hour },
      ],
      value: true,
      next: T + 4 * hour,
    },
    {
      name: 'a decayed score falls below its threshold',
      rule: {
        '>=': [{ decay: { events: {}, half_life: '72h', weights: { view: 1 } } }, 8],
      },
      events: Array.from({ length: 16 }, () => ({ type: 'view' as const, t: T })),
      value: true,
      next: T + 72 * hour,
    },
    {
      name: 'an event already recorded for later arrives',
      rule: { '>=': [{ count: { type: 'purchase' } }, 1] },
      events: [{ type: 'purchase', t: T + day }],
      value: false,
      next: T + day,
    },
    {
      name: 'an answer no clock can change',
      rule: { '>=': [{ count: { type: 'purchase' } }, 1] },
      events: [{ type: 'purchase', t: T - day }],
      value: true,
      next: Number.POSITIVE_INFINITY,
    },
    {
      name: 'a false part of "all" decides alone',
      rule: {
        all: [
          { '>=': [{ count: { type: 'view', within: '1h' } }, 5] },
          { '>=': [{ age: { latest: { type: 'view' } } }, '10m'] },
        ],
      },
      events: [{ type: 'view', t: T - 50 * minute }],
      value: false,
      next: T + 10 * minute,
    },
  ]

describe('next moment of change', () => {
  it.each(cases)('$name', ({ rule, events, value, next }) => {
    const verdict = compileRule(rule).evaluate(historyOf(events), T)
    expect(verdict).toEqual({ value, next })
  })

  it('gives the moment the answer really turns', () => {
    const rule = compileRule({
      '>=': [{ decay: { events: {}, half_life: '72h', weights: { view: 1 } } }, 8],
    })
    const history = historyOf(Array.from({ length: 9 }, () => ({ type: 'view' as const, t: T })))
    const { next } = rule.evaluate(history, T)
    expect(next).toBe(Math.ceil(T + 72 * hour * Math.log2(9 / 8)))
    expect(rule.evaluate(history, next - 1).value).toBe(true)
    expect(rule.evaluate(history, next + 1).value).toBe(false)
  })
})
