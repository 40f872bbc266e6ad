import {
  abortAllDurableObjects,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
} from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { settingsFrom } from '../../edge/site/settings'
import type { NewEvent } from '../../edge/visitor/visitor-object'
import { maxEventsPerVisitor, minimumRetentionMs } from '../../edge/visitor/visitor-object'
import { visitorObject } from '../../edge/visitors'
import { maxDurationMs } from '../../shared/rules/duration'
import { day, hour, minute } from './helpers'

let visitors = 0
function freshVisitor() {
  visitors++
  return visitorObject(env, 'object-tests', `v${visitors}-${Date.now()}`)
}

const starterSettings = () => settingsFrom({})

function event(id: string, type: NewEvent['type'], t: number, extra: Partial<NewEvent> = {}) {
  return { id, type, t, session: 's1', dwellFromNextEvent: false, ...extra } satisfies NewEvent
}

const alarmOf = (stub: ReturnType<typeof freshVisitor>) =>
  runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())

describe('time alone changes membership', () => {
  it('a cart turns abandoned 30 minutes after the last add, by alarm', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const addedAt = Date.now() - 30 * minute + 400
    const { segments } = await stub.record(settings, [event('c1', 'cart', addedAt)])
    expect(segments).not.toContain('cart_abandoner')
    expect(await alarmOf(stub)).toBe(addedAt + 30 * minute)

    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await stub.stats()).segments).toContain('cart_abandoner')
    // Next: the add leaves the 7-day window.
    expect(await alarmOf(stub)).toBe(addedAt + 7 * day)

    // Alarms are delivered at least once: running it again changes nothing.
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await stub.stats()).segments).toContain('cart_abandoner')
    expect(await alarmOf(stub)).toBe(addedAt + 7 * day)
  })

  it('keeps one alarm, at the earliest of the due times', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const now = Date.now()
    // Interest 9 in electronics falls below 8 after 72h * log2(9/8), about 12.2 hours;
    // the recent purchase leaves recent_buyer only after 7 days.
    const views = Array.from({ length: 9 }, (_, i) =>
      event(`v${i}`, 'view', now, { category: 'electronics.audio' }),
    )
    const { segments } = await stub.record(settings, [
      ...views,
      event('p', 'purchase', now - hour, { product: 'x', value: 1 }),
    ])
    expect(segments).toEqual([
      'buyer_still_browsing',
      'electronics_enthusiast',
      'quick_decider',
      'recent_buyer',
    ])
    expect(await alarmOf(stub)).toBe(Math.ceil(now + 72 * hour * Math.log2(9 / 8)))
  })

  it('clears the alarm when no answer can change with time', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    await stub.record(settings, [event('t', 'track', Date.now(), { name: 'signup' })])
    expect(await alarmOf(stub)).toBeNull()
    expect(await runDurableObjectAlarm(stub)).toBe(false)
  })
})

describe('state', () => {
  it('survives the object being evicted', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const now = Date.now()
    await stub.record(settings, [
      event('f', 'filter', now, { filter: 'price', option: '0-50' }),
      event('p', 'purchase', now, { product: 'x', value: 600 }),
    ])
    await abortAllDurableObjects()
    const again = freshVisitorLike(stub)
    const stats = await again.stats()
    expect(stats.events).toBe(2)
    expect(stats.segments).toEqual([
      'big_spender',
      'price_conscious',
      'quick_decider',
      'recent_buyer',
    ])
    // Still deduplicates after a restart: the ids came back from storage.
    const repeat = await again.record(settings, [event('f', 'filter', now, { filter: 'price' })])
    expect(repeat.duplicates).toBe(1)
  })

  it('stays bounded however long a visitor shops', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const start = Date.now() - 8000 * minute
    for (let batch = 0; batch < 8; batch++) {
      const events = Array.from({ length: 1000 }, (_, i) => {
        const n = batch * 1000 + i
        return event(`e${n}`, 'view', start + n * minute, { session: `s${Math.floor(n / 50)}` })
      })
      await stub.record(settings, events)
    }
    const stats = await stub.stats()
    expect(stats.events).toBe(maxEventsPerVisitor)
    expect(stats.storedRows).toBe(maxEventsPerVisitor)
    // The newest events are the ones kept, so recent windows still answer right.
    expect(stats.segments).toContain('repeat_browser')
  })

  it('drops history older than the retention', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const now = Date.now()
    const old = now - minimumRetentionMs - day
    const first = await stub.record(settings, [event('old', 'view', old)])
    expect(first.inserted).toBe(1)
    const second = await stub.record(settings, [event('new', 'view', now)])
    expect(second.inserted).toBe(1)
    expect((await stub.stats()).events).toBe(1)
    const late = await stub.record(settings, [event('older', 'view', old)])
    expect(late).toMatchObject({ inserted: 0, expired: 1 })
  })
})

describe('guards', () => {
  it('a re-sent history longer than the cap stores nothing the second time', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const start = Date.now() - 7000 * minute
    const events = Array.from({ length: 6000 }, (_, i) =>
      event(`e${i}`, 'view', start + i * minute),
    )
    const first = await stub.record(settings, events)
    expect(first).toMatchObject({ inserted: maxEventsPerVisitor, expired: 1000 })
    const again = await stub.record(settings, events)
    expect(again).toMatchObject({ inserted: 0, duplicates: 5000, expired: 1000 })
  })

  it('at the cap, drops the same one of events at the same moment every time', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const t = Date.now() - day
    const events = Array.from({ length: 5001 }, (_, i) => event(`e${i}`, 'view', t))
    expect(await stub.record(settings, events)).toMatchObject({ inserted: 5000, expired: 1 })
    for (let round = 0; round < 2; round++) {
      expect(await stub.record(settings, events)).toMatchObject({
        inserted: 0,
        duplicates: 5000,
        expired: 1,
      })
    }
  })

  it('never measures retention back from the future', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const now = Date.now()
    await stub.record(settings, [event('p', 'purchase', now - day, { value: 1, product: 'x' })])
    await stub.record(settings, [event('late', 'view', now + 200 * day)])
    expect((await stub.stats()).events).toBe(2)
    expect(await stub.segmentsAt(settings, now)).toContain('recent_buyer')
  })

  it('keeps far-off alarms within the longest window', async () => {
    const stub = freshVisitor()
    const settings = await settingsFrom({
      segments: [
        {
          id: 'faint',
          // Decays below its limit only after 80 half-lives: about 9 years from now.
          rule: {
            '>=': [{ decay: { events: {}, half_life: '40d', weights: { view: 1e12 } } }, 1e-12],
          },
        },
      ],
    })
    const now = Date.now()
    const { segments } = await stub.record(settings, [event('v', 'view', now)])
    expect(segments).toEqual(['faint'])
    const alarm = await alarmOf(stub)
    expect(alarm).toBeGreaterThan(now)
    expect(alarm).toBeLessThanOrEqual(Date.now() + maxDurationMs)
  })
})

describe('evaluation time', () => {
  it('answers as of a given time without changing stored membership', async () => {
    const stub = freshVisitor()
    const settings = await starterSettings()
    const t = Date.UTC(2019, 9, 1, 2, 0)
    await stub.record(settings, [event('c', 'cart', t)])
    expect(await stub.segmentsAt(settings, t + 29 * minute)).toEqual([])
    expect(await stub.segmentsAt(settings, t + 30 * minute)).toEqual(['cart_abandoner'])
    expect(await stub.segmentsAt(settings, t + 7 * day)).toEqual([])
    expect((await stub.stats()).segments).toEqual([])
  })
})

/** A new stub for the same object, as a later request would get after eviction. */
function freshVisitorLike(stub: ReturnType<typeof freshVisitor>) {
  return env.VISITORS.get(stub.id)
}
