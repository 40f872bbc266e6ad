/**
 * The demo storefront's cart, shaped like Shopify's AJAX cart so that the snippet meets the
 * same requests it meets on a real store. The cart lives in a cookie: no storage, no state.
 */
import { type Context, Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import catalog from '../demo/catalog.json'
import { limitBody } from './http/body-limit'
import { HttpError, jsonPath } from './http/errors'

/** A variant on sale in the demo shop; the build makes the shop's pages from the same data. */
export interface DemoProduct {
  id: string
  title: string
  vendor: string
  /** Dotted category path, as the snippet reports it. */
  category: string
  /** Cents, as Shopify's cart answers. */
  price: number
  /** `/products/<handle>` for a product with its own page, else where it is listed. */
  url: string
  /** The product page's text; only products with a page have one. */
  description?: string
}

/** `demo/catalog.json`: what `scripts/demo-pages.mjs` puts on the pages, the cart sells. */
export const demoCatalog: readonly DemoProduct[] = catalog

const cookieName = 'demo_cart'
const maxQuantity = 99
/** A cart request carries a few lines: these bound what one may make the Worker read. */
const maxBodyBytes = 16 * 1024
const maxItemsPerAdd = 50

/** Variant id and quantity per line, in the order the lines were added. */
type Lines = [id: string, quantity: number][]

/** What the demo shop needs of the Worker's bindings: the static pages. */
export interface DemoShopBindings {
  ASSETS: { fetch(request: Request): Promise<Response> }
}

type Shop = Context<{ Bindings: DemoShopBindings }>

const quantity = z.coerce.number().int().min(0).max(maxQuantity)
const variantId = z.coerce.string().refine((id) => demoCatalog.some((p) => p.id === id), {
  message: 'not a product of the demo shop',
})
const item = z.object({ id: variantId, quantity: quantity.min(1).default(1) })
const addMany = z.object({ items: z.array(item).min(1).max(maxItemsPerAdd) })
const changeById = z.object({ id: variantId, quantity })
const changeByLine = z.object({ line: z.coerce.number().int().min(1), quantity })

/** The demo cart, mounted at `/` when `DEMO_SHOP` is `on`. */
export const demoShop = new Hono<{ Bindings: DemoShopBindings }>()

// Static assets answer /cart.html with a redirect to /cart, which runs this Worker first:
// serve the page itself, or the two would bounce the shopper between them.
demoShop.get('/cart', (c) => c.env.ASSETS.fetch(c.req.raw))

demoShop.get('/cart.js', (c) => c.json(cartJson(readLines(c))))

demoShop.use('/cart/*', limitBody(maxBodyBytes, 'a cart request carries a few lines'))

demoShop.post('/cart/add', (c) => add(c))
demoShop.post('/cart/add.js', (c) => add(c))
demoShop.post('/cart/change', (c) => change(c))
demoShop.post('/cart/change.js', (c) => change(c))
demoShop.post('/cart/clear', (c) => clear(c))
demoShop.post('/cart/clear.js', (c) => clear(c))

// Mounted or alone (in tests), client errors answer the same JSON; others reach the host app.
demoShop.onError((error, c) => {
  if (error instanceof HttpError) return c.json(error.toBody(), error.status)
  throw error
})

async function add(c: Shop) {
  const body = await readBody(c)
  const many = 'items' in body
  const added = many ? parse(addMany, body).items : [parse(item, body)]
  const lines = readLines(c)
  for (const { id, quantity } of added) {
    const line = lines.find(([lineId]) => lineId === id)
    if (line) line[1] = Math.min(line[1] + quantity, maxQuantity)
    else lines.push([id, quantity])
  }
  writeLines(c, lines)
  if (!wantsJson(c)) return c.redirect('/cart', 303)
  const items = lines.filter(([id]) => added.some((a) => a.id === id)).map(lineJson)
  return c.json(many ? { items } : items[0])
}

async function change(c: Shop) {
  const body = await readBody(c)
  const byLine = 'line' in body
  const { quantity, ...target } = byLine ? parse(changeByLine, body) : parse(changeById, body)
  const lines = readLines(c)
  const index = 'line' in target ? target.line - 1 : lines.findIndex(([id]) => id === target.id)
  const line = lines[index]
  if (!line) {
    const path = byLine ? 'line' : 'id'
    throw new HttpError(422, 'not_in_cart', 'that line is not in the cart; read /cart.js', path)
  }
  if (quantity === 0) lines.splice(index, 1)
  else line[1] = quantity
  writeLines(c, lines)
  return wantsJson(c) ? c.json(cartJson(lines)) : c.redirect('/cart', 303)
}

function clear(c: Shop) {
  writeLines(c, [])
  return wantsJson(c) ? c.json(cartJson([])) : c.redirect('/cart', 303)
}

/**
 * Themes post forms (urlencoded or multipart) or JSON, sometimes without a content type. A
 * body that does not parse as what it says it is (a multipart body without its boundary) is
 * the client's error.
 */
async function readBody(c: Shop): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = /form/.test(c.req.header('content-type') ?? '')
      ? await c.req.parseBody()
      : JSON.parse(await c.req.text())
  } catch {}
  if (typeof body === 'object' && body !== null) return body as Record<string, unknown>
  throw new HttpError(400, 'invalid_body', 'send a JSON object or a form with id and quantity')
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const [issue] = result.error.issues
  throw new HttpError(422, 'invalid_cart_request', issue.message, jsonPath(issue.path))
}

/** `.js` endpoints and `Accept: application/json` get JSON; plain form posts a redirect. */
function wantsJson(c: Shop) {
  return c.req.path.endsWith('.js') || /json/.test(c.req.header('accept') ?? '')
}

function readLines(c: Shop): Lines {
  try {
    return z
      .array(z.tuple([variantId, quantity.min(1)]))
      .max(demoCatalog.length)
      .parse(JSON.parse(getCookie(c, cookieName) ?? '[]'))
  } catch {
    // A stale or edited cookie is an empty cart, not an error.
    return []
  }
}

function writeLines(c: Shop, lines: Lines) {
  setCookie(c, cookieName, JSON.stringify(lines), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: 14 * 24 * 3600,
  })
}

const byId = new Map(demoCatalog.map((product) => [product.id, product]))

function lineJson([id, quantity]: Lines[number]) {
  // Every id in a cart was checked against the catalogue on its way in.
  const product = byId.get(id) as DemoProduct
  return {
    id: Number(id),
    variant_id: Number(id),
    key: id,
    title: product.title,
    vendor: product.vendor,
    product_type: product.category,
    url: product.url,
    price: product.price,
    quantity,
    line_price: product.price * quantity,
  }
}

function cartJson(lines: Lines) {
  const items = lines.map(lineJson)
  return {
    items,
    item_count: items.reduce((sum, item) => sum + item.quantity, 0),
    total_price: items.reduce((sum, item) => sum + item.line_price, 0),
    currency: 'USD',
  }
}
