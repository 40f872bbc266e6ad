import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * An answer the client caused and can fix: a status, a stable snake_case code, a message
 * saying what to do, and where in the input (a JSON path or a CSV row and column).
 */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message)
    this.name = 'HttpError'
  }

  toBody() {
    const error: { code: string; message: string; path?: string } = {
      code: this.code,
      message: this.message,
    }
    if (this.path !== undefined) error.path = this.path
    return { error }
  }
}

/** A zod issue path such as `["events", 2, "t"]` written as `events[2].t`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`
    else text += text === '' ? String(step) : `.${String(step)}`
  }
  return text || '$'
}

/** The body parsed as JSON, or a 400 `invalid_json` that says so. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return JSON.parse(await request.text())
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not JSON; send a JSON document')
  }
}
