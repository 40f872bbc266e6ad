import { cart } from './cart'
import { type Loose, product } from './clean'
import { purchase } from './purchase'

/** GA4 e-commerce: `{event, ecommerce}` pushed by GTM setups, or gtag's `['event', name, data]`. */
function read(entry: Loose) {
  try {
    const [, name, data] = entry[0] === 'event' ? entry : [0, entry.event, entry.ecommerce]
    if (name === 'purchase') purchase(data)
    if (/^(add_to|remove_from)_cart$/.test(name)) {
      cart(name[0] === 'a' ? 'cart' : 'remove', data.items.map(product), 3)
    }
  } catch {}
}

/**
 * Reads what was pushed before the snippet loaded, then every later push. A `dataLayer` that
 * is not an array is the page's own: `map` throws before the snippet changes anything. A push
 * that is not a function is not wrapped either.
 */
export function watchDataLayer() {
  const w = window as Loose
  const layer = w.dataLayer || []
  const push = layer.push
  w.dataLayer = layer
  layer.map(read)
  if (push.apply) {
    layer.push = (...entries: unknown[]) => {
      entries.map(read)
      return push.apply(layer, entries)
    }
  }
}
