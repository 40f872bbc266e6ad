import { describe, expect, it } from 'vitest'
import { type DemoShopBindings, demoCatalog, demoShop } from '../../edge/demo-shop'
import { demoPages } from '../../scripts/demo-pages.mjs'

// Only GET /cart reads a binding: the cart page, from static assets.
const env: DemoShopBindings = {
  ASSETS: { fetch: async (request) => new Response(`page ${new URL(request.url).pathname}`) },
}

/** A shopper's browser: keeps the cart cookie between requests. */
function browser() {
  let cookie = ''
  return async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    if (cookie) headers.set('cookie', cookie)
    const response = await demoShop.request(path, { ...init, headers }, env)
    const set = response.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]
    return response
  }
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

describe('the demo cart', () => {
  it('adds from a plain form post and answers with a redirect to the cart page', async () => {
    const shop = browser()
    const added = await shop('/cart/add', {
      method: 'POST',
      body: new URLSearchParams({ form_type: 'product', id: '40001', quantity: '1' }),
    })
    expect(added.status).toBe(303)
    expect(added.headers.get('location')).toBe('/cart')
    expect(added.headers.get('set-cookie')).toMatch(/HttpOnly/)
    const cart = await (await shop('/cart.js')).json()
    expect(cart).toMatchObject({ item_count: 1, total_price: 64900, currency: 'USD' })
    expect(cart.items).toMatchObject([{ id: 40001, title: 'Aurora X5 smartphone', quantity: 1 }])
    expect(await (await shop('/cart')).text()).toBe('page /cart')
  })

  it('answers JSON to AJAX adds: multipart, JSON items, and quantities that add up', async () => {
    const shop = browser()
    const form = new FormData()
    form.append('id', '40002')
    form.append('quantity', '2')
    const line = await shop('/cart/add', {
      method: 'POST',
      body: form,
      headers: { accept: 'application/json' },
    })
    expect(await line.json()).toMatchObject({ id: 40002, quantity: 2, line_price: 25800 })
    const items = await shop('/cart/add.js', json({ items: [{ id: 40002 }, { id: '40005' }] }))
    expect(await items.json()).toMatchObject({
      items: [
        { id: 40002, quantity: 3 },
        { id: 40005, quantity: 1 },
      ],
    })
    expect(await (await shop('/cart.js')).json()).toMatchObject({
      item_count: 4,
      total_price: 41100,
    })
  })

  it('changes a line by id or by line number, removes at quantity 0, and clears', async () => {
    const shop = browser()
    await shop('/cart/add.js', json({ items: [{ id: 40003 }, { id: 40006, quantity: 2 }] }))
    const changed = await shop('/cart/change.js', json({ line: 2, quantity: 5 }))
    expect((await changed.json()).items).toMatchObject([
      { id: 40003, quantity: 1 },
      { id: 40006, quantity: 5 },
    ])
    // Themes send the body as text without a content type; it is still JSON.
    const removed = await shop('/cart/change.js', {
      method: 'POST',
      body: JSON.stringify({ id: '40003', quantity: 0 }),
    })
    expect((await removed.json()).items).toMatchObject([{ id: 40006, quantity: 5 }])
    const cleared = await shop('/cart/clear.js', { method: 'POST' })
    expect(await cleared.json()).toMatchObject({ items: [], item_count: 0, total_price: 0 })
  })

  it.each([
    ['/cart/add.js', { id: '99999' }, 422, 'invalid_cart_request', 'id'],
    ['/cart/add.js', { id: '40001', quantity: 0 }, 422, 'invalid_cart_request', 'quantity'],
    ['/cart/add.js', { id: '40001', quantity: 'lots' }, 422, 'invalid_cart_request', 'quantity'],
    ['/cart/add.js', { items: [] }, 422, 'invalid_cart_request', 'items'],
    ['/cart/add.js', { items: [{ id: '1' }] }, 422, 'invalid_cart_request', 'items[0].id'],
    ['/cart/change.js', { id: '40002', quantity: 0 }, 422, 'not_in_cart', 'id'],
    ['/cart/change.js', { line: 3, quantity: 1 }, 422, 'not_in_cart', 'line'],
    ['/cart/change.js', { id: '40002', quantity: 100 }, 422, 'invalid_cart_request', 'quantity'],
  ])('%s %j answers %i %s at %s', async (path, body, status, code, where) => {
    const response = await browser()(path, json(body))
    expect(response.status).toBe(status)
    expect((await response.json()).error).toMatchObject({ code, path: where })
  })

  it('answers 400 invalid_body to a body that is neither JSON nor a form', async () => {
    const response = await browser()('/cart/add.js', { method: 'POST', body: 'id=40001' })
    expect(response.status).toBe(400)
    expect((await response.json()).error.code).toBe('invalid_body')
  })

  it.each([
    ['a multipart body that does not parse', 'multipart/form-data; boundary=xyz'],
    ['a multipart body without a boundary', 'multipart/form-data'],
  ])('answers 400 invalid_body to %s', async (_, type) => {
    const response = await browser()('/cart/add.js', {
      method: 'POST',
      headers: { 'content-type': type },
      body: 'garbage',
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error.code).toBe('invalid_body')
  })

  it.each([
    ['with its length', true],
    ['streamed', false],
  ])('answers 413 body_too_large to a body over 16 KiB, %s', async (_, withLength) => {
    const body = JSON.stringify({ id: '40001', note: 'x'.repeat(16 * 1024) })
    const headers = withLength ? { 'content-length': String(body.length) } : undefined
    for (const path of ['/cart/add.js', '/cart/change.js', '/cart/add']) {
      const response = await browser()(path, { method: 'POST', headers, body })
      expect(response.status).toBe(413)
      const { error } = await response.json()
      expect(error).toMatchObject({ code: 'body_too_large', message: expect.any(String) })
    }
  })

  it('adds at most 50 items in one request', async () => {
    const items = (count: number) => json({ items: Array(count).fill({ id: '40005' }) })
    const refused = await browser()('/cart/add.js', items(51))
    expect(refused.status).toBe(422)
    expect((await refused.json()).error).toMatchObject({
      code: 'invalid_cart_request',
      path: 'items',
    })
    expect((await browser()('/cart/add.js', items(50))).status).toBe(200)
  })

  it('reads a tampered or stale cookie as an empty cart', async () => {
    for (const cookie of ['demo_cart=nonsense', `demo_cart=${encodeURIComponent('[["1",1]]')}`]) {
      const response = await demoShop.request('/cart.js', { headers: { cookie } }, env)
      expect(await response.json()).toMatchObject({ items: [], item_count: 0 })
    }
  })
})

// What the build writes into dist/public, made again here from demo/ and the catalogue.
describe('the demo storefront pages', () => {
  const pages = demoPages()
  const withPage = demoCatalog.filter((product) => product.url.startsWith('/products/'))

  it('are the home, collection and cart pages and one page for each product with a url', () => {
    expect([...pages.keys()]).toEqual([
      'index.html',
      'collection.html',
      'cart.html',
      ...withPage.map((product) => `${product.url.slice(1)}.html`),
    ])
  })

  it.each(withPage)('the page of $title says what the cart sells', (product) => {
    const html = pages.get(`${product.url.slice(1)}.html`) ?? ''
    const [, ld] = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html) ?? []
    const data = JSON.parse(ld)
    expect(data).toMatchObject({ '@type': 'Product', name: product.title, sku: product.id })
    expect(Number(data.offers.price) * 100).toBe(product.price)
    expect(data.category.toLowerCase().split(' > ').join('.')).toBe(product.category)
    expect(html).toContain(`<input type="hidden" name="id" value="${product.id}">`)
    expect(html).toContain('<form method="post" action="/cart/add">')
    expect(html).toContain(`<h1>${product.title}</h1>`)
  })

  it('lists every product of the catalogue in the collection, with its data', () => {
    const html = pages.get('collection.html') ?? ''
    const cards = [...html.matchAll(/data-telltale-product='([^']+)'/g)].map((m) =>
      JSON.parse(m[1]),
    )
    expect(cards).toEqual(
      demoCatalog.map((p) => ({
        id: p.id,
        name: p.title,
        category: p.category,
        brand: p.vendor,
        price: p.price / 100,
      })),
    )
  })

  it('carries the snippet tag and the queue stub on every page', () => {
    for (const html of pages.values()) {
      expect(html).toContain('<script async src="/t.js" data-site="demo"></script>')
      expect(html).toContain('(telltale.q=telltale.q||[]).push(arguments)')
      expect(html).not.toMatch(/\{\{/)
    }
  })
})
