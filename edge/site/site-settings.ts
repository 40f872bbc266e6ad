import { RuleError } from '../../shared/rules/errors'
import { compileSegments } from '../../shared/segments/definitions'
import type { Env } from '../env'
import { HttpError } from '../http/errors'
import { isTimeZone } from '../visitor/local-time'
import type { SiteConfig, SiteSettings } from './settings'

/** How long an isolate trusts the settings it read; a change reaches every isolate by then. */
export const settingsTtlMs = 30_000

const cache = new Map<string, { settings: Promise<SiteSettings>; expires: number }>()

/** The site's settings, read from its object at most once per TTL in this isolate. */
export function siteSettings(env: Env, site: string): Promise<SiteSettings> {
  const now = Date.now()
  const hit = cache.get(site)
  if (hit !== undefined && hit.expires > now) return hit.settings
  const settings = siteObject(env, site).settings() as Promise<SiteSettings>
  cache.set(site, { settings, expires: now + settingsTtlMs })
  // A failed read must not be served from the cache to later requests.
  settings.catch(() => cache.delete(site))
  return settings
}

/** The Durable Object holding one site's configuration. */
export function siteObject(env: Env, site: string) {
  return env.SITES.get(env.SITES.idFromName(site))
}

/** Drops this isolate's copy after a change, so the next request reads the new settings. */
export function forgetSiteSettings(site: string): void {
  cache.delete(site)
}

/** Validates a site configuration from the admin API; throws an HttpError naming the part. */
export function readSiteConfig(json: unknown): SiteConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new HttpError(422, 'invalid_config', 'send {"timeZone": ..., "segments": [...]}')
  }
  const { timeZone, segments, ...rest } = json as Record<string, unknown>
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) {
    throw new HttpError(422, 'unknown_key', `"${unknown}" is not a setting`, unknown)
  }
  const config: SiteConfig = {}
  if (timeZone !== undefined) {
    if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
      throw new HttpError(
        422,
        'invalid_time_zone',
        'use an IANA time zone name such as "Europe/Paris"',
        'timeZone',
      )
    }
    config.timeZone = timeZone
  }
  if (segments !== undefined) {
    try {
      compileSegments(segments)
    } catch (error) {
      if (error instanceof RuleError)
        throw new HttpError(422, error.code, error.message, error.path)
      throw error
    }
    config.segments = segments as SiteConfig['segments']
  }
  return config
}
