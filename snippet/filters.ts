import { text } from './clean'
import { emit } from './transport'

// Each facet and option is reported once per document, however many ways it shows up
// (a form change, then the address the theme pushes for it).
const seen: Record<string, 1> = {}

export function filter(facet: unknown, option: unknown) {
  const event = { filter: text(facet), option: text(option) }
  const key = `${event.filter}=${event.option}`
  if (event.filter && !seen[key]) {
    seen[key] = 1
    emit('filter', event)
  }
}

/** `price-ascending`, `Low To High` and a plain `price` order all mean `price_asc`. */
const sortOption = (value: string) =>
  /price|low|high/i.test(value)
    ? /desc|high.*low/i.test(value)
      ? 'price_desc'
      : 'price_asc'
    : value

/** Shopify's `filter.p.vendor`, `filter.v.price.gte/lte` (one `price` range), `sort_by`. */
export function paramFilters(params: URLSearchParams) {
  params.forEach((value, key) => {
    const facet = /^filter\.\w\.(.+?)(\.[gl]te)?$/.exec(key)
    const bound = (end: string) => params.get(key.slice(0, -3) + end) || ''
    if (facet) filter(facet[1], facet[2] ? `${bound('gte')}-${bound('lte')}` : value)
    if (/^sort/.test(key)) filter('sort', sortOption(value))
  })
}

/** A control labelled like a price range (`$0.00 - $50.00`, `250.00+`) or a price order. */
export function labelFilter(el: Element, label: string) {
  const range = /([\d.]+)\s*(?:-|–|to)\s*\D?([\d.]+)|([\d.]+)\s*\+/.exec(label.replace(/,/g, ''))
  if (range && (/[$€£¥]/.test(label) || el.closest('[class*=price]'))) {
    filter('price', `${+(range[1] || range[3])}-${range[2] ? +range[2] : ''}`)
  } else if (/low.*high|high.*low/i.test(label)) filter('sort', sortOption(label))
}
