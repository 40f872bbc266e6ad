import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { limits } from '../../shared/events'
import type { Env } from '../env'
import { limitBody } from '../http/body-limit'
import { readJson } from '../http/errors'
import { readSiteId, readVisitorId } from '../http/params'
import { browserEvents, parseBatch } from '../ingest/browser-events'
import { siteSettings } from '../site/site-settings'
import { visitorObject } from '../visitors'

/** What the snippet calls: no credentials, any origin, answers carry live segments. */
export const collectRoutes = new Hono<{ Bindings: Env }>()

const anyOrigin = cors({ origin: '*', allowMethods: ['GET', 'POST'], maxAge: 86_400 })
collectRoutes.use('/collect', anyOrigin)
collectRoutes.use('/segments', anyOrigin)

collectRoutes.post(
  '/collect',
  limitBody(limits.collectBodyBytes, 'split the events into several batches'),
  async (c) => {
    const batch = parseBatch(await readJson(c.req.raw))
    const settings = await siteSettings(c.env, batch.site)
    const events = browserEvents(batch, settings.timeZone, Date.now())
    const result = await visitorObject(c.env, batch.site, batch.visitor).record(settings, events)
    return c.json({ segments: result.segments })
  },
)

collectRoutes.get('/segments', async (c) => {
  const site = readSiteId(c.req.query('site'), 'site')
  const visitor = readVisitorId(c.req.query('visitor'), 'visitor')
  const settings = await siteSettings(c.env, site)
  const segments = await visitorObject(c.env, site, visitor).segmentsAt(settings)
  return c.json({ segments })
})
