import { Hono } from 'hono'
import { z } from 'zod'
import { mapConcurrently } from '../concurrency'
import type { Env } from '../env'
import { requireAdminKey } from '../http/admin-key'
import { limitBody } from '../http/body-limit'
import { HttpError, jsonPath, readJson } from '../http/errors'
import { readSiteId, readTime, readVisitorId } from '../http/params'
import { parseRees46 } from '../import/rees46'
import type { SiteConfig, SiteSettings } from '../site/settings'
import { forgetSiteSettings, readSiteConfig, siteObject, siteSettings } from '../site/site-settings'
import { isTimeZone } from '../visitor/local-time'
import { newest } from '../visitor/timeline'
import { maxEventsPerVisitor } from '../visitor/visitor-object'
import { visitorObject } from '../visitors'

/** Largest import body, and how many visitors' objects one request works on at once. */
export const importLimits = { bodyBytes: 8 * 1024 * 1024, visitorsInFlight: 6 } as const
export const maxLookupVisitors = 500
const configBodyBytes = 256 * 1024

type AdminEnv = { Bindings: Env; Variables: { site: string } }

/** The merchant's and the email platforms' API, behind the admin key. */
export const adminRoutes = new Hono<AdminEnv>()

adminRoutes.use('*', requireAdminKey())
adminRoutes.use('/:site/*', async (c, next) => {
  c.set('site', readSiteId(c.req.param('site'), 'site'))
  await next()
})

adminRoutes.post(
  '/:site/import',
  limitBody(importLimits.bodyBytes, 'split the file into several import requests'),
  async (c) => {
    const site = c.get('site')
    const format = c.req.query('format')
    if (format !== 'rees46') {
      throw new HttpError(422, 'unsupported_format', 'the supported format is rees46', 'format')
    }
    const settings = await siteSettings(c.env, site)
    const timeZone = c.req.query('time_zone') ?? settings.timeZone
    if (!isTimeZone(timeZone)) {
      throw new HttpError(422, 'invalid_time_zone', 'use an IANA name such as "UTC"', 'time_zone')
    }
    const parsed = await parseRees46(await c.req.text(), timeZone, Date.now())
    const results = await mapConcurrently(
      [...parsed.visitors],
      importLimits.visitorsInFlight,
      async ([visitor, events]) => {
        // Older events could only be dropped by the object; left out, the call stays small.
        const kept = newest(events, maxEventsPerVisitor)
        const result = await visitorObject(c.env, site, visitor).record(settings, kept)
        return { ...result, expired: result.expired + events.length - kept.length }
      },
    )
    const total = (key: 'inserted' | 'duplicates' | 'expired') =>
      results.reduce((sum, result) => sum + result[key], 0)
    return c.json({
      rows: parsed.rows,
      events: total('inserted'),
      duplicates: total('duplicates'),
      expired: total('expired'),
      visitors: parsed.visitors.size,
    })
  },
)

const lookupSchema = z.strictObject({
  visitors: z.array(z.string()).min(1).max(maxLookupVisitors),
  at: z.union([z.string(), z.number()]).optional(),
})

adminRoutes.post(
  '/:site/lookup',
  limitBody(64 * 1024, 'ask for at most 500 visitors'),
  async (c) => {
    const site = c.get('site')
    const body = lookupSchema.safeParse(await readJson(c.req.raw))
    if (!body.success) {
      const issue = body.error.issues[0]
      throw new HttpError(
        422,
        'invalid_lookup',
        `send {"visitors": [up to ${maxLookupVisitors} ids], "at": "ISO time"}`,
        jsonPath(issue?.path ?? []),
      )
    }
    const visitors = body.data.visitors.map((id, i) => readVisitorId(id, `visitors[${i}]`))
    const at = readTime(body.data.at, 'at') ?? Date.now()
    const settings = await siteSettings(c.env, site)
    const answers = await mapConcurrently(visitors, importLimits.visitorsInFlight, (visitor) =>
      visitorObject(c.env, site, visitor).segmentsAt(settings, at),
    )
    return c.json({
      at: new Date(at).toISOString(),
      visitors: visitors.map((visitor, i) => ({ visitor, segments: answers[i] })),
    })
  },
)

adminRoutes.get('/:site/visitors/:visitor', async (c) => {
  const site = c.get('site')
  const visitor = readVisitorId(c.req.param('visitor'), 'visitor')
  const at = readTime(c.req.query('at'), 'at') ?? Date.now()
  const settings = await siteSettings(c.env, site)
  const segments = await visitorObject(c.env, site, visitor).segmentsAt(settings, at)
  return c.json({ visitor, at: new Date(at).toISOString(), segments })
})

adminRoutes.get('/:site/config', async (c) => {
  const object = siteObject(c.env, c.get('site'))
  const [config, settings] = await Promise.all([object.config(), object.settings()])
  return c.json({ ...(config as SiteConfig), effective: settings as SiteSettings })
})

adminRoutes.put('/:site/config', limitBody(configBodyBytes, 'keep configs small'), async (c) => {
  const site = c.get('site')
  const config = readSiteConfig(await readJson(c.req.raw))
  const settings = await siteObject(c.env, site).configure(config)
  forgetSiteSettings(site)
  return c.json({ ...config, effective: settings as SiteSettings })
})
