import type { Env } from './env'

/** The Durable Object of one visitor of one site. */
export function visitorObject(env: Env, site: string, visitor: string) {
  // Site ids cannot contain ':', so the name is unique per site and visitor.
  return env.VISITORS.get(env.VISITORS.idFromName(`${site}:${visitor}`))
}
