import { bodyLimit } from 'hono/body-limit'
import { HttpError } from './errors'

/** Refuses bodies over `maxSize` bytes with 413 `body_too_large` before reading them. */
export function limitBody(maxSize: number, advice: string) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new HttpError(413, 'body_too_large', `send at most ${maxSize} bytes; ${advice}`)
    },
  })
}
