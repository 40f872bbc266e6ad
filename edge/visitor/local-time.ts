const formatters = new Map<string, Intl.DateTimeFormat>()

/** Whether `name` is an IANA time zone the runtime knows, such as `Pacific/Auckland`. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name)
    return true
  } catch {
    return false
  }
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** The hour (0-23) and weekday (0 = Sunday) of instant `t` on a wall clock in `timeZone`. */
export function localTime(t: number, timeZone: string): { hour: number; weekday: number } {
  let hour = 0
  let weekday = 0
  for (const part of formatter(timeZone).formatToParts(t)) {
    if (part.type === 'hour') hour = Number(part.value)
    else if (part.type === 'weekday') weekday = weekdays.indexOf(part.value)
  }
  return { hour, weekday }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone)
  if (format === undefined) {
    // Throws a RangeError for an unknown zone, which isTimeZone turns into false.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: 'numeric',
      hourCycle: 'h23',
      weekday: 'short',
    })
    formatters.set(timeZone, format)
  }
  return format
}
