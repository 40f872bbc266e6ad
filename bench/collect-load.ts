import type { Batch, WireEvent } from '../shared/events'

const categories = [
  'electronics.smartphone',
  'electronics.audio.headphone',
  'computers.notebook',
  'appliances.kitchen.washer',
  'apparel.shoes',
]

/**
 * A snippet-like batch of 1 to 5 events for `visitor`: page views, product views with
 * their dwell, now and then an add to cart or a price filter. `i` varies the mix.
 */
export function collectBatch(site: string, visitor: string, i: number): Batch {
  const now = Date.now()
  const session = `s-${visitor}`
  const size = 1 + (i % 5)
  const events: WireEvent[] = []
  for (let k = 0; k < size; k++) {
    const t = now - (size - k) * 1000
    const id = `e-${visitor}-${i}-${k}`
    const product = {
      id: `p${(i * 7 + k) % 300}`,
      category: categories[(i + k) % categories.length],
      brand: 'acme',
      price: 20 + ((i * 13 + k) % 500),
    }
    const kind = (i + k) % 10
    if (kind === 9) events.push({ id, type: 'cart', t, session, product })
    else if (kind === 8)
      events.push({ id, type: 'filter', t, session, filter: 'price', option: '0-100' })
    else if (kind % 2 === 1 && k > 0) {
      events.push({
        id,
        type: 'dwell',
        t,
        session,
        dwell: 15_000,
        ref: `e-${visitor}-${i}-${k - 1}`,
      })
    } else events.push({ id, type: 'view', t, session, url: `/products/${product.id}`, product })
  }
  return { site, visitor, tz: 'Europe/Paris', sent: now, events }
}
