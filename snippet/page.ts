import { startDwell } from './dwell'
import { paramFilters } from './filters'
import { pageProduct } from './product'
import { listen } from './safe'
import { emit } from './transport'

let address = ''
let path = ''

/**
 * Counts a page view (a `view` when the page shows a product) when the address changes. A
 * replaceState that keeps the path (a variant picker) is the same page; filters in the address
 * count either way.
 */
function visit(replaced?: unknown) {
  const here = location.href.split('#')[0]
  if (here !== address && !(replaced && location.pathname === path)) {
    const product = pageProduct()
    startDwell(emit(product ? 'view' : 'page', { product, url: here.slice(0, 2048) }).id)
    address = here
    path = location.pathname
  }
  paramFilters(new URLSearchParams(location.search))
}

export function watchPages() {
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name]
    history[name] = function (this: History) {
      // biome-ignore lint/complexity/noArguments: the page's arguments, whatever their number
      original.apply(this, arguments as never)
      try {
        visit(name === 'replaceState')
      } catch {}
    }
  }
  listen('popstate', () => visit())
  visit()
}
