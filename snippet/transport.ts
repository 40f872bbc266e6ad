import type { WireEvent } from '../shared/events'
import { receive } from './segments'
import { json, load } from './store'

let endpoint = ''
let site = ''
let queue: WireEvent[] = []
let timer: ReturnType<typeof setTimeout> | undefined
// Body bytes of keepalive requests not yet answered.
let inFlight = 0
// The page may wrap fetch (so do we, to see cart calls): keep the one we started with.
const post = fetch

export function configure(siteId: string, api: string) {
  site = siteId
  endpoint = `${api.replace(/\/$/, '')}/v1/collect`
}

/** Queues an event and sends it within a second, so its segments come back while it matters. */
export function enqueue(event: WireEvent) {
  queue.push(event)
  timer = timer || setTimeout(flush, 1000)
}

/** Takes events back out of the queue if they have not left yet. */
export function unqueue(events: WireEvent[]) {
  queue = queue.filter((e) => !events.includes(e))
}

const batch = (count: number) =>
  json({
    site,
    visitor: load().v,
    tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
    sent: Date.now(),
    events: queue.slice(0, count),
  })

/**
 * Sends everything queued, in batches of at most 100 events and 64 KiB. Leaving, a beacon
 * outlives the page; otherwise fetch lets us read the segments in the answer, kept alive
 * through a navigation while the browser's 64 KiB allowance for such requests lasts.
 * Events leave the queue only once handed over: if the page's fetch throws, the newest 200
 * wait for the next send (a beacon at the latest), and nothing is thrown into the page.
 */
export function flush(leaving?: boolean) {
  clearTimeout(timer)
  timer = undefined
  try {
    while (queue.length) {
      let count = 100
      while (count > 1 && new Blob([batch(count)]).size > 65536) count >>= 1
      const body = batch(count)
      const size = new Blob([body]).size
      const keepalive = inFlight + size <= 65536
      if (!(leaving && navigator.sendBeacon(endpoint, body))) {
        post(endpoint, { method: 'POST', body, keepalive })
          .then((response) => response.json())
          .then((answer) => answer.segments && receive(answer.segments))
          .catch(() => {})
          .then(() => {
            if (keepalive) inFlight -= size
          })
        if (keepalive) inFlight += size
      }
      queue = queue.slice(count)
    }
  } catch {
    queue = queue.slice(-200)
  }
}
