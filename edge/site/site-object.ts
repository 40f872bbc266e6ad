import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { type SiteConfig, type SiteSettings, settingsFrom } from './settings'

/** One merchant site: the configuration its visitors' objects evaluate against. */
export class SiteObject extends DurableObject<Env> {
  /** The site's settings; starter segments in UTC until the merchant sets their own. */
  async settings(): Promise<SiteSettings> {
    return settingsFrom(this.stored())
  }

  /** The configuration as the merchant last stored it (empty when never set). */
  async config(): Promise<SiteConfig> {
    return this.stored()
  }

  /** Replaces the configuration; the caller has validated it (see `readSiteConfig`). */
  async configure(config: SiteConfig): Promise<SiteSettings> {
    this.ctx.storage.kv.put('config', config)
    return settingsFrom(config)
  }

  private stored(): SiteConfig {
    return this.ctx.storage.kv.get<SiteConfig>('config') ?? {}
  }
}
