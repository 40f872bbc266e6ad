import { describe, expect, it } from 'vitest'
import { compileSegments, starterSegments } from '../../shared/segments/definitions'
import { day, type EventSpec, historyOf, hour, minute, T } from './helpers'

const starter = compileSegments(starterSegments)

/** One case: the events (times relative to T), and whether the segment holds at T. */
interface Case {
  name: string
  events: EventSpec[]
  member: boolean
}

const at = (offset: number) => T + offset
const view = (offset: number, extra: Partial<EventSpec> = {}): EventSpec => ({
  type: 'view',
  t: at(offset),
  ...extra,
})
const cart = (offset: number, extra: Partial<EventSpec> = {}): EventSpec => ({
  type: 'cart',
  t: at(offset),
  ...extra,
})
const purchase = (offset: number, extra: Partial<EventSpec> = {}): EventSpec => ({
  type: 'purchase',
  t: at(offset),
  ...extra,
})
const phone = { category: 'electronics.smartphone' }

const table: Record<string, Case[]> = {
  cart_abandoner: [
    { name: 'latest add exactly 30 min before T', events: [cart(-30 * minute)], member: true },
    { name: 'latest add 1 ms short of 30 min', events: [cart(-30 * minute + 1)], member: false },
    { name: 'add exactly 7 days before T is outside', events: [cart(-7 * day)], member: false },
    { name: 'add just inside 7 days', events: [cart(-7 * day + 1)], member: true },
    {
      name: 'purchase at the same moment as the add',
      events: [cart(-hour), purchase(-hour)],
      member: false,
    },
    { name: 'purchase before the add', events: [purchase(-2 * hour), cart(-hour)], member: true },
    { name: 'purchase after the add', events: [cart(-2 * hour), purchase(-hour)], member: false },
    {
      name: 'an older add does not count once a newer one is recent',
      events: [cart(-2 * hour), cart(-10 * minute)],
      member: false,
    },
    {
      name: 'an add after T does not exist yet',
      events: [cart(-40 * minute), cart(minute)],
      member: true,
    },
    { name: 'no add at all', events: [view(-hour)], member: false },
  ],
  recent_buyer: [
    { name: 'purchase at T', events: [purchase(0)], member: true },
    { name: 'purchase just inside 7 days', events: [purchase(-7 * day + 1)], member: true },
    { name: 'purchase exactly 7 days before', events: [purchase(-7 * day)], member: false },
    { name: 'purchase after T', events: [purchase(1)], member: false },
  ],
  buyer_still_browsing: [
    {
      name: 'two views after the purchase',
      events: [purchase(-day), view(-day + 1), view(-hour)],
      member: true,
    },
    { name: 'one view after', events: [purchase(-day), view(-hour)], member: false },
    {
      name: 'views at the purchase moment are not after it',
      events: [purchase(-day), view(-day), view(-day), view(-hour)],
      member: false,
    },
    {
      name: 'views must follow the latest purchase',
      events: [purchase(-2 * day), view(-36 * hour), view(-30 * hour), purchase(-day), view(-hour)],
      member: false,
    },
    {
      name: 'purchase outside 7 days',
      events: [purchase(-7 * day), view(-day), view(-hour)],
      member: false,
    },
  ],
  repeat_browser: [
    {
      name: 'views in two sessions',
      events: [view(-2 * hour, { session: 'a' }), view(-hour, { session: 'b' })],
      member: true,
    },
    {
      name: 'two views in one session',
      events: [view(-2 * hour, { session: 'a' }), view(-hour, { session: 'a' })],
      member: false,
    },
    {
      name: 'second session exactly 7 days ago',
      events: [view(-7 * day, { session: 'a' }), view(-hour, { session: 'b' })],
      member: false,
    },
    {
      name: 'second session just inside 7 days',
      events: [view(-7 * day + 1, { session: 'a' }), view(-hour, { session: 'b' })],
      member: true,
    },
    {
      name: 'the other session only added to cart',
      events: [cart(-2 * hour, { session: 'a' }), view(-hour, { session: 'b' })],
      member: false,
    },
  ],
  smartphone_researcher: [
    {
      name: 'measured dwell of exactly 5 min',
      events: [
        view(-hour, { ...phone, id: 'v' }),
        { type: 'dwell', t: at(-minute), ref: 'v', dwell: 5 * minute },
      ],
      member: true,
    },
    {
      name: 'measured dwell 1 ms short',
      events: [
        view(-hour, { ...phone, id: 'v' }),
        { type: 'dwell', t: at(-minute), ref: 'v', dwell: 5 * minute - 1 },
      ],
      member: false,
    },
    {
      name: 'dwell reported after T is not known at T',
      events: [
        view(-hour, { ...phone, id: 'v' }),
        { type: 'dwell', t: at(minute), ref: 'v', dwell: 10 * minute },
      ],
      member: false,
    },
    {
      name: 'a deeper category counts',
      events: [
        view(-hour, { category: 'electronics.smartphone.case', id: 'v' }),
        { type: 'dwell', t: at(-minute), ref: 'v', dwell: 6 * minute },
      ],
      member: true,
    },
    {
      name: 'a category that only shares a prefix does not',
      events: [
        view(-hour, { category: 'electronics.smartphones', id: 'v' }),
        { type: 'dwell', t: at(-minute), ref: 'v', dwell: 6 * minute },
      ],
      member: false,
    },
    {
      name: 'imported view: dwell is the gap to the next event in the session',
      events: [view(-10 * minute, { ...phone, dwellFromNextEvent: true }), view(-5 * minute)],
      member: true,
    },
    {
      name: 'imported view: the next event in another session does not count',
      events: [
        view(-10 * minute, { ...phone, dwellFromNextEvent: true }),
        view(-5 * minute, { session: 'other' }),
      ],
      member: false,
    },
    {
      name: 'imported view: a next event after T is not known at T',
      events: [view(-10 * minute, { ...phone, dwellFromNextEvent: true }), view(minute)],
      member: false,
    },
    {
      name: 'imported views: nine short gaps add up to 5 min',
      events: [
        ...Array.from({ length: 10 }, (_, i) =>
          view(-hour + i * 33_334, { ...phone, dwellFromNextEvent: true }),
        ),
      ],
      member: true,
    },
    {
      name: 'imported view: window is on the view, 7 days exactly is outside',
      events: [view(-7 * day, { ...phone, dwellFromNextEvent: true }), view(-7 * day + hour)],
      member: false,
    },
  ],
  electronics_enthusiast: [
    {
      name: '8 views at T score exactly 8',
      events: Array.from({ length: 8 }, () => view(0, { category: 'electronics.audio' })),
      member: true,
    },
    {
      name: '8 views 1 ms before T score just under 8',
      events: Array.from({ length: 8 }, () => view(-1, { category: 'electronics' })),
      member: false,
    },
    {
      name: 'purchase 5 plus cart 3 at T',
      events: [purchase(0, { category: 'electronics' }), cart(0, { category: 'electronics' })],
      member: true,
    },
    {
      name: '16 views one half-life ago score 8',
      events: Array.from({ length: 16 }, () => view(-72 * hour, { category: 'electronics' })),
      member: true,
    },
    {
      name: 'other categories add nothing',
      events: Array.from({ length: 20 }, () => view(0, { category: 'appliances' })),
      member: false,
    },
  ],
  lunch_browser: [
    {
      name: 'three views at 12:00-13:59 local',
      events: [
        view(-hour, { localHour: 12 }),
        view(-day, { localHour: 13 }),
        view(-2 * day, { localHour: 13 }),
      ],
      member: true,
    },
    {
      name: 'a view at 14:00 is past lunch',
      events: [
        view(-hour, { localHour: 12 }),
        view(-day, { localHour: 13 }),
        view(-2 * day, { localHour: 14 }),
      ],
      member: false,
    },
    {
      name: 'a view at 11:59 is before lunch',
      events: [
        view(-hour, { localHour: 11 }),
        view(-day, { localHour: 13 }),
        view(-2 * day, { localHour: 12 }),
      ],
      member: false,
    },
    {
      name: 'a view exactly 14 days ago is outside',
      events: [
        view(-14 * day, { localHour: 12 }),
        view(-day, { localHour: 13 }),
        view(-2 * day, { localHour: 12 }),
      ],
      member: false,
    },
    {
      name: 'a view just inside 14 days counts',
      events: [
        view(-14 * day + 1, { localHour: 12 }),
        view(-day, { localHour: 13 }),
        view(-2 * day, { localHour: 12 }),
      ],
      member: true,
    },
  ],
  quick_decider: [
    {
      name: 'viewed and bought in one session',
      events: [view(-hour, { product: 'p1' }), purchase(-30 * minute, { product: 'p1' })],
      member: true,
    },
    {
      name: 'seen in an earlier session',
      events: [
        view(-2 * day, { product: 'p1', session: 'a' }),
        purchase(-hour, { product: 'p1', session: 'b' }),
      ],
      member: false,
    },
    {
      name: 'seen in another session after T does not exist yet',
      events: [
        purchase(-hour, { product: 'p1', session: 'b' }),
        view(hour, { product: 'p1', session: 'c' }),
      ],
      member: true,
    },
    {
      name: 'one quick purchase among slow ones is enough',
      events: [
        view(-3 * day, { product: 'slow', session: 'a' }),
        purchase(-hour, { product: 'slow', session: 'b' }),
        purchase(-hour, { product: 'quick', session: 'b' }),
      ],
      member: true,
    },
    {
      name: 'purchase exactly 30 days ago is outside',
      events: [purchase(-30 * day, { product: 'p1' })],
      member: false,
    },
    {
      name: 'purchase just inside 30 days',
      events: [purchase(-30 * day + 1, { product: 'p1' })],
      member: true,
    },
  ],
  big_spender: [
    {
      name: 'purchases adding up to 500',
      events: [purchase(-day, { value: 300 }), purchase(-hour, { value: 200 })],
      member: true,
    },
    {
      name: 'one cent short',
      events: [purchase(-day, { value: 300 }), purchase(-hour, { value: 199.99 })],
      member: false,
    },
    {
      name: 'a purchase exactly 30 days ago does not count',
      events: [purchase(-30 * day, { value: 300 }), purchase(-hour, { value: 200 })],
      member: false,
    },
  ],
  price_conscious: [
    {
      name: 'a price filter',
      events: [{ type: 'filter', t: at(-day), filter: 'price', option: '0-50' }],
      member: true,
    },
    {
      name: 'a sort by price ascending',
      events: [{ type: 'filter', t: at(-day), filter: 'sort', option: 'price_asc' }],
      member: true,
    },
    {
      name: 'a sort by price descending',
      events: [{ type: 'filter', t: at(-day), filter: 'sort', option: 'price_desc' }],
      member: false,
    },
    {
      name: 'another facet',
      events: [{ type: 'filter', t: at(-day), filter: 'vendor', option: 'acme' }],
      member: false,
    },
    {
      name: 'a price filter exactly 7 days ago',
      events: [{ type: 'filter', t: at(-7 * day), filter: 'price', option: '0-50' }],
      member: false,
    },
  ],
}

describe('starter segments', () => {
  it('has a table for every starter segment', () => {
    expect(Object.keys(table).sort()).toEqual(starter.ids)
  })

  for (const [segment, cases] of Object.entries(table)) {
    describe(segment, () => {
      it.each(cases)('$name', ({ events, member }) => {
        const { segments } = starter.evaluate(historyOf(events), T)
        expect(segments.includes(segment)).toBe(member)
      })
    })
  }
})
