import type { Product, WireEvent } from '../shared/events'
import { type Loose, product } from './clean'
import { productAt } from './product'
import { emit, unqueue } from './transport'

// The last cart change: when, seen how (1 a click, 2 the request it causes, 3 a declaration),
// and the events it queued.
let at = 0
let seenBy = 0
let last: WireEvent[] = []

/**
 * Records an add (`cart`) or a removal. One action is often seen several ways (a click, the
 * request it causes, a dataLayer push): within two seconds the best source wins, takes back
 * what a lesser one queued and keeps the product fields only that one knew.
 */
export function cart(type: 'cart' | 'remove', products: (Product | undefined)[], source: number) {
  const replaced = Date.now() - at < 2e3 && source !== seenBy ? last : []
  if (!(replaced[0] && source < seenBy)) {
    unqueue(replaced)
    last = products.map((p, i) => emit(type, { product: { ...(replaced[i] || 0).product, ...p } }))
    at = Date.now()
    seenBy = source
  }
}

/** A Shopify-style cart call: `/cart/add(.js)` adds; `/cart/change(.js)` to quantity 0 removes. */
function cartRequest(url: Loose, body: Loose, form?: Element) {
  const call = /\/cart\/(add|change)(\.js)?$/.exec(new URL(url, location as Loose).pathname)
  if (call) {
    let data: Loose
    // A request body as an object: JSON, a form, or URL-encoded text.
    try {
      data = JSON.parse(body)
    } catch {
      data = Object.fromEntries(new URLSearchParams(body))
    }
    const adding = call[1] === 'add'
    const known: Loose = (adding && productAt(form)) || {}
    const items = (data.items || [data]).filter((item: Loose) => adding || +item.quantity === 0)
    if (items.length) {
      cart(
        adding ? 'cart' : 'remove',
        items.map((item: Loose) =>
          product({ ...known, id: known.id || item.id, quantity: item.quantity }),
        ),
        2,
      )
    }
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
  window.fetch = function (this: unknown, input: Loose, init?: Loose) {
    try {
      cartRequest(input.url || input, (init || 0).body)
    } catch {}
    // biome-ignore lint/complexity/noArguments: the page's arguments, whatever their number
    return original.apply(this, arguments as Loose)
  }
}
