// The collection page filters its grid in the browser and keeps the filters in the address,
// as Shopify's Dawn theme does: input is debounced, then history.pushState; back restores.

const form = document.getElementById('filters')
const grid = document.getElementById('product-grid')
const count = document.getElementById('product-count')
const cards = [...grid.children]

const orders = {
  manual: (a, b) => a.dataset.order - b.dataset.order,
  'price-ascending': (a, b) => a.dataset.price - b.dataset.price,
  'price-descending': (a, b) => b.dataset.price - a.dataset.price,
  'title-ascending': (a, b) => a.textContent.trim().localeCompare(b.textContent.trim()),
}

function show(params) {
  const min = Number.parseFloat(params.get('filter.v.price.gte')) || 0
  const max = Number.parseFloat(params.get('filter.v.price.lte')) || Number.POSITIVE_INFINITY
  const vendors = params.getAll('filter.p.vendor')
  const order = orders[params.get('sort_by')] ?? orders.manual
  const shown = cards
    .filter((card) => {
      const price = Number(card.dataset.price)
      return (
        price >= min && price <= max && (!vendors.length || vendors.includes(card.dataset.vendor))
      )
    })
    .sort(order)
  grid.replaceChildren(...shown)
  count.textContent = `${shown.length} of ${cards.length} products`
}

function paramsOfForm() {
  const params = new URLSearchParams()
  for (const [name, value] of new FormData(form)) {
    // The default order is no choice, and stays out of the address.
    if (value && !(name === 'sort_by' && value === 'manual')) params.append(name, value)
  }
  return params
}

function fillForm(params) {
  for (const field of form.elements) {
    if (field.type === 'checkbox') field.checked = params.getAll(field.name).includes(field.value)
    else if (field.name)
      field.value = params.get(field.name) ?? (field.tagName === 'SELECT' ? 'manual' : '')
  }
}

function apply() {
  const params = paramsOfForm()
  show(params)
  const query = String(params)
  history.pushState(null, '', query ? `?${query}` : location.pathname)
}

let timer
form.addEventListener('input', () => {
  clearTimeout(timer)
  timer = setTimeout(apply, 300)
})
form.addEventListener('submit', (event) => {
  event.preventDefault()
  clearTimeout(timer)
  apply()
})
addEventListener('popstate', () => {
  const params = new URLSearchParams(location.search)
  fillForm(params)
  show(params)
})

// Quick add, as themes do it: a fetch to the AJAX cart, then the header count.
grid.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-add]')
  if (!button) return
  button.disabled = true
  await fetch('/cart/add.js', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ items: [{ id: button.dataset.add, quantity: 1 }] }),
  })
  button.disabled = false
  button.textContent = 'Added'
  window.refreshCartCount()
})

// A shared or reloaded address brings its filters; otherwise keep what the shopper may have
// typed before this script ran.
if (location.search) fillForm(new URLSearchParams(location.search))
show(paramsOfForm())
