import { describe, expect, it } from 'vitest'
import { compileRule } from '../../../shared/rules/compile'
import { day, type EventSpec, historyOf, hour, T } from '../helpers'

const events: EventSpec[] = [
  { type: 'view', t: T - 3 * day, product: 'a', brand: 'acme', price: 10, category: 'home' },
  { type: 'view', t: T - 2 * day, product: 'b', brand: 'zenith', price: 25, session: 's2' },
  { type: 'cart', t: T - day, product: 'b', price: 25, quantity: 2, value: 50 },
  { type: 'track', t: T - hour, name: 'newsletter_signup' },
]

const atLeastZero = (measure: unknown) => ({ '>=': [measure, 0] })

const cases: { name: string; rule: unknown; value: boolean }[] = [
  { name: 'count of several types', rule: { '==': [{ count: { type: ['view', 'cart'] } }, 3] } },
  {
    name: 'in a list',
    rule: { '==': [{ count: { where: { in: [{ var: 'brand' }, ['acme']] } } }, 1] },
  },
  {
    name: 'not',
    rule: {
      '==': [{ count: { type: 'view', where: { not: { '==': [{ var: 'product' }, 'a'] } } } }, 1],
    },
  },
  {
    name: 'any of two',
    rule: {
      '==': [
        {
          count: {
            where: { any: [{ '<': [{ var: 'price' }, 11] }, { '==': [{ var: 'quantity' }, 2] }] },
          },
        },
        2,
      ],
    },
  },
  {
    name: 'missing fields never match',
    rule: { '==': [{ count: { where: { '!=': [{ var: 'brand' }, 'x'] } } }, 2] },
  },
  {
    name: 'values of different kinds never match',
    rule: { '==': [{ count: { where: { '==': [{ var: 'price' }, '10'] } } }, 0] },
  },
  {
    name: 'sum of value',
    rule: { '==': [{ sum: { field: 'value', events: { type: 'cart' } } }, 50] },
  },
  { name: 'sum of quantity', rule: { '==': [{ sum: { field: 'quantity', events: {} } }, 2] } },
  {
    name: 'distinct products',
    rule: { '==': [{ distinct: { field: 'product', events: {} } }, 2] },
  },
  { name: 'age of the earliest event', rule: { '==': [{ age: { earliest: {} } }, '3d'] } },
  {
    name: 'age of nothing is never compared',
    rule: { '<': [{ age: { latest: { type: 'purchase' } } }, '1d'] },
    value: false,
  },
  {
    name: 'since an anchor includes it',
    rule: { '==': [{ count: { since: { latest: { type: 'cart' } } } }, 2] },
  },
  {
    name: 'after an anchor excludes it',
    rule: { '==': [{ count: { after: { latest: { type: 'cart' } } } }, 1] },
  },
  {
    name: 'no anchor, empty set',
    rule: { '==': [{ count: { after: { latest: { type: 'purchase' } } } }, 0] },
  },
  {
    name: 'custom events by name',
    rule: {
      '==': [
        { count: { type: 'track', where: { '==': [{ var: 'name' }, 'newsletter_signup'] } } },
        1,
      ],
    },
  },
  {
    name: 'some with a named event',
    rule: {
      some: {
        events: { type: 'cart' },
        as: 'c',
        test: {
          '>=': [
            {
              count: { type: 'view', where: { '==': [{ var: 'product' }, { var: 'c.product' }] } },
            },
            1,
          ],
        },
      },
    },
  },
  {
    name: 'some finds none',
    rule: {
      some: {
        events: { type: 'cart' },
        as: 'c',
        test: {
          '>=': [
            {
              count: { type: 'view', where: { '==': [{ var: 'session' }, { var: 'c.session' }] } },
            },
            2,
          ],
        },
      },
    },
    value: false,
  },
].map((c) => ({ value: true, ...c }))

describe('operators', () => {
  it.each(cases)('$name', ({ rule, value }) => {
    expect(compileRule(rule).evaluate(historyOf(events), T).value).toBe(value)
  })

  it('reports the longest window a rule reads', () => {
    const rule = compileRule({
      all: [
        atLeastZero({ count: { within: '7d' } }),
        atLeastZero({ count: { since: { latest: { within: '30d' } } } }),
      ],
    })
    expect(rule.horizon).toBe(30 * day)
  })

  it('counts age limits and decay tails as history the rule needs', () => {
    expect(compileRule({ '<': [{ age: { latest: {} } }, '200d'] }).horizon).toBe(200 * day)
    const decay = { decay: { events: {}, half_life: '30d', weights: { view: 1 } } }
    expect(compileRule({ '>=': [decay, 1] }).horizon).toBe(300 * day)
  })
})
