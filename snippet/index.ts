/**
 * Telltale's browser snippet. The merchant pastes one tag:
 *
 *   <script async src="https://EDGE/t.js" data-site="SITE"></script>
 *
 * It captures shopper behaviour, sends it to EDGE/v1/collect and exposes the visitor's live
 * segments as `telltale.segments()` and `telltale.on('segments', fn)`.
 */
import { watchCartRequests } from './cart'
import { type Loose, text } from './clean'
import { watchControls } from './controls'
import { watchDataLayer } from './datalayer'
import { reportDwell, watchAttention } from './dwell'
import { watchPages } from './page'
import { purchase } from './purchase'
import { listen } from './safe'
import { on, segments } from './segments'
import { configure, emit, flush } from './transport'

/** A custom event with at most 20 flat properties; other values than numbers become text. */
function track(name: unknown, properties: Loose) {
  const props: Loose = {}
  for (const key of Object.keys(properties || {}).slice(0, 20)) {
    const value = properties[key]
    props[key.slice(0, 256)] =
      typeof value === 'boolean' || Number.isFinite(value) ? value : text(value)
  }
  if (text(name)) emit('track', { name: text(name), props })
}

/** Reports what is pending: a hidden page may never come back. */
function leave() {
  reportDwell()
  flush(true)
}

try {
  const w = window as Loose
  const queued = w.telltale
  const script = (document.currentScript ||
    document.querySelector('script[data-site]')) as HTMLScriptElement
  const site = script.dataset.site
  if (site && !(queued || 0).segments) {
    configure(site, script.dataset.api || new URL(script.src).origin)
    const api: Loose = { segments, on, track, purchase }
    // `telltale('track', name, props)` is the queued form of `telltale.track(name, props)`;
    // neither may throw into the page.
    const telltale = (method: string, ...args: unknown[]) => {
      try {
        return api[method](...args)
      } catch {}
    }
    w.telltale = telltale
    for (const method in api)
      (telltale as Loose)[method] = (...args: unknown[]) => telltale(method, ...args)
    for (const watch of [
      watchAttention,
      watchPages,
      watchControls,
      watchCartRequests,
      watchDataLayer,
    ]) {
      try {
        watch()
      } catch {}
    }
    listen('visibilitychange', () => document.hidden && leave())
    listen('pagehide', leave)
    for (const args of (queued || 0).q || []) telltale(...(args as [string]))
  }
} catch {}
