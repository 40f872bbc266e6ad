import { describe, expect, it } from 'vitest'
import { compileRule } from '../../../shared/rules/compile'
import { evaluationBudget, OverBudget } from '../../../shared/rules/errors'
import { compileSegments, starterSegments } from '../../../shared/segments/definitions'
import { historyOf, minute, T } from '../helpers'

/** Purchases of one product, each in its own session: the worst case for quick_decider. */
const purchases = (n: number) =>
  historyOf(
    Array.from({ length: n }, (_, i) => ({
      type: 'purchase' as const,
      t: T - (n - i) * minute,
      product: 'x',
      session: `s${i}`,
      value: 1,
    })),
  )

describe('evaluation budget', () => {
  it('lets a rule examine a long history many times over within the budget', () => {
    const { segments, overBudget } = compileSegments(starterSegments).evaluate(purchases(300), T)
    expect(overBudget).toEqual([])
    expect(segments).toContain('recent_buyer')
  })

  it('stops a rule whose work grows with the square of the history, and only that one', () => {
    const { segments, overBudget } = compileSegments(starterSegments).evaluate(purchases(2000), T)
    expect(overBudget).toEqual(['quick_decider'])
    // The other segments still answer.
    expect(segments).toEqual(['big_spender', 'recent_buyer'])
  })

  it('counts the predicate tested on each event as work', () => {
    const manyBranches = {
      any: Array.from({ length: 240 }, (_, i) => ({ '==': [{ var: 'product' }, `p${i}`] })),
    }
    const rule = compileRule({ '>=': [{ count: { where: manyBranches } }, 1] })
    expect(() => rule.evaluate(purchases(5000), T)).toThrow(OverBudget)
    expect(rule.evaluate(purchases(3000), T).value).toBe(false)
  })

  it("shares one budget among all of a site's rules", () => {
    // Each rule alone fits its own budget; together they exceed the site's.
    const heavy = (id: string) => ({
      id,
      rule: {
        '>=': [
          {
            count: {
              where: {
                any: Array.from({ length: 150 }, (_, i) => ({ '==': [{ var: 'brand' }, `b${i}`] })),
              },
            },
          },
          1,
        ],
      },
    })
    const site = compileSegments(['a', 'b', 'c', 'd', 'e', 'f'].map(heavy))
    const { overBudget } = site.evaluate(purchases(6000), T)
    expect(overBudget.length).toBeGreaterThan(0)
    expect(overBudget).not.toContain('a')
  })

  it('stops nested quantifiers over the same events', () => {
    const rule = compileRule({
      some: {
        events: {},
        as: 'a',
        test: {
          some: { events: {}, as: 'b', test: { '<': [{ count: { type: 'purchase' } }, 0] } },
        },
      },
    })
    expect(() => rule.evaluate(purchases(Math.ceil(Math.sqrt(evaluationBudget))), T)).toThrow(
      OverBudget,
    )
  })
})
