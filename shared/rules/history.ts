import type { EventType } from '../events'

/** Engaged time on a product view that became known at `at` (epoch ms). */
export interface DwellPart {
  at: number
  ms: number
}

/** One event of a visitor as the evaluator sees it; dwell reports are folded into views. */
export interface SignalEvent {
  /** Arrival order, the tie-break between events of the same millisecond. */
  seq: number
  t: number
  type: Exclude<EventType, 'dwell'>
  session: string
  product?: string
  category?: string
  brand?: string
  price?: number
  quantity?: number
  /** Money the event is worth: price times quantity, or an order total. */
  value?: number
  filter?: string
  option?: string
  name?: string
  /** Hour (0-23) and weekday (0 = Sunday) in the visitor's own time zone. */
  localHour?: number
  localWeekday?: number
  dwell: DwellPart[]
}

/**
 * A visitor's events ordered by time, with the moments at which anything arrives.
 * Rules read it; they never change it.
 */
export class History {
  /** Every moment at which an event or a dwell report lands, ascending. */
  private readonly arrivals: number[]

  constructor(readonly events: readonly SignalEvent[]) {
    const times: number[] = []
    for (const event of events) {
      times.push(event.t)
      for (const part of event.dwell) times.push(part.at)
    }
    this.arrivals = times.sort((a, b) => a - b)
  }

  /** The index of the first event later than `t`: `events.slice(0, indexAfter(T))` is the past. */
  indexAfter(t: number): number {
    return upperBound(this.events, t)
  }

  /** The first moment after `at` at which something new arrives, or Infinity. */
  nextArrivalAfter(at: number): number {
    let low = 0
    let high = this.arrivals.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((this.arrivals[mid] as number) <= at) low = mid + 1
      else high = mid
    }
    return this.arrivals[low] ?? Number.POSITIVE_INFINITY
  }
}

/** Engaged milliseconds of `event` known by `at`. */
export function dwellAsOf(event: SignalEvent, at: number): number {
  let total = 0
  for (const part of event.dwell) if (part.at <= at) total += part.ms
  return total
}

function upperBound(events: readonly SignalEvent[], t: number): number {
  let low = 0
  let high = events.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((events[mid] as SignalEvent).t <= t) low = mid + 1
    else high = mid
  }
  return low
}
