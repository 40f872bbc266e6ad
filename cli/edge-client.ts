import { setTimeout as sleep } from 'node:timers/promises'
import type { ErrorBody } from '../shared/events'
import { CliError } from './errors'

/** Where the edge is and how to authenticate to its admin API. */
export interface EdgeConfig {
  /** e.g. `http://127.0.0.1:8787`, without a trailing slash. */
  origin: string
  adminKey: string
  /** Whether the key came from the environment, to word a refusal correctly. */
  adminKeyFromEnv: boolean
}

/** How often and how patiently a request is retried when the edge is overloaded. */
export interface RetryPolicy {
  attempts: number
  firstDelayMs: number
  maxDelayMs: number
  /** Per attempt; an answer slower than this counts as a network failure. */
  timeoutMs: number
}

/**
 * Eight attempts over about 24 s ride out the local runtime evicting idle objects (10 s)
 * or reloading after a source change, without hiding an edge that is really down.
 */
export const defaultRetry: RetryPolicy = {
  attempts: 8,
  firstDelayMs: 250,
  maxDelayMs: 8000,
  timeoutMs: 120_000,
}

/** An error answer (4xx, or 5xx after every retry) from the edge. */
export class EdgeError extends CliError {
  constructor(
    readonly status: number,
    readonly body: ErrorBody['error'] | undefined,
    readonly action: string,
    /** The answer's text when it is not the contract's error shape. */
    readonly text = '',
  ) {
    super(describeRefusal(status, body, action, text))
    this.name = 'EdgeError'
  }
}

// The local runtime answers 503 while it restarts; 429 and gateway errors are transient.
// A 500 is retried too: every admin request is safe to repeat (import is idempotent, the
// rest only read), and the local runtime fails with 500 while it holds too many visitor
// objects at once (SQLITE_NOMEM), until idle ones are evicted.
const retryableStatus = new Set([429, 500, 502, 503, 504])

/** A client for the edge's HTTP API that retries overload with exponential back-off. */
export class EdgeClient {
  /** Attempts repeated so far, shown in progress lines. */
  retries = 0

  constructor(
    readonly config: EdgeConfig,
    readonly retry: RetryPolicy = defaultRetry,
  ) {}

  /** Fails fast, saying how to start the edge, when nothing answers at the origin. */
  async ensureReachable(): Promise<void> {
    const url = `${this.config.origin}/v1/health`
    let response: Response
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
    } catch (error) {
      throw this.unreachable(error)
    }
    await response.body?.cancel()
    if (!response.ok) {
      throw new CliError(
        `${url} answered HTTP ${response.status}; is a Telltale edge running at ` +
          `${this.config.origin}?`,
      )
    }
  }

  /** Sends one admin request and parses its JSON answer; `action` names it in errors. */
  async admin<T>(action: string, method: string, path: string, body?: RequestBody): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.config.adminKey}` }
    if (body) headers['content-type'] = body.type
    const response = await this.send(`${this.config.origin}${path}`, {
      method,
      headers,
      body: body?.text,
    })
    if (response.ok) return (await response.json()) as T
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel()
      throw new CliError(this.keyRefused(response.status))
    }
    const text = await response.text()
    const error = contractError(text)
    const retried = retryableStatus.has(response.status)
    const note = retried ? `after ${this.retry.attempts} attempts: ${text}` : text
    throw new EdgeError(response.status, error, action, error ? '' : note)
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response | undefined
      let failure: unknown
      try {
        response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.retry.timeoutMs) })
        if (!retryableStatus.has(response.status)) return response
      } catch (error) {
        failure = error
      }
      if (attempt >= this.retry.attempts) {
        if (response) return response
        throw this.unreachable(failure)
      }
      const wait = this.backoff(attempt, response?.headers.get('retry-after'))
      await response?.body?.cancel()
      this.retries++
      await sleep(wait)
    }
  }

  /**
   * Exponential back-off with jitter; `Retry-After` is a floor, not the whole wait, since an
   * edge that keeps asking for one second can stay busy for longer than the attempts last.
   */
  private backoff(attempt: number, retryAfter: string | null | undefined): number {
    const ceiling = Math.min(this.retry.firstDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs)
    // Jitter keeps requests that failed together from retrying together.
    const exponential = ceiling / 2 + Math.random() * (ceiling / 2)
    const asked = Number(retryAfter) * 1000
    return asked > 0 ? Math.min(Math.max(asked, exponential), this.retry.maxDelayMs) : exponential
  }

  private unreachable(error: unknown): CliError {
    return new CliError(
      `cannot reach the edge at ${this.config.origin} (${networkReason(error)}). ` +
        'Start it with `npm start` in the telltale folder, or point to a running one with ' +
        '--edge URL or TELLTALE_EDGE.',
    )
  }

  private keyRefused(status: number): string {
    const which = this.config.adminKeyFromEnv
      ? 'the admin key in TELLTALE_ADMIN_KEY'
      : 'the local development admin key (TELLTALE_ADMIN_KEY is not set)'
    const fix = "set TELLTALE_ADMIN_KEY to the site's admin key"
    return `the edge refused ${which} with HTTP ${status}; ${fix}`
  }
}

/** A request body and its media type. */
export interface RequestBody {
  text: string
  type: string
}

function contractError(text: string): ErrorBody['error'] | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>
    if (typeof parsed.error?.code === 'string') return parsed.error
  } catch {
    // Not the contract's error shape (a proxy page, say); the status alone is reported.
  }
  return undefined
}

function describeRefusal(
  status: number,
  body: ErrorBody['error'] | undefined,
  action: string,
  text: string,
) {
  if (!body) {
    const detail = text.trim().replace(/\s+/g, ' ').slice(0, 300)
    return `${action}: the edge answered HTTP ${status}${detail ? ` ${detail}` : ''}`
  }
  const where = body.path ? ` (at ${body.path})` : ''
  return `${action}: the edge answered HTTP ${status} ${body.code}: ${body.message}${where}`
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time'
  // fetch wraps the socket's error (ECONNREFUSED, ...) in a generic "fetch failed".
  const cause =
    error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}
