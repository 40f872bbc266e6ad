/** What the snippet keeps between pages, in one localStorage entry. */
export interface Saved {
  /** Visitor id. */
  v?: string
  /** Session id, and the time of its last event. */
  s?: string
  a?: number
  /** The visitor's segments as of the last collect answer. */
  g?: string[]
}

// Private modes and blocked storage throw; the snippet then remembers for this page only.
let memory: Saved = {}

/** The edge's rule for visitor and session ids (`idPattern` and `limits.idChars`). */
const isId = (x: unknown) => typeof x === 'string' && /^[\w.:-]{1,64}$/.test(x)

/**
 * What the last page saved. Another script's value under our key, or an edited one, would
 * break every send (the edge refuses a bad id): the snippet then starts afresh.
 */
export function load(): Saved {
  try {
    const saved = JSON.parse(localStorage.telltale)
    if (isId(saved.v) && isId(saved.s) && Array.isArray(saved.g || [])) return saved
  } catch {}
  return memory
}

/**
 * JSON text as the edge reads it, whatever the page did to `Array.prototype.toJSON`
 * (Prototype.js 1.6 makes arrays strings): each value is taken as it is, not as its toJSON.
 */
export const json = (value: unknown) =>
  JSON.stringify(value, function (this: Record<string, unknown>, key) {
    return this[key]
  })

export function save(saved: Saved) {
  memory = saved
  try {
    localStorage.telltale = json(saved)
  } catch {}
}

/** Anonymous ids are not secrets: about 60 random bits plus the time keep them apart. */
export const randomId = () => Math.random().toString(36).slice(2) + Date.now().toString(36)

/** The session id, kept with the visitor's; a session ends after 30 minutes without events. */
export function touch() {
  const saved = load()
  const now = Date.now()
  saved.v = saved.v || randomId()
  if (!(now - (saved.a as number) < 18e5)) saved.s = randomId()
  saved.a = now
  save(saved)
  return saved.s as string
}
