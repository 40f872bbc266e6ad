import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEdge, startEdge } from '../../scripts/local-edge'
import {
  eventually,
  launchChromium,
  lookup,
  newShopper,
  type Recorder,
  type Shopper,
  type StaticServer,
  serveStatic,
  snippetTag,
  startRecorder,
  uniqueSite,
} from './browser'

// A real third-party template, read in place and never copied into the repository.
const colorlib = new URL(
  '../../../shared/fixtures/storefront/colorlib-male-fashion',
  import.meta.url,
).pathname
const hasColorlib = existsSync(`${colorlib}/shop.html`)

let edge: RunningEdge
// Pages reach the edge through it, so that the test sees every batch, beacons included.
let recorder: Recorder
let browser: Browser

beforeAll(async () => {
  ;[edge, browser] = await Promise.all([startEdge(), launchChromium()])
  recorder = await startRecorder(edge.origin)
})

afterAll(async () => {
  expect(
    recorder.statuses.filter((status) => status !== 200),
    'batches the edge refused',
  ).toEqual([])
  await browser?.close()
  await recorder?.close()
  await edge?.stop()
})

/** Keeps the shopper active on the page (pointer moves) for about `ms` of real time. */
async function dwell(shopper: Shopper, ms: number) {
  for (let moved = 0; moved < ms; moved += 250) {
    await shopper.page.mouse.move(100 + (moved % 400), 200 + (moved % 150))
    await shopper.page.waitForTimeout(250)
  }
}

/** Waits until the page itself reads `segment` from `telltale.segments()`. */
async function pageReads(shopper: Shopper, segment: string) {
  await shopper.page.waitForFunction(
    (id) =>
      (window as unknown as { telltale: { segments(): string[] } }).telltale
        .segments()
        .includes(id),
    segment,
    { timeout: 15_000 },
  )
}

describe.skipIf(!hasColorlib)(
  hasColorlib
    ? 'the colorlib template, a static third-party storefront'
    : `the colorlib template: SKIPPED, fixture missing at ${colorlib}`,
  () => {
    let shop: StaticServer
    const site = uniqueSite('colorlib')

    beforeAll(async () => {
      shop = await serveStatic({
        root: colorlib,
        rewriteHtml: (html) =>
          html
            .replace(/<div id="preloder">[\s\S]*?<\/div>\s*<\/div>/, '')
            .replace('</head>', `${snippetTag(recorder.origin, site)}</head>`),
      })
    })

    afterAll(() => shop?.close())

    it('browse, dwell, add to cart and a price filter make the page read price_conscious', async () => {
      const shopper = await newShopper(browser, recorder)
      const { page } = shopper

      await page.goto(`${shop.origin}/index.html`)
      await page.locator('a[href="./shop.html"]').first().click()
      await page.waitForURL('**/shop.html')
      await page.locator('a[href="./shop-details.html"]').first().click()
      await page.waitForURL('**/shop-details.html')
      await dwell(shopper, 3000)
      await page.locator('.product__details__cart__option a.primary-btn').click()

      await page.goto(`${shop.origin}/shop.html`)
      await page.locator('.shop__sidebar__price a', { hasText: '$0.00 - $50.00' }).click()
      await page.locator('.shop__product__option__right select').selectOption({ label: '$0 - $55' })
      await page.locator('.shop__product__option__right select').selectOption({
        label: 'Low To High',
      })
      await pageReads(shopper, 'price_conscious')

      const events = await shopper.events()
      expect(
        events.filter((e) => e.type === 'page').map((e) => new URL(e.url ?? '').pathname),
      ).toEqual(['/index.html', '/shop.html', '/shop-details.html', '/shop.html'])
      const detailsPage = events.find((e) => e.url?.endsWith('/shop-details.html'))
      const detailsDwell = events.filter((e) => e.type === 'dwell' && e.ref === detailsPage?.id)
      expect(detailsDwell.reduce((sum, e) => sum + (e.dwell ?? 0), 0)).toBeGreaterThanOrEqual(2000)
      expect(events.filter((e) => e.type === 'cart')).toHaveLength(1)
      expect(events.filter((e) => e.type === 'filter').map((e) => [e.filter, e.option])).toEqual([
        ['price', '0-50'],
        ['price', '0-55'],
        ['sort', 'price_asc'],
      ])
      const [{ visitor }] = await shopper.batches()
      expect(await lookup(edge.origin, site, visitor)).toContain('price_conscious')
      expect(shopper.errors).toEqual([])
      await shopper.context.close()
    })
  },
)

// The demo's pages come from the edge (through the recorder, which only listens in).
describe('our demo storefront, served by npm start', () => {
  it('browse, dwell, add to cart and a price filter show price_conscious in the page', async () => {
    const shopper = await newShopper(browser, recorder)
    const { page } = shopper
    const panel = page.locator('#segments')

    await page.goto(`${recorder.origin}/`)
    await page.getByRole('link', { name: 'Browse the shop' }).click()
    await page.getByRole('link', { name: 'Aurora X5 smartphone' }).click()
    await page.waitForURL('**/products/aurora-x5*')
    await dwell(shopper, 3000)
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.waitForURL('**/cart*')
    await eventually(() => page.locator('#cart-lines tbody tr').count()).toBe(1)

    await page.getByRole('link', { name: 'Shop', exact: true }).click()
    await page.waitForURL('**/collection')
    await page.getByLabel('From $').fill('100')
    await page.getByLabel('To $').fill('700')
    await page.waitForURL(/filter\.v\.price\.lte=700/)
    await pageReads(shopper, 'price_conscious')
    await eventually(() => panel.textContent()).toContain('price_conscious')

    const events = await shopper.events()
    const view = events.find((e) => e.type === 'view')
    expect(view?.product).toEqual({
      id: '40001',
      name: 'Aurora X5 smartphone',
      category: 'electronics.smartphone',
      brand: 'Aurora',
      price: 649,
    })
    const viewDwell = events.filter((e) => e.type === 'dwell' && e.ref === view?.id)
    expect(viewDwell.reduce((sum, e) => sum + (e.dwell ?? 0), 0)).toBeGreaterThanOrEqual(2000)
    expect(events.filter((e) => e.type === 'cart').map((e) => e.product)).toEqual([
      { ...view?.product, quantity: 1 },
    ])
    expect(
      events.filter((e) => e.type === 'filter').map((e) => [e.filter, e.option]),
    ).toContainEqual(['price', '100-700'])
    const [{ visitor }] = await shopper.batches()
    expect(await lookup(edge.origin, 'demo', visitor)).toContain('price_conscious')

    // The cart page: a removal through /cart/change.js, then a demo order through the dataLayer.
    await page.goto(`${recorder.origin}/cart`)
    await page.getByRole('button', { name: 'Remove' }).click()
    await eventually(() => page.locator('#cart-empty').isVisible()).toBe(true)
    await page.goto(`${recorder.origin}/products/nimbus-pro`)
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByRole('button', { name: 'Place order (demo)' }).click()
    await pageReads(shopper, 'recent_buyer')
    await eventually(() => panel.textContent()).toContain('recent_buyer')
    const after = await shopper.events()
    const purchase = after.filter((e) => e.type === 'purchase')
    expect(purchase).toMatchObject([
      { value: 129, currency: 'USD', product: { id: '40002', name: 'Nimbus Pro earbuds' } },
    ])
    expect(after.filter((e) => e.type === 'remove')).toMatchObject([{ product: { id: '40001' } }])
    expect(shopper.errors).toEqual([])
    await shopper.context.close()
  })
})
