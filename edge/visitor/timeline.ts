import type { EventType } from '../../shared/events'
import { History, type SignalEvent } from '../../shared/rules/history'

/** The longest gap that still counts as dwell on an imported view. */
export const importedDwellCapMs = 30 * 60 * 1000

/** One event as the visitor's object keeps it (a row of its `events` table). */
export interface StoredEvent extends Omit<SignalEvent, 'type' | 'dwell'> {
  id: string
  type: EventType
  /** For `dwell`: the page or product view it measured, and the engaged milliseconds. */
  ref?: string
  dwell?: number
  /**
   * Imported views carry no dwell; theirs is the time to the visitor's next event in the
   * same session, capped at 30 minutes, known once that next event happens.
   */
  dwellFromNextEvent: boolean
}

/**
 * Oldest first, ties by id: the order in which events leave a full history. It depends only
 * on the events, so sending the same ones again always keeps and drops the same.
 */
export function byAge(a: { t: number; id: string }, b: { t: number; id: string }): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** The `count` newest of `events` in `byAge` order: all a full history could keep of them. */
export function newest<T extends { t: number; id: string }>(events: T[], count: number): T[] {
  return events.length <= count ? events : [...events].sort(byAge).slice(-count)
}

/** Orders stored events by time (then arrival) and folds dwell into the views it belongs to. */
export function buildHistory(stored: readonly StoredEvent[]): History {
  const ordered = [...stored].sort((a, b) => a.t - b.t || a.seq - b.seq)
  const byId = new Map<string, SignalEvent>()
  const events: SignalEvent[] = []
  const reports: StoredEvent[] = []
  for (const row of ordered) {
    if (row.type === 'dwell') {
      reports.push(row)
      continue
    }
    const { id, ref, dwell, dwellFromNextEvent, ...fields } = row
    const event: SignalEvent = { ...fields, type: row.type, dwell: [] }
    events.push(event)
    byId.set(id, event)
  }
  for (const report of reports) {
    const view = report.ref === undefined ? undefined : byId.get(report.ref)
    if (view !== undefined && report.dwell) view.dwell.push({ at: report.t, ms: report.dwell })
  }
  deriveImportedDwell(ordered, byId)
  return new History(events)
}

function deriveImportedDwell(ordered: readonly StoredEvent[], byId: Map<string, SignalEvent>) {
  const lastInSession = new Map<string, StoredEvent>()
  for (const row of ordered) {
    if (row.type === 'dwell') continue
    const previous = lastInSession.get(row.session)
    lastInSession.set(row.session, row)
    if (previous === undefined || !previous.dwellFromNextEvent) continue
    const gap = row.t - previous.t
    const view = byId.get(previous.id)
    if (view !== undefined && gap > 0) {
      view.dwell.push({ at: row.t, ms: Math.min(gap, importedDwellCapMs) })
    }
  }
}
