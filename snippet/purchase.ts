import { amount, type Loose, product, text } from './clean'
import { emit } from './transport'

/**
 * Records an order as one `purchase` event per item, each valued at its line (price times
 * quantity) so that summing `value` gives the order's worth; an order without items is one
 * event with the order's `value`. Ids come from the order number (`order`, or GA4's
 * `transaction_id`), so a thank-you page shown twice counts once.
 */
export function purchase(order: Loose) {
  const number = text(order.order || order.transaction_id)
  const items: Loose[] = (order.items || []).length ? order.items : [0]
  items.forEach((item, i) => {
    const p = product(item)
    emit(
      'purchase',
      {
        order: number,
        value: amount(p ? (p.price as number) * (p.quantity || 1) : order.value),
        currency: /^[A-Z]{3}$/.test(order.currency) ? order.currency : undefined,
        product: p,
      },
      number && `p${i}:${number}`.replace(/[^\w.:-]/g, '_').slice(0, 64),
    )
  })
}
