import { Hono } from 'hono'
import { demoShop } from './demo-shop'
import type { Env } from './env'
import { HttpError } from './http/errors'
import { adminRoutes } from './routes/admin'
import { collectRoutes } from './routes/collect'

export { SiteObject } from './site/site-object'
export { VisitorObject } from './visitor/visitor-object'

const app = new Hono<{ Bindings: Env }>()

app.get('/v1/health', (c) => c.json({ ok: true }))
app.route('/v1', collectRoutes)
app.route('/v1/sites', adminRoutes)

// The demo storefront's cart exists only where DEMO_SHOP is on (local development).
app.use('/cart*', async (c, next) => {
  if (c.env.DEMO_SHOP !== 'on') throw new HttpError(404, 'not_found', 'there is no demo shop here')
  await next()
})
app.route('/', demoShop)

app.notFound((c) =>
  c.json(
    new HttpError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`).toBody(),
    404,
  ),
)

app.onError((error, c) => {
  if (error instanceof HttpError) return c.json(error.toBody(), error.status)
  if (isTransient(error)) {
    c.header('Retry-After', '1')
    return c.json(
      new HttpError(503, 'temporarily_unavailable', 'the edge is busy; retry in a second').toBody(),
      503,
    )
  }
  // The one place an unexpected failure is logged; the client gets no internals.
  console.error(error)
  return c.json(
    new HttpError(500, 'internal_error', 'something failed on our side; retry').toBody(),
    500,
  )
})

/**
 * Failures that a retry fixes: Durable Objects flag overload and resets as `retryable` or
 * `overloaded`; the local runtime runs out of SQLite memory when thousands of objects are
 * awake at once. Retrying is safe: each object writes in one transaction, ids are unique.
 */
function isTransient(error: Error): boolean {
  const flags = error as Error & { retryable?: boolean; overloaded?: boolean }
  return flags.retryable === true || flags.overloaded === true || /SQLITE_NOMEM/.test(error.message)
}

export default app
