import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { visitorObject } from '../../edge/visitors'
import { limits } from '../../shared/events'
import { day, minute, newSite, postCollect } from './helpers'

function batch(site: string, events: unknown[], extra: Record<string, unknown> = {}) {
  return { site, visitor: 'visitor-1', sent: Date.now(), tz: 'Europe/Paris', events, ...extra }
}

const priceFilter = (id: string, t = Date.now()) => ({
  id,
  type: 'filter',
  t,
  session: 's1',
  filter: 'price',
  option: '0-50',
})

async function storedEvents(site: string) {
  const stub = visitorObject(env, site, 'visitor-1')
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ id: string; t: number; local_hour: number }>(
        'SELECT id, t, local_hour FROM events ORDER BY seq',
      )
      .toArray(),
  )
}

describe('POST /v1/collect', () => {
  it('stores the batch and answers the live segments, readable cross-origin', async () => {
    const site = newSite()
    const response = await postCollect(batch(site, [priceFilter('f1')]))
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(await response.json()).toEqual({ segments: ['price_conscious'] })
  })

  it('counts a batch sent twice once', async () => {
    const site = newSite()
    const body = batch(site, [priceFilter('f1'), priceFilter('f2')])
    await postCollect(body)
    const again = await postCollect(body)
    expect(again.status).toBe(200)
    expect((await storedEvents(site)).map((row) => row.id)).toEqual(['f1', 'f2'])
  })

  it('corrects the client clock by the batch send time', async () => {
    const site = newSite()
    const clientNow = Date.now() - 3 * 60 * minute // a browser clock three hours slow
    const before = Date.now()
    await postCollect(batch(site, [priceFilter('f1', clientNow - minute)], { sent: clientNow }))
    const [row] = await storedEvents(site)
    expect(row?.t).toBeGreaterThanOrEqual(before - minute - 1000)
    expect(row?.t).toBeLessThanOrEqual(Date.now() - minute + 1000)
  })

  it('reads a zone in any case, and its old names, as the zone itself', async () => {
    const site = newSite()
    const noonInKolkata = Date.UTC(2026, 0, 15, 6, 45) // 12:15 in Asia/Kolkata
    const sent = Date.now()
    const t = noonInKolkata - (Date.now() - sent)
    const response = await postCollect(
      batch(site, [priceFilter('f1', t)], { tz: 'asia/calcutta', sent }),
    )
    expect(response.status).toBe(200)
    const [row] = await storedEvents(site)
    expect(row?.local_hour).toBe(12)
  })

  it('works out local time in the browser time zone', async () => {
    const site = newSite()
    const noonInTokyo = Date.UTC(2026, 0, 15, 3, 30) // 12:30 in Asia/Tokyo
    const sent = Date.now()
    const t = noonInTokyo - (Date.now() - sent)
    await postCollect(batch(site, [priceFilter('f1', t)], { tz: 'Asia/Tokyo', sent }))
    const [row] = await storedEvents(site)
    expect(row?.local_hour).toBe(12)
  })

  const invalid: { name: string; body: unknown; status: number; code: string; path?: string }[] = [
    { name: 'text that is not JSON', body: '{"site":', status: 400, code: 'invalid_json' },
    {
      name: 'a missing visitor',
      body: { site: 'shop', sent: 1, events: [priceFilter('a')] },
      status: 422,
      code: 'invalid_batch',
      path: 'visitor',
    },
    {
      name: 'an event time that is not a number',
      body: batch('shop', [{ ...priceFilter('a'), t: 'now' }]),
      status: 422,
      code: 'invalid_batch',
      path: 'events[0].t',
    },
    {
      name: 'an unknown event type',
      body: batch('shop', [priceFilter('a'), { ...priceFilter('b'), type: 'click' }]),
      status: 422,
      code: 'invalid_batch',
      path: 'events[1].type',
    },
    {
      name: 'an unknown field',
      body: batch('shop', [{ ...priceFilter('a'), colour: 'red' }]),
      status: 422,
      code: 'invalid_batch',
      path: 'events[0]',
    },
    {
      name: 'a site id with capitals',
      body: batch('Shop', [priceFilter('a')]),
      status: 422,
      code: 'invalid_batch',
      path: 'site',
    },
    {
      name: 'an empty batch',
      body: batch('shop', []),
      status: 422,
      code: 'invalid_batch',
      path: 'events',
    },
    {
      name: 'too many events',
      body: batch(
        'shop',
        Array.from({ length: limits.eventsPerBatch + 1 }, (_, i) => priceFilter(`e${i}`)),
      ),
      status: 422,
      code: 'invalid_batch',
      path: 'events',
    },
    {
      name: 'an over-long product name',
      body: batch('shop', [
        { ...priceFilter('a'), type: 'view', product: { name: 'x'.repeat(limits.textChars + 1) } },
      ]),
      status: 422,
      code: 'invalid_batch',
      path: 'events[0].product.name',
    },
    {
      name: 'an unknown time zone',
      body: batch('shop', [priceFilter('a')], { tz: 'Mars/Olympus' }),
      status: 422,
      code: 'invalid_batch',
      path: 'tz',
    },
    {
      name: 'a bare offset for a time zone',
      body: batch('shop', [priceFilter('a')], { tz: '+05:30' }),
      status: 422,
      code: 'invalid_batch',
      path: 'tz',
    },
    {
      name: 'an event far in the future of its batch',
      body: batch('shop', [priceFilter('a', Date.now() + 60 * minute)]),
      status: 422,
      code: 'invalid_batch',
      path: 'events[0].t',
    },
    {
      name: 'a send time beyond what a date can hold',
      body: batch('shop', [priceFilter('a', 0)], { sent: 9e15 }),
      status: 422,
      code: 'invalid_batch',
      path: 'sent',
    },
    {
      name: 'an event before 1970 once the clock is corrected',
      body: batch('shop', [priceFilter('a', 0)], { sent: Date.now() + 1000 * day }),
      status: 422,
      code: 'invalid_batch',
      path: 'events[0].t',
    },
    {
      name: 'a body over 64 KiB',
      body: JSON.stringify(batch('shop', [priceFilter('a')])).padEnd(
        limits.collectBodyBytes + 1,
        ' ',
      ),
      status: 413,
      code: 'body_too_large',
    },
  ]

  it.each(invalid)('refuses $name with $status $code', async ({ body, status, code, path }) => {
    const response = await postCollect(body)
    expect(response.status).toBe(status)
    const { error } = (await response.json()) as { error: Record<string, string> }
    expect(error.code).toBe(code)
    expect(error.path).toBe(path)
    expect(error.message.length).toBeGreaterThan(10)
  })

  it('applies nothing of a rejected batch', async () => {
    const site = newSite()
    const response = await postCollect(
      batch(site, [priceFilter('good'), { ...priceFilter('bad'), t: -1 }]),
    )
    expect(response.status).toBe(422)
    expect((await visitorObject(env, site, 'visitor-1').stats()).storedRows).toBe(0)
  })
})

describe('CORS', () => {
  it('lets any page call the collect and segments routes', async () => {
    const response = await SELF.fetch('http://edge.test/v1/collect', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    })
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('keeps the admin API out of reach of other origins', async () => {
    const response = await SELF.fetch('http://edge.test/v1/sites/demo/config', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    })
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('GET /v1/segments', () => {
  it('answers a visitor segments', async () => {
    const site = newSite()
    await postCollect(batch(site, [priceFilter('f1')]))
    const response = await SELF.fetch(`http://edge.test/v1/segments?site=${site}&visitor=visitor-1`)
    expect(await response.json()).toEqual({ segments: ['price_conscious'] })
  })

  it('refuses a bad site id', async () => {
    const response = await SELF.fetch('http://edge.test/v1/segments?site=&visitor=v')
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_site', path: 'site' } })
  })
})
