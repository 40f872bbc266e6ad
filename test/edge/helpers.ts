import { SELF } from 'cloudflare:test'
import { buildHistory, type StoredEvent } from '../../edge/visitor/timeline'
import type { History } from '../../shared/rules/history'

export const minute = 60_000
export const hour = 60 * minute
export const day = 24 * hour

/** An evaluation time for tables: 2026-01-15 12:00 UTC. */
export const T = Date.UTC(2026, 0, 15, 12)

export type EventSpec = Partial<StoredEvent> & Pick<StoredEvent, 'type' | 't'>

/** A history from short event specs; each gets a session `s1` and an id unless given. */
export function historyOf(specs: EventSpec[]): History {
  return buildHistory(
    specs.map((spec, seq) => ({
      seq,
      id: `e${seq}`,
      session: 's1',
      dwellFromNextEvent: false,
      ...spec,
    })),
  )
}

export const adminHeaders = { authorization: 'Bearer dev-admin-key' }

/** POSTs a body to the Worker the way the snippet does (text/plain). */
export function postCollect(body: unknown) {
  return SELF.fetch('http://edge.test/v1/collect', {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export function admin(path: string, init: RequestInit = {}) {
  return SELF.fetch(`http://edge.test/v1/sites/${path}`, {
    ...init,
    headers: { ...adminHeaders, ...(init.headers as Record<string, string>) },
  })
}

let unique = 0
/** A fresh site id per call, so tests never share visitors. */
export function newSite(): string {
  unique++
  return `t-${Date.now().toString(36)}-${unique}`
}
