import type { Product } from '../shared/events'
import { type Loose, product } from './clean'

/** `data-telltale-product` holds a product as JSON: `{"id","name","category","brand","price"}`. */
function marked(el: Element | null) {
  try {
    return product(JSON.parse((el as Element).getAttribute('data-telltale-product') as string))
  } catch {}
}

/** The product this page is about: JSON-LD `Product`, else `data-telltale-product` on body. */
export function pageProduct(): Product | undefined {
  for (const script of document.querySelectorAll('[type="application/ld+json"]')) {
    try {
      for (const node of ([] as Loose[]).concat(JSON.parse((script as HTMLScriptElement).text))) {
        for (const thing of [node, ...(node['@graph'] || [])]) {
          if (/Product/.test(thing['@type'])) return product(thing)
        }
      }
    } catch {}
  }
  return marked(document.body)
}

/**
 * The product a control or form belongs to: its marked ancestor, else the page's product (all
 * a cart request without an element can have).
 */
export const productAt = (el: Element = document.body) =>
  marked(el.closest('[data-telltale-product]')) || pageProduct()
