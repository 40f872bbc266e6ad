import { amount, type Loose, product, text } from './clean'
import { emit } from './emit'

/**
 * Records an order as one `purchase` event per item, each valued at its line (price times
 * quantity) so that summing `value` gives the order's worth; an order without items is one
 * event with the order's `value`. Ids come from the order number, so a thank-you page shown
 * twice counts once.
 */
export function purchase(order: Loose) {
  const items: Loose[] = (order.items || []).length ? order.items : [0]
  items.forEach((item, i) => {
    const p = product(item)
    emit(
      'purchase',
      {
        order: text(order.order),
        value: amount(p ? (p.price as number) * (p.quantity || 1) : order.value),
        currency: /^[A-Z]{3}$/.test(order.currency) ? order.currency : undefined,
        product: p,
      },
      order.order ? `p${i}:${order.order}`.replace(/[^\w.:-]/g, '_').slice(0, 64) : undefined,
    )
  })
}
