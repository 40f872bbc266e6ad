import { DurableObject } from 'cloudflare:workers'
import { Hono } from 'hono'

export class VisitorObject extends DurableObject {
  async hello() { return 'hi' }
}
export class SiteObject extends DurableObject {}
const app = new Hono()
app.get('/v1/ping', (c) => c.json({ ok: true }))
export default app
