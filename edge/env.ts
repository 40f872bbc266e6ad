import type { SiteObject } from './site/site-object'
import type { VisitorObject } from './visitor/visitor-object'

/** Bindings and settings of the Worker (see wrangler.toml). */
export interface Env {
  VISITORS: DurableObjectNamespace<VisitorObject>
  SITES: DurableObjectNamespace<SiteObject>
  ASSETS: Fetcher
  /** Bearer key of the admin API; a secret in production. */
  ADMIN_KEY?: string
  /** "on" serves the demo storefront's cart endpoints. */
  DEMO_SHOP?: string
}

type WorkerEnv = Env

declare global {
  namespace Cloudflare {
    // Types `env` from `cloudflare:test` in the tests.
    interface Env extends WorkerEnv {}
  }
}
