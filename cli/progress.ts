/** Where progress lines go: stderr in the CLI. */
export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
}

/**
 * Progress on stderr: a line rewritten in place on a terminal, and at most one line every
 * few seconds in a log, so neither floods.
 */
export class Progress {
  private readonly started = performance.now()
  private lastShown = Number.NEGATIVE_INFINITY
  private pending = false

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
  ) {}

  /** Seconds since this progress began, one decimal. */
  elapsed(): string {
    return `${((performance.now() - this.started) / 1000).toFixed(1)} s`
  }

  /** Shows `text` unless a line was shown too recently. */
  update(text: string): void {
    const now = performance.now()
    const interval = this.stream.isTTY ? 200 : 5000
    if (now - this.lastShown < interval) return
    this.lastShown = now
    this.show(text)
  }

  /** Shows the final line for this step. */
  done(text: string): void {
    this.show(text)
    if (this.pending) this.stream.write('\n')
    this.pending = false
  }

  private show(text: string): void {
    const line = `${this.label}: ${text}, ${this.elapsed()}`
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[K${line}`)
      this.pending = true
    } else {
      this.stream.write(`${line}\n`)
    }
  }
}

/** `12345` → `12,345`, for progress lines. */
export function count(n: number): string {
  return n.toLocaleString('en-US')
}

/** `, 3 retries` when requests were repeated, else nothing. */
export function retriesNote(retries: number): string {
  return retries > 0 ? `, ${count(retries)} retries` : ''
}
