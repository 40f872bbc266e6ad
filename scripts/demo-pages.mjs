// The demo storefront's pages, made from `demo/` by the build: `layout.html` (head, snippet
// tag, header, footer) around each page's `<main>`: `pages/*.html`, and `product.html` once for
// every product of `catalog.json` whose url is `/products/<handle>`. The product lists come
// from the catalogue too, so that the pages show what the Worker's cart sells.
import { readFileSync } from 'node:fs'

const demo = new URL('../demo/', import.meta.url).pathname

/**
 * Every page of the demo shop, keyed by its path among the static assets.
 * @example demoPages().get('products/nimbus-pro.html') // '<!doctype html>...'
 * @returns {Map<string, string>}
 */
export function demoPages() {
  /** @type {import('../edge/demo-shop').DemoProduct[]} */
  const catalog = JSON.parse(read('catalog.json'))
  const withPage = catalog.filter((product) => product.url.startsWith('/products/'))
  const script = (src) => `<script defer src="${src}"></script>`
  // The home page features the products that have a page of their own.
  const pages = new Map([
    ['index.html', page('Home', '', read('pages/index.html'), { featured: featured(withPage) })],
    [
      'collection.html',
      page('Shop', script('/collection.js'), read('pages/collection.html'), {
        vendors: vendorFilters(catalog),
        cards: cards(catalog),
      }),
    ],
    ['cart.html', page('Cart', script('/cart-page.js'), read('pages/cart.html'))],
  ])
  for (const product of withPage) pages.set(`${product.url.slice(1)}.html`, productPage(product))
  return pages
}

function page(title, head, main, values = {}) {
  return fill(read('layout.html'), { title, head, main: fill(main, values) })
}

function productPage(product) {
  if (!product.description) {
    throw new Error(`demo/catalog.json: product ${product.id} has a page; give it a description`)
  }
  const main = fill(read('product.html'), { ...product, price: money(product.price) })
  return page(product.title, jsonLd(product), main)
}

/** The schema.org `Product` the snippet reads on a product page. */
function jsonLd(product) {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: product.title,
    sku: product.id,
    category: product.category
      .split('.')
      .map((name) => name[0].toUpperCase() + name.slice(1))
      .join(' > '),
    brand: { '@type': 'Brand', name: product.vendor },
    offers: { '@type': 'Offer', price: (product.price / 100).toFixed(2), priceCurrency: 'USD' },
  }
  // No `<` left in the JSON, so no value can close the script element.
  const json = JSON.stringify(data, null, 2).replaceAll('<', '\\u003c')
  return `<script type="application/ld+json">\n${json}\n</script>`
}

const featuredCard = `<li class="card">
  <h3><a href="{{url}}">{{title}}</a></h3>
  <span class="price">{{price}}</span>
</li>`

function featured(products) {
  const card = (product) => fill(featuredCard, { ...product, price: money(product.price) })
  return products.map(card).join('\n')
}

const vendorFilter =
  '<label><input type="checkbox" name="filter.p.vendor" value="{{vendor}}"> {{vendor}}</label>'

function vendorFilters(catalog) {
  const vendors = [...new Set(catalog.map((product) => product.vendor))].sort()
  return vendors.map((vendor) => fill(vendorFilter, { vendor })).join('\n')
}

// `data-*` give collection.js what it filters and sorts by; `data-telltale-product`, the
// snippet's product when a card's button adds it to the cart.
const collectionCard = `<li class="card" data-price="{{dollars}}" data-vendor="{{vendor}}"
    data-order="{{order}}" data-telltale-product='{{{data}}}'>
  <h3>{{{name}}}</h3>
  <span class="muted">{{vendor}}</span>
  <span class="price">{{price}}</span>
  <button type="button" class="quiet" data-add="{{id}}">Add to cart</button>
</li>`

function cards(catalog) {
  const card = (product, order) => {
    const { id, title, category, vendor, price, url } = product
    const data = { id, name: title, category, brand: vendor, price: price / 100 }
    const name = url.startsWith('/products/')
      ? fill('<a href="{{url}}">{{title}}</a>', product)
      : escapeHtml(title)
    return fill(collectionCard, {
      ...product,
      dollars: price / 100,
      order,
      // In a single-quoted attribute, only `&` and `'` need escaping.
      data: JSON.stringify(data).replaceAll('&', '&amp;').replaceAll("'", '&#39;'),
      name,
      price: money(price),
    })
  }
  return catalog.map(card).join('\n')
}

const money = (cents) => `$${(cents / 100).toFixed(2)}`

/**
 * `{{name}}` takes a value HTML-escaped, `{{{name}}}` takes it as HTML. A `{{{name}}}` alone
 * on its line is a block: every line of the value is indented as the placeholder was, and an
 * empty value leaves no line. Values are not read again for placeholders.
 */
function fill(template, values) {
  const value = (name) => {
    if (values[name] === undefined) throw new Error(`no value for {{${name}}}`)
    return String(values[name])
  }
  const block = (indent, name) =>
    value(name)
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => (line ? `${indent}${line}\n` : '\n'))
      .join('')
  return template.replace(
    /^( *)\{\{\{(\w+)\}\}\}\n|\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/gm,
    (_, indent, blockName, rawName, textName) => {
      if (blockName) return value(blockName) ? block(indent, blockName) : ''
      return rawName ? value(rawName) : escapeHtml(value(textName))
    },
  )
}

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

function read(file) {
  return readFileSync(`${demo}${file}`, 'utf8')
}
