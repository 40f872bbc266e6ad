/**
 * Page data is untrusted: every value is cut to what `batchSchema` accepts, because the edge
 * rejects a whole batch for one bad field.
 */
import type { Product } from '../shared/events'
import { json } from './store'

// biome-ignore lint/suspicious/noExplicitAny: JSON-LD, dataLayer and merchant calls are untyped
export type Loose = any

export const text = (x: unknown) => {
  if (x !== '' && x != null) return String(x).slice(0, 256)
}

export const amount = (x: unknown, max = 1e9) => {
  const n = Number(x)
  if (n >= 0 && n <= max) return n
}

/**
 * One reader for every shape a product arrives in: ours (`id, name, category, brand, price,
 * quantity`), schema.org JSON-LD (`sku`, `brand.name`, `offers.price`) and GA4 items
 * (`item_id`, `item_category`..`item_category5`). Categories become dotted lower-case paths.
 */
export const product = (p: Loose): Product | undefined => {
  if (p) {
    const offer: Loose = [].concat(p.offers)[0] || {}
    const path = p.category || ['', 2, 3, 4, 5].map((n) => p[`item_category${n}`]).join('>')
    // Through JSON so that unknown fields are absent, not undefined, and merge well.
    return JSON.parse(
      json({
        id: text(p.id || p.item_id || p.sku || p.productID),
        name: text(p.name || p.item_name),
        category: text(
          `${path}`
            .toLowerCase()
            .split(/\W*[>/]\W*/)
            .filter(Boolean)
            .join('.'),
        ),
        brand: text((p.brand || 0).name || p.brand || p.item_brand),
        price: amount(p.price || offer.price || offer.lowPrice),
        quantity: Math.round(amount(p.quantity, 1e4) as number) || undefined,
      }),
    )
  }
}
