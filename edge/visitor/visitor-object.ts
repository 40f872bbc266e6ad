import { DurableObject } from 'cloudflare:workers'
import type { History } from '../../shared/rules/history'
import type { Membership } from '../../shared/segments/definitions'
import type { Env } from '../env'
import { compiledSegments, type SiteSettings } from '../site/settings'
import { EventStore } from './event-store'
import { buildHistory, type StoredEvent } from './timeline'

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
  private readonly ids: Set<string>
  private history: History

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.store = new EventStore(ctx.storage.sql)
    this.events = this.store.all()
    this.ids = new Set(this.events.map((event) => event.id))
    this.history = buildHistory(this.events)
  }

  /** Stores new events (each id once), then answers the segments as of now. */
  async record(settings: SiteSettings, events: NewEvent[]): Promise<RecordResult> {
    this.remember(settings)
    const counts = this.ctx.storage.transactionSync(() => this.insert(events, settings))
    const membership = await this.refresh(settings)
    return { segments: membership.segments, ...counts }
  }

  /** The segments at `at` (epoch ms; default now), without changing anything. */
  async segmentsAt(settings: SiteSettings, at: number = Date.now()): Promise<string[]> {
    return compiledSegments(settings).evaluate(this.history, at).segments
  }

  /** Counts for tests and the state-size benchmark. */
  async stats(): Promise<{ events: number; storedRows: number; segments: string[] }> {
    return {
      events: this.events.length,
      storedRows: this.store.count(),
      segments: this.ctx.storage.kv.get<string[]>('segments') ?? [],
    }
  }

  /** Time has reached a moment when membership may change: evaluate again, set the next. */
  override async alarm(): Promise<void> {
    const settings = this.ctx.storage.kv.get<SiteSettings>('settings')
    // Alarms come at least once; evaluating again at the current time is always safe.
    if (settings !== undefined) await this.refresh(settings)
  }

  private insert(events: NewEvent[], settings: SiteSettings) {
    let newest = this.events.reduce((latest, event) => Math.max(latest, event.t), 0)
    for (const event of events) newest = Math.max(newest, event.t)
    const cutoff = newest - this.retention(settings)
    let inserted = 0
    let duplicates = 0
    let expired = 0
    for (const event of events) {
      if (this.ids.has(event.id)) duplicates++
      else if (event.t < cutoff) expired++
      else {
        const seq = this.store.insert(event)
        this.events.push({ ...event, seq })
        this.ids.add(event.id)
        inserted++
      }
    }
    if (inserted > 0) {
      this.compact(cutoff)
      this.history = buildHistory(this.events)
    }
    return { inserted, duplicates, expired }
  }

  /** Keeps state bounded: drop events past the retention, then the oldest over the cap. */
  private compact(cutoff: number) {
    this.events.sort((a, b) => a.t - b.t || a.seq - b.seq)
    let drop = 0
    while (drop < this.events.length && (this.events[drop] as StoredEvent).t < cutoff) drop++
    drop = Math.max(drop, this.events.length - maxEventsPerVisitor)
    if (drop === 0) return
    const dropped = this.events.splice(0, drop)
    this.store.delete(dropped.map((event) => event.seq))
    for (const event of dropped) this.ids.delete(event.id)
  }

  private retention(settings: SiteSettings): number {
    return Math.max(minimumRetentionMs, compiledSegments(settings).horizon)
  }

  /** Evaluates now, stores the membership, and sets the alarm for the next possible change. */
  private async refresh(settings: SiteSettings): Promise<Membership> {
    const now = Date.now()
    const membership = compiledSegments(settings).evaluate(this.history, now)
    const kv = this.ctx.storage.kv
    if (JSON.stringify(kv.get('segments') ?? []) !== JSON.stringify(membership.segments)) {
      kv.put('segments', membership.segments)
    }
    if (Number.isFinite(membership.next)) await this.ctx.storage.setAlarm(membership.next)
    else await this.ctx.storage.deleteAlarm()
    return membership
  }

  private remember(settings: SiteSettings) {
    const kv = this.ctx.storage.kv
    if (kv.get<SiteSettings>('settings')?.version !== settings.version) {
      kv.put('settings', settings)
    }
  }
}
