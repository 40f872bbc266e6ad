import { type Batch, batchSchema, limits, type WireEvent } from '../../shared/events'
import { HttpError, jsonPath } from '../http/errors'
import { isTimeZone, localTime } from '../visitor/local-time'
import type { NewEvent } from '../visitor/visitor-object'

/** Validates a parsed `/v1/collect` body; throws an HttpError naming the bad field. */
export function parseBatch(json: unknown): Batch {
  const result = batchSchema.safeParse(json)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new HttpError(
      422,
      'invalid_batch',
      issue?.message ?? 'the batch does not match the schema',
      jsonPath(issue?.path ?? []),
    )
  }
  if (result.data.tz !== undefined && !isTimeZone(result.data.tz)) {
    throw new HttpError(422, 'invalid_batch', 'tz is not an IANA time zone name', 'tz')
  }
  return result.data
}

/**
 * Turns a browser batch into events to store: client clocks corrected by the batch's own
 * send time, local time in the browser's zone (else the site's), money worked out.
 */
export function browserEvents(batch: Batch, siteTimeZone: string, now: number): NewEvent[] {
  const skew = now - batch.sent
  const timeZone = batch.tz ?? siteTimeZone
  return batch.events.map((event, index) => {
    const t = event.t + skew
    if (t < 0) {
      throw new HttpError(
        422,
        'invalid_batch',
        'the event is older than the epoch once the clock is corrected; check sent and t',
        `events[${index}].t`,
      )
    }
    if (t > now + limits.futureSkewMs) {
      throw new HttpError(
        422,
        'invalid_batch',
        'the event is later than the batch was sent; set sent to the send time',
        `events[${index}].t`,
      )
    }
    // A clock a little ahead is trusted no further than the edge's own.
    const at = Math.min(t, now)
    const local = localTime(at, timeZone)
    return {
      id: event.id,
      t: at,
      type: event.type,
      session: event.session,
      product: event.product?.id,
      category: event.product?.category,
      brand: event.product?.brand,
      price: event.product?.price,
      quantity: event.product?.quantity,
      value: worth(event),
      filter: event.filter,
      option: event.option,
      name: event.name,
      localHour: local.hour,
      localWeekday: local.weekday,
      ref: event.ref,
      dwell: event.dwell,
      dwellFromNextEvent: false,
    }
  })
}

/** Price times quantity when the event names a product with a price, else its own value. */
function worth(event: WireEvent): number | undefined {
  const price = event.product?.price
  if (price === undefined) return event.value
  return price * (event.product?.quantity ?? 1)
}
