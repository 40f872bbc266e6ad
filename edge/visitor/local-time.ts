/** One formatter per canonical zone: a bounded set (the runtime knows a few hundred). */
const formatters = new Map<string, Intl.DateTimeFormat>()
/** Spellings seen (`europe/paris`, `Asia/Calcutta`) and their canonical zone. */
const canonical = new Map<string, string>()
const maxSpellings = 2000

/** Region/City names, `UTC`, `Etc/GMT+5`; not bare offsets such as `+05:30`. */
const zoneName = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/

/**
 * The canonical IANA name of `name` (`Asia/Calcutta` gives `Asia/Kolkata`), or undefined
 * when the runtime does not know the zone.
 */
export function canonicalTimeZone(name: string): string | undefined {
  const known = canonical.get(name)
  if (known !== undefined) return known
  if (name.length > 64 || !zoneName.test(name)) return undefined
  let zone: string
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
  // Any mix of upper and lower case is accepted by the runtime: keep spellings bounded.
  if (canonical.size >= maxSpellings) canonical.clear()
  canonical.set(name, zone)
  return zone
}

/** Whether `name` is an IANA time zone the runtime knows, such as `Pacific/Auckland`. */
export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== undefined
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/**
 * The hour (0-23) and weekday (0 = Sunday) of instant `t` on a wall clock in `timeZone`,
 * which must be a zone `isTimeZone` accepts.
 */
export function localTime(t: number, timeZone: string): { hour: number; weekday: number } {
  let hour = 0
  let weekday = 0
  for (const part of formatter(canonicalTimeZone(timeZone) ?? 'UTC').formatToParts(t)) {
    if (part.type === 'hour') hour = Number(part.value)
    else if (part.type === 'weekday') weekday = weekdays.indexOf(part.value)
  }
  return { hour, weekday }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hour: 'numeric',
      hourCycle: 'h23',
      weekday: 'short',
    })
    formatters.set(zone, format)
  }
  return format
}
