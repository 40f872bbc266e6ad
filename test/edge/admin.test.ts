import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { rees46Columns } from '../../edge/import/rees46'
import { admin, newSite, postCollect } from './helpers'

const header = rees46Columns.join(',')
const row = (time: string, type: string, product: string, price: string, user: string, s: string) =>
  `${time},${type},${product},2053013555631882655,electronics.smartphone,apple,${price},${user},${s}`

/** Two visitors: one adds to cart, one views twice and buys. Times in UTC. */
const csv = [
  header,
  row('2019-10-01 00:00:00 UTC', 'view', '1', '100.00', '11', 'a'),
  row('2019-10-01 00:01:00 UTC', 'cart', '1', '100.00', '11', 'a'),
  row('2019-10-01 00:00:00 UTC', 'view', '2', '300.00', '22', 'b'),
  row('2019-10-01 00:06:00 UTC', 'view', '2', '300.00', '22', 'b'),
  row('2019-10-01 00:07:00 UTC', 'purchase', '2', '300.00', '22', 'b'),
  row('2019-10-01 00:07:00 UTC', 'purchase', '2', '300.00', '22', 'b'),
].join('\n')

function importCsv(site: string, body: string, query = 'format=rees46&time_zone=UTC') {
  return admin(`${site}/import?${query}`, { method: 'POST', body })
}

async function lookup(site: string, visitors: string[], at: string) {
  const response = await admin(`${site}/lookup`, {
    method: 'POST',
    body: JSON.stringify({ visitors, at }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { visitors: { visitor: string; segments: string[] }[] })
    .visitors
}

describe('history import', () => {
  it('imports a REES46 file; identical rows are one event; a second import adds nothing', async () => {
    const site = newSite()
    const first = await importCsv(site, csv)
    expect(await first.json()).toEqual({
      rows: 6,
      events: 5,
      duplicates: 1,
      expired: 0,
      visitors: 2,
    })
    const second = await importCsv(site, csv)
    expect(await second.json()).toMatchObject({ events: 0, duplicates: 6 })
  })

  it('answers membership as of any time, windows measured back from it', async () => {
    const site = newSite()
    await importCsv(site, csv)
    expect(await lookup(site, ['11', '22', 'nobody'], '2019-10-01T00:30:00Z')).toEqual([
      { visitor: '11', segments: [] },
      { visitor: '22', segments: ['quick_decider', 'recent_buyer', 'smartphone_researcher'] },
      { visitor: 'nobody', segments: [] },
    ])
    const later = await lookup(site, ['11', '22'], '2019-10-01T00:31:00Z')
    expect(later[0]).toEqual({ visitor: '11', segments: ['cart_abandoner'] })
    const weekLater = await lookup(site, ['11', '22'], '2019-10-08T00:07:00Z')
    expect(weekLater.map((v) => v.segments)).toEqual([[], ['quick_decider']])
  })

  it('reads a time in epoch milliseconds from the URL', async () => {
    const site = newSite()
    await importCsv(site, csv)
    const response = await admin(`${site}/visitors/22?at=${Date.UTC(2019, 9, 1, 1)}`)
    expect(await response.json()).toMatchObject({ at: '2019-10-01T01:00:00.000Z' })
  })

  it('reads one visitor', async () => {
    const site = newSite()
    await importCsv(site, csv)
    const response = await admin(`${site}/visitors/22?at=2019-10-01T01:00:00Z`)
    expect(await response.json()).toEqual({
      visitor: '22',
      at: '2019-10-01T01:00:00.000Z',
      segments: ['quick_decider', 'recent_buyer', 'smartphone_researcher'],
    })
  })

  it('treats a row with reordered columns, padding or 300.00 for 300 as the same event', async () => {
    const site = newSite()
    await importCsv(site, csv)
    const reordered = [
      'user_session,user_id,price,brand,category_code,category_id,product_id,event_type,event_time',
      'b ,22,300.00,apple,electronics.smartphone,2053013555631882655,2,purchase,2019-10-01 00:07:00 UTC',
    ].join('\n')
    const again = await importCsv(site, reordered)
    expect(await again.json()).toMatchObject({ events: 0, duplicates: 1 })
  })

  it('keeps the newest 5,000 events of a long history, and a second import adds nothing', async () => {
    const site = newSite()
    const rows = Array.from({ length: 6000 }, (_, i) => {
      const time = new Date(Date.UTC(2019, 9, 1) + i * 1000).toISOString()
      return row(`${time.slice(0, 10)} ${time.slice(11, 19)} UTC`, 'view', `${i}`, '1', '44', 's')
    })
    const file = [header, ...rows].join('\n')
    expect(await (await importCsv(site, file)).json()).toMatchObject({
      events: 5000,
      expired: 1000,
    })
    expect(await (await importCsv(site, file)).json()).toMatchObject({
      events: 0,
      duplicates: 5000,
      expired: 1000,
    })
  })

  it('uses the import time zone for local time', async () => {
    const site = newSite()
    // 00:00-00:07 UTC is 13:00-13:07 in Auckland (NZDT) and 02:00 in Paris (CEST).
    const lunch = [
      header,
      row('2019-10-01 00:00:00 UTC', 'view', '1', '1', '33', 'a'),
      row('2019-10-01 00:01:00 UTC', 'view', '2', '1', '33', 'a'),
      row('2019-10-01 00:02:00 UTC', 'view', '3', '1', '33', 'a'),
    ].join('\n')
    await importCsv(site, lunch, 'format=rees46&time_zone=Pacific/Auckland')
    await importCsv(`${site}-paris`, lunch, 'format=rees46&time_zone=Europe/Paris')
    const at = '2019-10-01T01:00:00Z'
    expect((await lookup(site, ['33'], at))[0]?.segments).toContain('lunch_browser')
    expect((await lookup(`${site}-paris`, ['33'], at))[0]?.segments).not.toContain('lunch_browser')
  })

  const invalid = [
    {
      name: 'a bad time',
      body: `${header}\n${row('2019-10-01T00:00:00Z', 'view', '1', '1', '1', 'a')}`,
      code: 'invalid_row',
      path: 'row 2, column event_time',
    },
    {
      name: 'an unknown event type',
      body: `${header}\n${row('2019-10-01 00:00:00 UTC', 'click', '1', '1', '1', 'a')}`,
      code: 'invalid_row',
      path: 'row 2, column event_type',
    },
    {
      name: 'a negative price on row 3',
      body: `${header}\n${row('2019-10-01 00:00:00 UTC', 'view', '1', '1', '1', 'a')}\n${row('2019-10-01 00:00:00 UTC', 'view', '1', '-1', '1', 'a')}`,
      code: 'invalid_row',
      path: 'row 3, column price',
    },
    {
      name: 'a price in hexadecimal',
      body: `${header}\n${row('2019-10-01 00:00:00 UTC', 'view', '1', '0x10', '1', 'a')}`,
      code: 'invalid_row',
      path: 'row 2, column price',
    },
    {
      name: 'a day that does not exist',
      body: `${header}\n${row('2019-02-30 00:00:00 UTC', 'view', '1', '1', '1', 'a')}`,
      code: 'invalid_row',
      path: 'row 2, column event_time',
    },
    {
      name: 'a time in the future',
      body: `${header}\n${row('2150-01-01 10:00:00 UTC', 'view', '1', '1', '1', 'a')}`,
      code: 'invalid_row',
      path: 'row 2, column event_time',
    },
    {
      name: 'an event type named like an object property',
      body: `${header}\n${row('2019-10-01 00:00:00 UTC', '__proto__', '1', '1', '1', 'a')}`,
      code: 'invalid_row',
      path: 'row 2, column event_type',
    },
    {
      name: 'a missing session',
      body: `${header}\n${row('2019-10-01 00:00:00 UTC', 'view', '1', '1', '1', '')}`,
      code: 'invalid_row',
      path: 'row 2, column user_session',
    },
    {
      name: 'a missing column',
      body: 'event_time,event_type\n2019-10-01 00:00:00 UTC,view',
      code: 'missing_column',
      path: 'row 1',
    },
    {
      name: 'a row with too many fields',
      body: `${header}\n${row('2019-10-01 00:00:00 UTC', 'view', '1', '1', '1', 'a')},extra`,
      code: 'invalid_csv',
    },
  ]

  it.each(invalid)('refuses $name and imports nothing', async ({ body, code, path }) => {
    const site = newSite()
    const response = await importCsv(site, body)
    expect(response.status).toBe(422)
    const { error } = (await response.json()) as { error: Record<string, string> }
    expect({ code: error.code, path: error.path }).toEqual({ code, path })
    const after = await lookup(site, ['1'], '2019-10-01T00:00:00Z')
    expect(after).toEqual([{ visitor: '1', segments: [] }])
  })

  it('refuses an unknown format and time zone', async () => {
    const site = newSite()
    const format = await importCsv(site, csv, 'format=parquet')
    expect(await format.json()).toMatchObject({ error: { code: 'unsupported_format' } })
    const zone = await importCsv(site, csv, 'format=rees46&time_zone=Mars/Olympus')
    expect(await zone.json()).toMatchObject({ error: { code: 'invalid_time_zone' } })
  })
})

describe('admin key', () => {
  it.each([
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer nope' }],
    ['a key of another length', { authorization: 'Bearer dev-admin-key-and-more' }],
  ])('refuses %s with 401', async (_name, headers) => {
    const response = await SELF.fetch('http://edge.test/v1/sites/demo/lookup', {
      method: 'POST',
      headers,
      body: JSON.stringify({ visitors: ['a'] }),
    })
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } })
  })
})

describe('lookup', () => {
  it.each([
    { name: 'no visitors', body: { visitors: [] }, path: 'visitors' },
    { name: 'a time in words', body: { visitors: ['ok'], at: 'yesterday' }, path: 'at' },
    { name: 'a bad visitor id', body: { visitors: ['bad id!'] }, path: 'visitors[0]' },
    { name: 'a time past what a date holds', body: { visitors: ['ok'], at: 1e20 }, path: 'at' },
    { name: 'a time in words', body: { visitors: ['ok'], at: 'Tue Oct 01 2019' }, path: 'at' },
    {
      name: 'a time without a zone',
      body: { visitors: ['ok'], at: '2019-10-01T02:50' },
      path: 'at',
    },
    {
      name: '501 visitors',
      body: { visitors: Array.from({ length: 501 }, (_, i) => `v${i}`) },
      path: 'visitors',
    },
  ])('refuses $name at $path', async ({ body, path }) => {
    const response = await admin('demo/lookup', { method: 'POST', body: JSON.stringify(body) })
    expect(response.status).toBe(422)
    expect(((await response.json()) as { error: { path: string } }).error.path).toBe(path)
  })
})

describe('JSON bodies', () => {
  it.each(['lookup', 'config'])('refuses text that is not JSON on %s with 400', async (route) => {
    const response = await admin(`demo/${route}`, {
      method: route === 'lookup' ? 'POST' : 'PUT',
      body: '{"visitors":',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } })
  })
})

describe('site configuration', () => {
  const onlyFilters = {
    timeZone: 'Europe/Paris',
    segments: [
      {
        id: 'filter_fan',
        description: 'Two filters in an hour',
        rule: { '>=': [{ count: { type: 'filter', within: '1h' } }, 2] },
      },
    ],
  }

  it('replaces the starter segments with the site own', async () => {
    const site = newSite()
    const put = await admin(`${site}/config`, { method: 'PUT', body: JSON.stringify(onlyFilters) })
    expect(put.status).toBe(200)
    const now = Date.now()
    const filter = (id: string) => ({ id, type: 'filter', t: now, session: 's', filter: 'price' })
    const response = await postCollect({
      site,
      visitor: 'v',
      sent: now,
      events: [filter('a'), filter('b')],
    })
    expect(await response.json()).toEqual({ segments: ['filter_fan'] })
    const get = await admin(`${site}/config`)
    expect(await get.json()).toMatchObject({
      timeZone: 'Europe/Paris',
      segments: [{ id: 'filter_fan' }],
    })
  })

  it('refuses a rule with the code and path of its error', async () => {
    const site = newSite()
    const broken = structuredClone(onlyFilters)
    ;(broken.segments[0] as { rule: unknown }).rule = {
      '>=': [{ count: { type: 'filter', within: 'an hour' } }, 2],
    }
    const response = await admin(`${site}/config`, { method: 'PUT', body: JSON.stringify(broken) })
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_duration', path: 'segments[0].rule[">="][0].count.within' },
    })
  })

  it('answers rules that hold for a visitor with no events', async () => {
    const site = newSite()
    const nonBuyer = {
      segments: [{ id: 'non_buyer', rule: { '==': [{ count: { type: 'purchase' } }, 0] } }],
    }
    await admin(`${site}/config`, { method: 'PUT', body: JSON.stringify(nonBuyer) })
    const response = await SELF.fetch(`http://edge.test/v1/segments?site=${site}&visitor=new`)
    expect(await response.json()).toEqual({ segments: ['non_buyer'] })
  })

  it('refuses an unknown time zone', async () => {
    const response = await admin(`${newSite()}/config`, {
      method: 'PUT',
      body: JSON.stringify({ timeZone: 'Europe/Atlantis' }),
    })
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_time_zone', path: 'timeZone' },
    })
  })
})

describe('unknown routes', () => {
  it('answer 404 in JSON', async () => {
    const response = await SELF.fetch('http://edge.test/v1/nothing')
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})
