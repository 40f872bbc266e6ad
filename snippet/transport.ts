import type { EventType, WireEvent } from '../shared/events'
import { receive } from './segments'
import { json, load, randomId, touch } from './store'

let endpoint = ''
let site = ''
let queue: WireEvent[] = []
let timer: ReturnType<typeof setTimeout> | 0 = 0
// Body bytes of keepalive requests not yet answered.
let inFlight = 0
// The page may wrap fetch (so do we, to see cart calls): keep the one we started with.
const post = fetch

export function configure(siteId: string, api: string) {
  site = siteId
  endpoint = `${api.replace(/\/$/, '')}/v1/collect`
}

export type Fields = Omit<WireEvent, 'id' | 'type' | 't' | 'session'>

/**
 * Stamps an event with its id, time and session and queues it; it leaves within a second, so
 * its segments come back while they matter.
 */
export function emit(type: EventType, fields: Fields = {}, id = randomId()): WireEvent {
  const event = { ...fields, id, type, t: Date.now(), session: touch() }
  queue.push(event)
  timer = timer || setTimeout(flush, 1e3)
  return event
}

/** Takes events back out of the queue if they have not left yet. */
export function unqueue(events: WireEvent[]) {
  queue = queue.filter((e) => !events.includes(e))
}

/**
 * Sends everything queued, in batches of at most 100 events and 64 KiB. Leaving, a beacon
 * outlives the page; otherwise fetch lets us read the segments in the answer, kept alive
 * through a navigation while the browser's 64 KiB allowance for such requests lasts.
 * Events leave the queue only once handed over: if the page's fetch throws, the newest 200
 * wait for the next send (a beacon at the latest), and nothing is thrown into the page.
 */
export function flush(leaving?: boolean) {
  clearTimeout(timer)
  timer = 0
  try {
    while (queue.length) {
      let count = 200
      let body: string
      let size: number
      do {
        count >>= 1
        body = json({
          site,
          visitor: load().v,
          tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
          sent: Date.now(),
          events: queue.slice(0, count),
        })
        size = new Blob([body]).size
      } while (count > 1 && size > 65536)
      if (!(leaving && navigator.sendBeacon(endpoint, body))) {
        const kept = inFlight + size > 65536 ? 0 : size
        post(endpoint, { method: 'POST', body, keepalive: kept > 0 })
          .then((response) => response.json())
          .then((answer) => receive(answer.segments))
          .catch(() => {})
          .then(() => {
            inFlight -= kept
          })
        inFlight += kept
      }
      queue = queue.slice(count)
    }
  } catch {
    queue = queue.slice(-200)
  }
}
