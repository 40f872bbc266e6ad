// Shared by every demo page: the live-segments panel and the cart count in the header.
// The panel is what a merchant's own code can do with Telltale: read segments, react to them.

const panel = document.createElement('aside')
panel.id = 'segments'
panel.setAttribute('aria-live', 'polite')
document.body.append(panel)

function showSegments(segments) {
  const items = segments.map((id) => {
    const item = document.createElement('li')
    item.textContent = id
    return item
  })
  const list = document.createElement('ul')
  list.append(...items)
  const title = document.createElement('strong')
  title.textContent = 'Your live segments'
  const empty = document.createElement('span')
  empty.className = 'muted'
  empty.textContent = 'none yet: browse, filter, add to cart'
  panel.replaceChildren(title, segments.length ? list : empty)
}

showSegments([])
window.telltale('on', 'segments', showSegments)
// The async snippet holds up the load event, so by then telltale.segments() has the cached list.
addEventListener('load', () => window.telltale.segments && showSegments(window.telltale.segments()))

/** Refreshes the header's cart count; pages call it after changing the cart. */
window.refreshCartCount = async () => {
  const count = document.getElementById('cart-count')
  const response = await fetch('/cart.js')
  if (count && response.ok) count.textContent = String((await response.json()).item_count)
}
window.refreshCartCount()
