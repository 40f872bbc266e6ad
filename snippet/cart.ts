import type { Product, WireEvent } from '../shared/events'
import { type Loose, product } from './clean'
import { emit } from './emit'
import { productAt } from './product'
import { unqueue } from './transport'

/** Where a cart change was seen, worst to best: a click, the request it causes, a declaration. */
export const byClick = 1
const byRequest = 2
export const declared = 3

let last: [number, number, WireEvent[]] = [0, 0, []]

/**
 * Records an add (`cart`) or a removal. One action is often seen several ways (a click, the
 * request it causes, a dataLayer push): within two seconds the best source wins, takes back
 * what a lesser one queued and keeps the product fields only that one knew.
 */
export function cart(type: 'cart' | 'remove', products: (Product | undefined)[], source: number) {
  const [at, seenBy, events] = last
  const replaced = Date.now() - at < 2000 && source !== seenBy ? events : []
  if (replaced.length && source < seenBy) return
  const inherited = replaced.map((event) => event.product)
  unqueue(replaced)
  last = [
    Date.now(),
    source,
    products.map((p, i) => emit(type, { product: { ...inherited[i], ...p } })),
  ]
}

/** A request body as an object: JSON, a form, or URL-encoded text. */
function read(body: Loose) {
  try {
    return JSON.parse(body)
  } catch {
    return Object.fromEntries((body || 0).get ? body : new URLSearchParams(body))
  }
}

/** A Shopify-style cart call: `/cart/add(.js)` adds; `/cart/change(.js)` to quantity 0 removes. */
function cartRequest(url: unknown, body: unknown, form?: Element) {
  const call = /\/cart\/(add|change)(\.js)?$/.exec(new URL(`${url}`, location.href).pathname)
  if (!call) return
  const data = read(body)
  const adding = call[1] === 'add'
  const known: Loose = (adding && productAt(form)) || {}
  const items = (data.items || [data]).filter((item: Loose) => adding || +item.quantity === 0)
  if (items.length) {
    cart(
      adding ? 'cart' : 'remove',
      items.map((item: Loose) =>
        product({ ...known, id: known.id || item.id, quantity: item.quantity }),
      ),
      byRequest,
    )
  }
}

export function watchCartRequests() {
  // Bubble phase on window: by then the theme has had its say, and a prevented submit means
  // the theme sends the cart request itself (seen below) instead of navigating.
  addEventListener('submit', (e) => {
    const form = e.target as HTMLFormElement
    try {
      if (!e.defaultPrevented) cartRequest(form.getAttribute('action'), new FormData(form), form)
    } catch {}
  })
  const original = fetch
  window.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
    const [input, init = {}] = args
    try {
      cartRequest((input as Request).url || input, init.body)
    } catch {}
    return original.apply(this, args)
  }
}
