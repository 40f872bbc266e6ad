// The cart page lists the lines of GET /cart.js. Removing a line posts quantity 0 to
// /cart/change.js, as Shopify themes do; the demo order is reported the GA4 way, through
// the dataLayer, which is how most stores tell their analytics about a purchase.

const table = document.getElementById('cart-lines')
const empty = document.getElementById('cart-empty')
const total = document.getElementById('cart-total')
const placeOrder = document.getElementById('place-order')
let cart = { items: [], total_price: 0, currency: 'USD' }

const money = (cents) => `$${(cents / 100).toFixed(2)}`

function cell(content) {
  const td = document.createElement('td')
  td.append(content)
  return td
}

function render() {
  const rows = cart.items.map((item) => {
    const link = document.createElement('a')
    link.href = item.url
    link.textContent = item.title
    const remove = document.createElement('button')
    remove.type = 'button'
    remove.className = 'quiet'
    remove.textContent = 'Remove'
    remove.dataset.remove = item.key
    const row = document.createElement('tr')
    row.append(cell(link), cell(String(item.quantity)), cell(money(item.line_price)), cell(remove))
    return row
  })
  table.tBodies[0].replaceChildren(...rows)
  table.hidden = placeOrder.hidden = !rows.length
  empty.hidden = rows.length > 0
  total.textContent = rows.length ? `Total ${money(cart.total_price)}` : ''
}

async function load() {
  cart = await (await fetch('/cart.js')).json()
  render()
}

table.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-remove]')
  if (!button) return
  const response = await fetch('/cart/change.js', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ id: button.dataset.remove, quantity: 0 }),
  })
  cart = await response.json()
  render()
  window.refreshCartCount()
})

placeOrder.addEventListener('click', async () => {
  const order = `demo-${Date.now().toString(36)}`
  window.dataLayer = window.dataLayer || []
  window.dataLayer.push({
    event: 'purchase',
    ecommerce: {
      transaction_id: order,
      value: cart.total_price / 100,
      currency: cart.currency,
      items: cart.items.map((item) => ({
        item_id: String(item.id),
        item_name: item.title,
        item_brand: item.vendor,
        item_category: item.product_type,
        price: item.price / 100,
        quantity: item.quantity,
      })),
    },
  })
  await fetch('/cart/clear.js', { method: 'POST' })
  document.getElementById('order-number').textContent = order
  document.getElementById('thanks').hidden = false
  await load()
  window.refreshCartCount()
})

load()
