import { DurableObject } from 'cloudflare:workers'
import { maxDurationMs } from '../../shared/rules/duration'
import type { History } from '../../shared/rules/history'
import type { Membership } from '../../shared/segments/definitions'
import type { Env } from '../env'
import { compiledSegments, type SiteSettings } from '../site/settings'
import { EventStore } from './event-store'
import { buildHistory, byAge, type StoredEvent } from './timeline'

/** An event ready to store: validated, skew-corrected, with its local time worked out. */
export type NewEvent = Omit<StoredEvent, 'seq'>

export interface RecordResult {
  /** The visitor's segments now, sorted. */
  segments: string[]
  inserted: number
  /** Events whose id was already stored: sent twice, counted once. */
  duplicates: number
  /** Events older than the history kept; they could change no answer. */
  expired: number
}

/** History kept for every visitor, whatever the rules; longer when a rule looks further back. */
export const minimumRetentionMs = 90 * 86_400_000
/** At most this many events per visitor; the oldest go first. */
export const maxEventsPerVisitor = 5000

/**
 * One shopper: their events (SQLite), their live segment membership, and an alarm at the
 * next moment time alone could change that membership.
 */
export class VisitorObject extends DurableObject<Env> {
  private readonly store: EventStore
  private events: StoredEvent[]
  private ids: Set<string>
  private history: History
  /** Copies of what key-value storage holds, read once: the hot path only compares. */
  private settingsVersion: string | undefined
  private segments: string[] = []

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.store = new EventStore(ctx.storage.sql)
    this.events = []
    this.ids = new Set()
    this.history = buildHistory([])
    this.load()
  }

  /** Stores new events (each id once), then answers the segments as of now. */
  async record(settings: SiteSettings, events: NewEvent[]): Promise<RecordResult> {
    const now = Date.now()
    let outcome: { counts: Omit<RecordResult, 'segments'>; membership: Membership }
    try {
      // One transaction: the events and the membership they lead to, or neither.
      outcome = this.ctx.storage.transactionSync(() => {
        this.remember(settings)
        const counts = this.insert(events, settings, now)
        return { counts, membership: this.evaluateAndStore(settings, now) }
      })
    } catch (error) {
      // Storage rolled back; bring what is in memory back in line with it.
      this.load()
      throw error
    }
    await this.schedule(outcome.membership.next, now)
    return { segments: outcome.membership.segments, ...outcome.counts }
  }

  /** The segments at `at` (epoch ms), or now when `at` is not given. */
  async segmentsAt(settings: SiteSettings, at?: number): Promise<string[]> {
    // A visitor with no events stores nothing, but rules such as "no purchase" still hold.
    if (at !== undefined || this.events.length === 0) {
      return compiledSegments(settings).evaluate(this.history, at ?? Date.now()).segments
    }
    // Alarms keep the stored membership current; only new settings make it stale.
    if (this.settingsVersion === settings.version) return this.segments
    return (await this.refresh(settings)).segments
  }

  /** Counts for tests and the state-size benchmark. */
  async stats(): Promise<{ events: number; storedRows: number; segments: string[] }> {
    return {
      events: this.events.length,
      storedRows: this.store.count(),
      segments: this.segments,
    }
  }

  /** Time has reached a moment when membership may change: evaluate again, set the next. */
  override async alarm(): Promise<void> {
    const settings = this.ctx.storage.kv.get<SiteSettings>('settings')
    // Alarms come at least once; evaluating again at the current time is always safe.
    if (settings !== undefined) await this.refresh(settings)
  }

  private load() {
    const kv = this.ctx.storage.kv
    this.settingsVersion = kv.get<SiteSettings>('settings')?.version
    this.segments = kv.get<string[]>('segments') ?? []
    this.events = this.store.all()
    this.ids = new Set(this.events.map((event) => event.id))
    this.history = buildHistory(this.events)
  }

  /**
   * Adds the events not seen before, keeping state bounded: nothing older than the retention
   * (measured back from the newest event, never from the future) and at most
   * `maxEventsPerVisitor` events, the oldest going first. An event that would go at once is
   * not stored at all, so importing the same long file twice stores nothing the second time.
   */
  private insert(events: NewEvent[], settings: SiteSettings, now: number) {
    const fresh: NewEvent[] = []
    const seen = new Set<string>()
    for (const event of events) {
      if (this.ids.has(event.id) || seen.has(event.id)) continue
      seen.add(event.id)
      fresh.push(event)
    }
    const duplicates = events.length - fresh.length
    if (fresh.length === 0) return { inserted: 0, duplicates, expired: 0 }

    let newest = 0
    for (const event of [...this.events, ...fresh]) newest = Math.max(newest, event.t)
    const cutoff = Math.min(newest, now) - this.retention(settings)
    const ranked = [
      ...this.events.map((stored) => ({ t: stored.t, id: stored.id, stored, event: undefined })),
      ...fresh.map((event) => ({ t: event.t, id: event.id, stored: undefined, event })),
    ].sort(byAge)
    let drop = 0
    while (drop < ranked.length && (ranked[drop]?.t ?? 0) < cutoff) drop++
    drop = Math.max(drop, ranked.length - maxEventsPerVisitor)

    let expired = 0
    const gone: StoredEvent[] = []
    for (const entry of ranked.slice(0, drop)) {
      if (entry.stored) gone.push(entry.stored)
      else expired++
    }
    this.store.delete(gone.map((event) => event.seq))
    for (const event of gone) this.ids.delete(event.id)

    this.events = ranked.slice(drop).map((entry) => {
      if (entry.stored) return entry.stored
      const event = entry.event as NewEvent
      this.ids.add(event.id)
      return { ...event, seq: this.store.insert(event) }
    })
    this.history = buildHistory(this.events)
    return { inserted: fresh.length - expired, duplicates, expired }
  }

  private retention(settings: SiteSettings): number {
    return Math.max(minimumRetentionMs, compiledSegments(settings).horizon)
  }

  /** Evaluates now, stores the membership and sets the alarm for the next possible change. */
  private async refresh(settings: SiteSettings): Promise<Membership> {
    const now = Date.now()
    const membership = this.ctx.storage.transactionSync(() => {
      this.remember(settings)
      return this.evaluateAndStore(settings, now)
    })
    await this.schedule(membership.next, now)
    return membership
  }

  private evaluateAndStore(settings: SiteSettings, now: number): Membership {
    const membership = compiledSegments(settings).evaluate(this.history, now)
    if (`${this.segments}` !== `${membership.segments}`) {
      this.ctx.storage.kv.put('segments', membership.segments)
      this.segments = membership.segments
    }
    return membership
  }

  /** One alarm, at the earliest moment any answer may turn; none when none can. */
  private async schedule(next: number, now: number) {
    if (!Number.isFinite(next)) return this.ctx.storage.deleteAlarm()
    // A moment past the longest window comes from a rule's far-off constant: look again then.
    await this.ctx.storage.setAlarm(Math.min(next, now + maxDurationMs))
  }

  private remember(settings: SiteSettings) {
    if (this.settingsVersion !== settings.version) {
      this.ctx.storage.kv.put('settings', settings)
      this.settingsVersion = settings.version
    }
  }
}
