/**
 * The wire format between the snippet and the edge, typed once for both sides.
 *
 * The snippet imports only the types (erased at build time, so zod never reaches the
 * browser); the edge validates every batch against `batchSchema`.
 */
import { z } from 'zod'

/** Hard limits on what one request may carry; the edge rejects anything larger. */
export const limits = {
  /** Bytes in one `/v1/collect` body; the browser's keepalive budget is 64 KiB. */
  collectBodyBytes: 64 * 1024,
  eventsPerBatch: 100,
  idChars: 64,
  textChars: 256,
  urlChars: 2048,
  propsPerEvent: 20,
  /** How far an event may sit in the future of the edge's clock once skew is removed. */
  futureSkewMs: 5 * 60 * 1000,
  /** The latest epoch millisecond a JavaScript date can hold. */
  maxTime: 8.64e15,
} as const

/** Event types; `view` is a product page view, `page` any other page. */
export const eventTypes = [
  'page',
  'view',
  'dwell',
  'cart',
  'remove',
  'filter',
  'purchase',
  'track',
] as const
export type EventType = (typeof eventTypes)[number]

/** Ids of visitors, sessions and events: letters, digits and `_ . : -`. */
export const idPattern = /^[A-Za-z0-9_.:-]+$/
/** Site ids: lower-case letters, digits and `-`, at most 63. */
export const siteIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/

const id = z
  .string()
  .min(1)
  .max(limits.idChars)
  .regex(idPattern, 'use letters, digits, and _ . : - only')
const text = z.string().max(limits.textChars)
const money = z.number().finite().min(0).max(1e9)

export const productSchema = z.strictObject({
  id: text.min(1).optional(),
  name: text.optional(),
  /** Dotted category path, e.g. `electronics.smartphone`. */
  category: text.optional(),
  brand: text.optional(),
  price: money.optional(),
  quantity: z.number().int().min(1).max(10_000).optional(),
})
export type Product = z.infer<typeof productSchema>

export const wireEventSchema = z.strictObject({
  /** Unique per event; a batch sent twice counts once. */
  id,
  type: z.enum(eventTypes),
  /** Client clock, epoch milliseconds; corrected by the batch's `sent` at the edge. */
  t: z.number().int().min(0).max(limits.maxTime),
  session: id,
  url: z.string().max(limits.urlChars).optional(),
  product: productSchema.optional(),
  /** For `dwell`: engaged milliseconds, and the id of the `page`/`view` they belong to. */
  dwell: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000)
    .optional(),
  ref: id.optional(),
  /** For `filter`: the facet (`price`, `sort`, `vendor`, ...) and its value. */
  filter: text.min(1).optional(),
  option: text.optional(),
  /** For `purchase`: the order id and its total. */
  order: text.optional(),
  value: money.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  /** For `track`: a custom event name and flat properties. */
  name: text.min(1).optional(),
  props: z
    .record(text, z.union([text, z.number().finite(), z.boolean()]))
    .refine((props) => Object.keys(props).length <= limits.propsPerEvent, {
      message: `at most ${limits.propsPerEvent} properties`,
    })
    .optional(),
})
export type WireEvent = z.infer<typeof wireEventSchema>

export const batchSchema = z.strictObject({
  /** The site id from the script tag's `data-site`. */
  site: z.string().regex(siteIdPattern, 'lower-case letters, digits and -, at most 63'),
  /** The anonymous visitor id kept by the snippet. */
  visitor: id,
  /** The browser's IANA time zone, e.g. `Europe/Paris`. */
  tz: text.optional(),
  /** The client clock when the batch left, to correct skew in each event's `t`. */
  sent: z.number().int().min(0).max(limits.maxTime),
  events: z.array(wireEventSchema).min(1).max(limits.eventsPerBatch),
})
export type Batch = z.infer<typeof batchSchema>

/** What `/v1/collect` answers: the visitor's live segment ids, sorted. */
export interface CollectResponse {
  segments: string[]
}

/** The body of every 4xx/5xx answer from the edge. */
export interface ErrorBody {
  error: {
    /** Stable snake_case code for programs. */
    code: string
    /** What went wrong and what to do about it, for people. */
    message: string
    /** Where in the input, as a JSON path (`events[3].t`) or CSV position (`row 12`). */
    path?: string
  }
}
