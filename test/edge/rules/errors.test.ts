import { describe, expect, it } from 'vitest'
import { compileRule } from '../../../shared/rules/compile'
import { RuleError } from '../../../shared/rules/errors'
import { compileSegments } from '../../../shared/segments/definitions'

const count = (selector: unknown) => ({ '>=': [{ count: selector }, 1] })

const bad: { rule: unknown; code: string; path: string }[] = [
  { rule: 'yes', code: 'expected_object', path: '$' },
  { rule: { all: [], any: [] }, code: 'expected_one_operator', path: '$' },
  { rule: { every: [] }, code: 'unknown_operator', path: '$' },
  { rule: { all: {} }, code: 'expected_array', path: '$.all' },
  { rule: { '>=': [{ count: {} }] }, code: 'expected_array', path: '$[">="]' },
  { rule: { '>=': [{ total: {} }, 1] }, code: 'unknown_operator', path: '$[">="][0]' },
  {
    rule: { '>=': [{ count: {} }, { count: {} }] },
    code: 'expected_constant',
    path: '$[">="][1]',
  },
  { rule: count({ within: '7 days' }), code: 'invalid_duration', path: '$[">="][0].count.within' },
  { rule: count({ within: '500d' }), code: 'invalid_duration', path: '$[">="][0].count.within' },
  { rule: count({ type: 'click' }), code: 'unknown_event_type', path: '$[">="][0].count.type' },
  {
    rule: count({ type: ['view', 'dwell'] }),
    code: 'unknown_event_type',
    path: '$[">="][0].count.type[1]',
  },
  { rule: count({ when: '7d' }), code: 'unknown_key', path: '$[">="][0].count.when' },
  {
    rule: count({ category: 'electronics..phone' }),
    code: 'invalid_category',
    path: '$[">="][0].count.category',
  },
  {
    rule: count({ where: { '==': [{ var: 'colour' }, 'red'] } }),
    code: 'unknown_field',
    path: '$[">="][0].count.where["=="][0].var',
  },
  {
    rule: count({ where: { '==': [{ var: '__proto__' }, 1] } }),
    code: 'unknown_field',
    path: '$[">="][0].count.where["=="][0].var',
  },
  {
    rule: { '>=': [{ distinct: { field: 'hasOwnProperty', events: {} } }, 1] },
    code: 'unknown_field',
    path: '$[">="][0].distinct.field',
  },
  {
    rule: count({ where: { in: [{ var: 'brand' }, ['a', ['b']]] } }),
    code: 'expected_scalar',
    path: '$[">="][0].count.where.in[1][1]',
  },
  {
    rule: { '<': [{ age: { latest: {} } }, 1e300] },
    code: 'expected_number',
    path: '$["<"][1]',
  },
  {
    rule: { '>=': [{ decay: { events: {}, half_life: '1h', weights: { view: 1e80 } } }, 1] },
    code: 'expected_number',
    path: '$[">="][0].decay.weights.view',
  },
  {
    rule: { '<': [{ age: { latest: {} } }, '401d'] },
    code: 'invalid_duration',
    path: '$["<"][1]',
  },
  {
    rule: { '>=': [{ decay: { events: {}, half_life: '41d', weights: { view: 1 } } }, 1] },
    code: 'half_life_too_long',
    path: '$[">="][0].decay.half_life',
  },
  {
    rule: count({ where: { '==': [{ var: 'p.product' }, 'x'] } }),
    code: 'unbound_name',
    path: '$[">="][0].count.where["=="][0].var',
  },
  {
    rule: count({ since: 'p' }),
    code: 'unbound_name',
    path: '$[">="][0].count.since',
  },
  {
    rule: { '>=': [{ sum: { field: 'session', events: {} } }, 1] },
    code: 'field_not_summable',
    path: '$[">="][0].sum.field',
  },
  {
    rule: { '>=': [{ decay: { events: {}, half_life: '1h', weights: { click: 1 } } }, 1] },
    code: 'unknown_event_type',
    path: '$[">="][0].decay.weights.click',
  },
  {
    rule: { '>=': [{ decay: { events: {}, weights: {} } }, 1] },
    code: 'missing_key',
    path: '$[">="][0].decay',
  },
  {
    rule: { some: { events: {}, as: 'P', test: count({}) } },
    code: 'invalid_name',
    path: '$.some.as',
  },
  {
    rule: { some: { events: {}, as: 'p', test: { some: { events: {}, as: 'p', test: {} } } } },
    code: 'invalid_name',
    path: '$.some.test.some.as',
  },
]

describe('rule validation', () => {
  it.each(bad)('refuses $path with $code', ({ rule, code, path }) => {
    try {
      compileRule(rule)
      expect.unreachable('the rule compiled')
    } catch (error) {
      expect(error).toBeInstanceOf(RuleError)
      expect({ code: (error as RuleError).code, path: (error as RuleError).path }).toEqual({
        code,
        path,
      })
    }
  })

  it('limits nesting depth', () => {
    let rule: unknown = count({})
    for (let i = 0; i < 20; i++) rule = { not: rule }
    expect(() => compileRule(rule)).toThrowError(expect.objectContaining({ code: 'rule_too_deep' }))
  })

  it('counts list members as nodes', () => {
    const rule = count({ where: { in: [{ var: 'brand' }, Array.from({ length: 300 }, String)] } })
    expect(() => compileRule(rule)).toThrowError(
      expect.objectContaining({ code: 'rule_too_large' }),
    )
  })

  it('limits the number of nodes', () => {
    const rule = { any: Array.from({ length: 300 }, () => count({})) }
    expect(() => compileRule(rule)).toThrowError(
      expect.objectContaining({ code: 'rule_too_large' }),
    )
  })
})

describe('segment list validation', () => {
  const ok = { id: 'a', rule: count({}) }
  it.each([
    { list: {}, code: 'expected_array', path: 'segments' },
    { list: [{ ...ok, id: 'Bad Id' }], code: 'invalid_segment_id', path: 'segments[0].id' },
    { list: [ok, ok], code: 'duplicate_segment_id', path: 'segments[1].id' },
    { list: [{ id: 'a' }], code: 'missing_key', path: 'segments[0]' },
    { list: [{ ...ok, colour: 1 }], code: 'unknown_key', path: 'segments[0].colour' },
    {
      list: [ok, { id: 'b', rule: { not: 1 } }],
      code: 'expected_object',
      path: 'segments[1].rule.not',
    },
  ])('refuses $path with $code', ({ list, code, path }) => {
    expect(() => compileSegments(list)).toThrowError(expect.objectContaining({ code, path }))
  })
})
