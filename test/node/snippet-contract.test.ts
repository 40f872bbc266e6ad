import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEdge, startEdge } from '../../scripts/local-edge'
import {
  eventually,
  launchChromium,
  newShopper,
  queueStub,
  type Recorder,
  type Shopper,
  type StaticServer,
  serveStatic,
  snippetTag,
  startRecorder,
  uniqueSite,
  visitorOf,
} from './browser'

const root = new URL('../../', import.meta.url).pathname
const site = uniqueSite('contract')

let edge: RunningEdge
let recorder: Recorder
let browser: Browser
let shop: StaticServer
const shoppers: Shopper[] = []

/** A test page: `head`, then the tag loading the snippet through the recorder, then `body`. */
const page = (head: string, body = '', tag = snippetTag(recorder.origin, site)) =>
  `<!doctype html><html><head>${head}${tag}</head><body>${body}</body></html>`

beforeAll(async () => {
  ;[edge, browser] = await Promise.all([startEdge(), launchChromium()])
  recorder = await startRecorder(edge.origin)
  shop = await serveStatic({
    pages: {
      '/data-api.html': page(
        '',
        '',
        `<script async src="${edge.origin}/t.js" data-site="${site}"
          data-api="${recorder.origin}/"></script>`,
      ),
      '/plain.html': page(''),
      '/queue.html': page(`${queueStub}<script>
        telltale('track', 'early_call', { plan: 'gold', seats: 3, beta: true })
        telltale('on', 'segments', (segments) => { window.heard = segments })
      </script>`),
      '/datalayer.html': page(`<script>
        window.dataLayer = [{ event: 'add_to_cart', ecommerce: { currency: 'EUR', items: [{
          item_id: 'SKU-1', item_name: 'Phone', item_brand: 'Acme', item_category: 'Electronics',
          item_category2: 'Smartphone', price: 300, quantity: 1 }] } }]
      </script>`),
      '/cart-calls.html': page(
        '',
        `<form method="post" action="/cart/add">
          <input type="hidden" name="id" value="333"><input type="hidden" name="quantity" value="1">
          <button type="submit">Add to cart</button>
        </form>`,
      ),
      // Hostile hosts: each breaks one thing the snippet leans on, as real themes do.
      '/fetch-throws.html': page(
        `<script>window.fetch = function () { throw new Error('blocked') }</script>`,
      ),
      '/datalayer-object.html': page('<script>window.dataLayer = {}</script>'),
      '/prototype.html': page(`<script>
        // Prototype.js 1.6 writes arrays as JSON text itself, so JSON.stringify makes them strings.
        Array.prototype.toJSON = function () {
          return '[' + this.map(function (x) { return JSON.stringify(x) }).join(', ') + ']'
        }
      </script>`),
      '/storage.html': page(`<script>
        // Another script writes its own value under the snippet's key before every load.
        localStorage.setItem('telltale', new URLSearchParams(location.search).get('stored'))
      </script>`),
      '/broken.html': page(
        `${queueStub}<script type="application/ld+json">{ not json</script>`,
        '<div data-telltale-product="{oops"><a href="#" class="add-to-cart">Add</a></div>',
      ),
    },
    // The shop's own cart endpoints: a theme's requests succeed, a plain form post redirects.
    handle: (request, response) => {
      if (!request.url?.startsWith('/cart/')) return false
      if (request.url === '/cart/add') response.writeHead(303, { location: '/plain.html' }).end()
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      return true
    },
  })
})

afterAll(async () => {
  for (const shopper of shoppers) expect(shopper.errors, 'uncaught errors in the page').toEqual([])
  expect(
    recorder.statuses.filter((status) => status !== 200),
    'batches the edge refused',
  ).toEqual([])
  await browser?.close()
  await shop?.close()
  await recorder?.close()
  await edge?.stop()
})

async function shopper(options?: Parameters<typeof newShopper>[2]) {
  const created = await newShopper(browser, recorder, options)
  shoppers.push(created)
  return created
}

/** Waits for the snippet to have replaced the stub with its API (the tag is async). */
const loaded = (page: Page) =>
  page.waitForFunction(() => typeof (window as unknown as Api).telltale.segments === 'function')

interface Api {
  telltale: { segments(): string[]; track(name: string, props?: object): void }
  heard?: string[]
  dataLayer: unknown[]
}

/** Makes the page hidden or visible again, as switching tabs does. */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((hidden) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)

const ofType = async (s: Shopper, type: string) => (await s.events()).filter((e) => e.type === type)

describe('the snippet in a real browser', () => {
  it('replays calls queued before it loaded, and sends batches the edge accepts', async () => {
    const s = await shopper({ timezoneId: 'Pacific/Auckland' })
    await s.page.goto(`${shop.origin}/queue.html`)
    await loaded(s.page)
    await eventually(() => ofType(s, 'track')).toMatchObject([
      { name: 'early_call', props: { plan: 'gold', seats: 3, beta: true } },
    ])
    const [batch] = await s.batches()
    expect(batch).toMatchObject({ site, tz: 'Pacific/Auckland' })
    expect(batch.visitor).toMatch(/^[\w-]{8,64}$/)

    // The listener queued before load hears the change a price filter brings.
    await s.page.evaluate(() => history.pushState(null, '', '?filter.v.price.lte=50'))
    await s.page.waitForFunction(() =>
      (window as unknown as Api).heard?.includes('price_conscious'),
    )
  })

  it('sends to data-api when the tag names one, instead of its own origin', async () => {
    const s = await shopper()
    await s.page.goto(`${shop.origin}/data-api.html`)
    await eventually(() => ofType(s, 'page')).toHaveLength(1)
  })

  it('counts SPA navigations as page views, and a same-path replaceState as the same page', async () => {
    const s = await shopper()
    await s.page.goto(`${shop.origin}/plain.html`)
    await loaded(s.page)
    await s.page.evaluate(() => {
      history.pushState(null, '', '/shop/phones?sort_by=price-ascending')
      history.replaceState(null, '', '/shop/phones?variant=2')
      history.pushState(null, '', '/shop/cases')
      history.back()
    })
    const paths = async () => (await ofType(s, 'page')).map((e) => e.url?.slice(shop.origin.length))
    await eventually(paths).toEqual([
      '/plain.html',
      '/shop/phones?sort_by=price-ascending',
      '/shop/cases',
      '/shop/phones?variant=2',
    ])
    expect(await ofType(s, 'filter')).toMatchObject([{ filter: 'sort', option: 'price_asc' }])
  })

  it('counts dwell only while the page is visible, focused and in use', async () => {
    const s = await shopper()
    // Time stands still except when the test moves it, so every second is accounted for.
    await s.page.clock.install()
    await s.page.clock.pauseAt(Date.now() + 1000)
    await s.page.goto(`${shop.origin}/plain.html`)
    const dwells = async () => (await ofType(s, 'dwell')).map((e) => e.dwell)

    await s.page.mouse.move(10, 10)
    await s.page.clock.runFor(3000)
    await setHidden(s.page, true)
    await eventually(dwells).toEqual([3000])

    // A minute in another tab counts nothing.
    await s.page.clock.runFor(60_000)
    await setHidden(s.page, false)
    await s.page.mouse.move(20, 20)
    await s.page.clock.runFor(2000)
    await setHidden(s.page, true)
    await eventually(dwells).toEqual([3000, 2000])

    // Visible but idle: counting stops 30 seconds after the last input.
    await setHidden(s.page, false)
    await s.page.mouse.move(30, 30)
    await s.page.clock.runFor(120_000)
    await setHidden(s.page, true)
    await eventually(async () => (await dwells()).length).toBe(3)
    expect((await dwells())[2]).toBeGreaterThanOrEqual(29_000)
    expect((await dwells())[2]).toBeLessThanOrEqual(30_000)
    const [pageView] = await ofType(s, 'page')
    expect((await ofType(s, 'dwell')).every((e) => e.ref === pageView.id)).toBe(true)
  })

  it('renews the session after 30 minutes without events, and keeps the visitor', async () => {
    const s = await shopper()
    await s.page.clock.install()
    await s.page.goto(`${shop.origin}/plain.html`)
    const track = (name: string) =>
      s.page.evaluate((name) => (window as unknown as Api).telltale.track(name), name)
    await track('first')
    await s.page.clock.fastForward(29 * 60_000)
    await track('still_first')
    await s.page.clock.fastForward(31 * 60_000)
    await track('second')
    await s.page.clock.runFor(2000)
    await eventually(async () => (await ofType(s, 'track')).length).toBe(3)
    const [first, stillFirst, second] = await ofType(s, 'track')
    expect(stillFirst.session).toBe(first.session)
    expect(second.session).not.toBe(first.session)
  })

  it('reads GA4 dataLayer pushes, those made before it loaded included', async () => {
    const s = await shopper()
    await s.page.goto(`${shop.origin}/datalayer.html`)
    await s.page.evaluate(() => {
      const { dataLayer } = window as unknown as Api
      dataLayer.push({ ecommerce: null })
      dataLayer.push({
        event: 'purchase',
        ecommerce: {
          transaction_id: 'T-1001',
          value: 700,
          currency: 'EUR',
          items: [
            { item_id: 'SKU-1', price: 300, quantity: 1 },
            { item_id: 'SKU-2', item_name: 'Case', price: 200, quantity: 2 },
          ],
        },
      })
      // gtag.js pushes its arguments object.
      const gtag = function (..._: unknown[]) {
        // biome-ignore lint/complexity/noArguments: gtag.js pushes exactly this object
        dataLayer.push(arguments)
      }
      gtag('event', 'remove_from_cart', { items: [{ item_id: 'SKU-1' }] })
    })
    await s.page.waitForFunction(() =>
      ['big_spender', 'recent_buyer'].every((id) =>
        (window as unknown as Api).telltale.segments().includes(id),
      ),
    )
    expect((await ofType(s, 'cart')).map((e) => e.product)).toEqual([
      {
        id: 'SKU-1',
        name: 'Phone',
        category: 'electronics.smartphone',
        brand: 'Acme',
        price: 300,
        quantity: 1,
      },
    ])
    expect(await ofType(s, 'purchase')).toMatchObject([
      { id: 'p0:T-1001', order: 'T-1001', value: 300, currency: 'EUR', product: { id: 'SKU-1' } },
      { id: 'p1:T-1001', order: 'T-1001', value: 400, currency: 'EUR', product: { id: 'SKU-2' } },
    ])
    expect((await ofType(s, 'remove')).map((e) => e.product)).toEqual([{ id: 'SKU-1' }])
  })

  it('sees cart calls to /cart/add(.js) and /cart/change(.js) in fetch bodies and forms', async () => {
    const s = await shopper()
    await s.page.goto(`${shop.origin}/cart-calls.html`)
    await s.page.evaluate(async () => {
      const form = new FormData()
      form.append('id', '111')
      form.append('quantity', '2')
      const post = (url: string, body: BodyInit) => fetch(url, { method: 'POST', body })
      await post('/cart/add.js', form)
      await post('/cart/add.js', JSON.stringify({ items: [{ id: 222, quantity: 1 }] }))
      await post('/cart/change.js', new URLSearchParams({ line: '1', quantity: '0' }))
      await post('/cart/change.js', JSON.stringify({ id: '111', quantity: 0 }))
      await post('/cart/change.js', JSON.stringify({ id: '222', quantity: 3 }))
      await post('/cart/update.js', JSON.stringify({ updates: { 222: 0 } }))
    })
    // A theme without JavaScript: the button's click and its form's post are one add.
    await s.page.getByRole('button', { name: 'Add to cart' }).click()
    await s.page.waitForURL('**/plain.html')
    const products = async (type: string) => (await ofType(s, type)).map((e) => e.product)
    await eventually(() => products('cart')).toEqual([
      { id: '111', quantity: 2 },
      { id: '222', quantity: 1 },
      { id: '333', quantity: 1 },
    ])
    expect(await products('remove')).toEqual([{}, { id: '111' }])
  })

  it('has the last segments on the next page before any network', async () => {
    const s = await shopper()
    await s.page.goto(`${shop.origin}/plain.html?filter.v.price.gte=5`)
    await s.page.waitForFunction(() =>
      (window as unknown as Api).telltale.segments().includes('price_conscious'),
    )
    await s.context.route('**/v1/collect', (route) => route.abort())
    await s.page.goto(`${shop.origin}/plain.html`)
    expect(await s.page.evaluate(() => (window as unknown as Api).telltale.segments())).toEqual([
      'price_conscious',
    ])
  })

  it('splits what it sends into batches of at most 100 events and 64 KiB', async () => {
    const s = await shopper()
    await s.page.goto(`${shop.origin}/plain.html`)
    await s.page.evaluate(() => {
      const long = 'x'.repeat(300)
      const props = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${i}`, long]))
      for (let i = 0; i < 150; i++) (window as unknown as Api).telltale.track(`bulk${i}`, props)
      for (let i = 0; i < 150; i++) (window as unknown as Api).telltale.track(`small${i}`)
    })
    await eventually(async () => (await ofType(s, 'track')).length).toBe(300)
    const batches = await s.batches()
    const bytes = batches.map((batch) => Buffer.byteLength(JSON.stringify(batch)))
    expect(Math.max(...bytes)).toBeLessThanOrEqual(64 * 1024)
    expect(Math.max(...batches.map((batch) => batch.events.length))).toBe(100)
    const [bulky] = await ofType(s, 'track')
    expect(Object.keys(bulky.props ?? {})).toHaveLength(20)
    expect(Object.values(bulky.props ?? {})[0]).toHaveLength(256)
    const ids = (await s.events()).map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('keeps the page working with storage blocked, the edge unreachable and junk input', async () => {
    const s = await shopper()
    await s.context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('blocked', 'SecurityError')
        },
      })
    })
    await s.context.route('**/v1/collect', (route) => route.abort())
    // Fetches (unlike beacons) show up in the page's requests even when they fail.
    const attempts: string[] = []
    s.page.on('request', (request) => {
      if (request.url().endsWith('/v1/collect')) attempts.push(request.postData() ?? '')
    })
    await s.page.goto(`${shop.origin}/broken.html`)
    const answers = await s.page.evaluate(() => {
      type Loose = ((...args: unknown[]) => unknown) & Record<string, (...a: unknown[]) => unknown>
      const tt = (window as unknown as { telltale: Loose }).telltale
      const { dataLayer } = window as unknown as Api
      dataLayer.push(null, { event: 'purchase' }, { event: 'add_to_cart', ecommerce: {} })
      document.querySelector('a')?.click()
      return [
        tt('no_such_method'),
        tt.purchase(),
        tt.purchase({ items: 'x', currency: 'euros', value: -5 }),
        tt.track(),
        tt.track({ not: 'a name' }, 'not props'),
        tt.segments(),
        location.href.endsWith('#'),
      ]
    })
    expect(answers).toEqual([undefined, undefined, undefined, undefined, undefined, [], true])
    // Capture goes on without storage; what could not be sent is lost, and nothing breaks.
    await eventually(() => attempts.join()).toMatch(/"type":"page".*"type":"cart"/)
    expect(s.errors).toEqual([])
  })
})

describe('the snippet on a hostile page', () => {
  it('keeps what it could not hand to a throwing fetch for the next send, and throws nothing', async () => {
    const s = await shopper()
    await s.page.clock.install()
    await s.page.goto(`${shop.origin}/fetch-throws.html`)
    await s.page.evaluate(() => (window as unknown as Api).telltale.track('while_blocked'))
    // The timed send fails; leaving, a beacon carries everything.
    await s.page.clock.runFor(2000)
    await setHidden(s.page, true)
    await eventually(async () => (await s.events()).map((e) => e.type)).toEqual([
      'page',
      'track',
      'dwell',
    ])
    expect(s.errors).toEqual([])
  })

  it('keeps only its newest 200 events while it cannot send', async () => {
    const s = await shopper()
    await s.page.clock.install()
    await s.page.goto(`${shop.origin}/fetch-throws.html`)
    await s.page.evaluate(() => {
      for (let i = 0; i < 1000; i++) (window as unknown as Api).telltale.track(`t${i}`)
    })
    await s.page.clock.runFor(2000)
    await setHidden(s.page, true)
    const names = async () => (await ofType(s, 'track')).map((e) => e.name)
    await eventually(async () => (await names()).at(-1)).toBe('t999')
    expect(await names()).toEqual(Array.from({ length: 200 }, (_, i) => `t${800 + i}`))
    expect(s.errors).toEqual([])
  })

  it('leaves a dataLayer that is not an array as the page made it', async () => {
    const s = await shopper()
    await s.page.goto(`${shop.origin}/datalayer-object.html`)
    await loaded(s.page)
    const layer = await s.page.evaluate(() => {
      const { dataLayer } = window as unknown as { dataLayer: { push?(entry: object): void } }
      // A page guarding its own pushes must not find a push it did not define.
      if (dataLayer.push) dataLayer.push({ event: 'checked' })
      return Object.keys(dataLayer)
    })
    expect(layer).toEqual([])
    await eventually(() => ofType(s, 'page')).toHaveLength(1)
  })

  it('sends batches the edge accepts on a page with Prototype.js 1.6 Array#toJSON', async () => {
    const s = await shopper()
    await s.page.goto(`${shop.origin}/prototype.html?filter.v.price.gte=5`)
    await s.page.waitForFunction(() =>
      (window as unknown as Api).telltale.segments().includes('price_conscious'),
    )
    // The segments it kept in storage read back as a list on the next page.
    await s.page.goto(`${shop.origin}/prototype.html`)
    await loaded(s.page)
    expect(await s.page.evaluate(() => (window as unknown as Api).telltale.segments())).toEqual([
      'price_conscious',
    ])
  })

  it.each([
    ['a number', '5'],
    ['an object without ids', '{}'],
    ['a visitor id the edge refuses', '{"v":"bad id","s":"s1","a":1}'],
    ['a session id the edge refuses', `{"v":"v1","s":"${'x'.repeat(65)}","a":9e15}`],
    ['segments that are not a list', '{"v":"v1","s":"s1","a":1,"g":"price_conscious"}'],
  ])('starts afresh when its storage holds %s', async (_, stored) => {
    const s = await shopper()
    const query = new URLSearchParams({ stored, 'filter.v.price.gte': '5' })
    await s.page.goto(`${shop.origin}/storage.html?${query}`)
    await s.page.waitForFunction(() =>
      (window as unknown as Api).telltale.segments().includes('price_conscious'),
    )
    expect(await visitorOf(s.page)).toMatch(/^[\w.:-]{1,64}$/)
    expect(await visitorOf(s.page)).not.toBe('v1')
  })
})

describe('the built snippet', () => {
  it('stays within its gzip budget, as measured by the build', () => {
    const size = JSON.parse(readFileSync(`${root}dist/snippet-size.json`, 'utf8'))
    const built = readFileSync(`${root}dist/public/t.js`)
    expect(size.bytes).toBe(built.length)
    expect(size.gzipBytes).toBe(gzipSync(built, { level: 9 }).length)
    expect(size.gzipBytes).toBeLessThanOrEqual(size.budget)
  })
})
