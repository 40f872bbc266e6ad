import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEdge, startEdge } from '../../scripts/local-edge'

let edge: RunningEdge

beforeAll(async () => {
  edge = await startEdge()
})
afterAll(() => edge?.stop())

describe('what npm start serves', () => {
  it('serves the built snippet, cacheable for five minutes', async () => {
    const response = await fetch(`${edge.origin}/t.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/javascript/)
    expect(response.headers.get('cache-control')).toBe(
      'public, max-age=300, stale-while-revalidate=86400',
    )
    const built = readFileSync(new URL('../../dist/public/t.js', import.meta.url), 'utf8')
    expect(await response.text()).toBe(built)
  })

  it('serves the demo store with the snippet tag on its pages', async () => {
    const response = await fetch(`${edge.origin}/`)
    expect(response.status).toBe(200)
    expect(await response.text()).toMatch(/<script[^>]+src="\/t\.js"[^>]+data-site="demo"/)
  })

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await fetch(`${edge.origin}/v1/nothing`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})
