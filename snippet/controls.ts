import { cart } from './cart'
import { filter, labelFilter } from './filters'
import { productAt } from './product'
import { listen } from './safe'

/**
 * Clicks and changes on the page's own controls, for templates whose add-to-cart and filter
 * controls do nothing we can see on the network:
 * - `data-telltale-cart` (`="remove"` for a removal), else a short label or a class saying
 *   "add to cart/bag/basket", is a cart change;
 * - `data-telltale-filter="facet"` on a control or its container is that filter;
 * - otherwise links and changed controls labelled as a price range or a price order.
 */
function control(e: Event) {
  const changed = e.type === 'change'
  const el = (e.target as Element).closest(
    changed ? '*' : 'a,button,input,[role=button],[data-telltale-cart],[data-telltale-filter]',
  ) as (HTMLInputElement & HTMLSelectElement) | null
  if (!el || (/che|rad/.test(el.type) && !el.checked)) return
  const label = (
    el.tagName === 'SELECT' ? el.options[el.selectedIndex].text : el.value || el.textContent
  ).trim()
  const cartMark = el.getAttribute('data-telltale-cart')
  const facet = el.closest('[data-telltale-filter]')
  if (
    !changed &&
    (cartMark !== null ||
      /add[\s_-]*(to[\s_-]*)?(cart|bag|basket)/i.test(el.className + label.slice(0, 40)))
  ) {
    cart(cartMark === 'remove' ? 'remove' : 'cart', [productAt(el)], 1)
  } else if (facet) filter(facet.getAttribute('data-telltale-filter'), label)
  else if (changed || el.tagName === 'A') labelFilter(el, label)
}

export function watchControls() {
  listen('click', control)
  listen('change', control)
}
