import { idPattern, limits, siteIdPattern } from '../../shared/events'
import { HttpError } from './errors'

/** A site id from a URL; the same rule as the batch schema's `site`. */
export function readSiteId(value: string | undefined, path: string): string {
  if (value === undefined || !siteIdPattern.test(value)) {
    throw new HttpError(
      422,
      'invalid_site',
      'a site id is 1-63 lower-case letters, digits and -, starting with a letter or digit',
      path,
    )
  }
  return value
}

/** A visitor id from a URL or body; the same rule as the batch schema's `visitor`. */
export function readVisitorId(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length > limits.idChars || !idPattern.test(value)) {
    throw new HttpError(
      422,
      'invalid_visitor',
      'a visitor id is 1-64 letters, digits and _ . : -',
      path,
    )
  }
  return value
}

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)$/

/**
 * An evaluation time: ISO 8601 with a zone (`2019-10-01T02:50:00Z`) or epoch milliseconds
 * (a number, or digits in a URL); `undefined` means now.
 */
export function readTime(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined
  let t = Number.NaN
  if (typeof value === 'number') t = value
  else if (typeof value === 'string' && /^\d{1,16}$/.test(value)) t = Number(value)
  else if (typeof value === 'string' && isoTime.test(value)) t = Date.parse(value)
  if (!Number.isInteger(t) || t < 0 || t > limits.maxTime) {
    throw new HttpError(
      422,
      'invalid_time',
      'give the time as ISO 8601, e.g. 2019-10-01T02:50:00Z, or epoch milliseconds',
      path,
    )
  }
  return t
}
