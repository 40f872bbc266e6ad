import { createMiddleware } from 'hono/factory'
import type { Env } from '../env'
import { HttpError } from './errors'

/** Admits requests bearing `Authorization: Bearer <ADMIN_KEY>`. */
export function requireAdminKey() {
  const encoder = new TextEncoder()
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const expected = c.env.ADMIN_KEY
    if (!expected) {
      throw new HttpError(
        503,
        'admin_key_not_configured',
        'set the ADMIN_KEY secret (npx wrangler secret put ADMIN_KEY) to use the admin API',
      )
    }
    const given = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1] ?? ''
    const a = encoder.encode(given)
    const b = encoder.encode(expected)
    // Compare in constant time so the key cannot be guessed byte by byte.
    if (a.byteLength !== b.byteLength || !crypto.subtle.timingSafeEqual(a, b)) {
      throw new HttpError(
        401,
        'unauthorized',
        'send the site admin key as "Authorization: Bearer <key>"',
      )
    }
    await next()
  })
}
