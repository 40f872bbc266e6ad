/**
 * Real Chromium for the snippet's tests, shut off from everything but loopback, plus a small
 * static server for storefront fixtures and the pages the tests write.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core'
import { expect } from 'vitest'
import { devAdminKey } from '../../scripts/local-edge'
import type { Batch, WireEvent } from '../../shared/events'

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  })
}

/**
 * A loopback proxy in front of the edge that records every `/v1/collect` batch. Beacons sent
 * as a page unloads bypass Playwright's request events and routes, so the server side is the
 * only place that sees everything the snippet sends.
 */
export interface Recorder {
  origin: string
  batches: Batch[]
  /** The edge's status for each recorded batch, in the same order. */
  statuses: number[]
  close(): Promise<void>
}

// Hop-by-hop and encoding headers that must not be copied between the two connections.
const unforwarded = new Set([
  'host',
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'accept-encoding',
  'keep-alive',
])

export async function startRecorder(edge: string): Promise<Recorder> {
  const batches: Batch[] = []
  const statuses: number[] = []
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const headers = new Headers()
    for (const [name, value] of Object.entries(request.headers)) {
      if (!unforwarded.has(name) && typeof value === 'string') headers.set(name, value)
    }
    const method = request.method ?? 'GET'
    const url = new URL(request.url ?? '/', edge)
    const isBatch = method === 'POST' && url.pathname === '/v1/collect'
    if (isBatch) batches.push(JSON.parse(body.toString()))
    const answer = await fetch(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
      redirect: 'manual',
    })
    if (isBatch) statuses.push(answer.status)
    const out: Record<string, string | string[]> = {}
    answer.headers.forEach((value, name) => {
      if (!unforwarded.has(name) && name !== 'set-cookie') out[name] = value
    })
    if (answer.headers.getSetCookie().length) out['set-cookie'] = answer.headers.getSetCookie()
    response.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    batches,
    statuses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

export interface Shopper {
  context: BrowserContext
  page: Page
  /** Uncaught errors and unhandled rejections of every page in the context. */
  errors: Error[]
  /** This shopper's batches as the recorder received them, in order. */
  batches(): Promise<Batch[]>
  /** The events of this shopper's batches, in order. */
  events(): Promise<WireEvent[]>
}

/** A fresh browser profile (no storage) whose requests can reach loopback only. */
export async function newShopper(
  browser: Browser,
  recorder: Recorder,
  options: BrowserContextOptions = {},
): Promise<Shopper> {
  const context = await browser.newContext(options)
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url())
    return hostname === '127.0.0.1' || hostname === 'localhost' ? route.continue() : route.abort()
  })
  const errors: Error[] = []
  context.on('page', (page) => page.on('pageerror', (error) => errors.push(error)))
  const page = await context.newPage()
  let visitor: string | undefined
  const batches = async () => {
    visitor ??= await visitorOf(page)
    return recorder.batches.filter((batch) => batch.visitor === visitor)
  }
  const events = async () => (await batches()).flatMap((batch) => batch.events)
  return { context, page, errors, batches, events }
}

/** Polls longer than the snippet's one-second send delay plus a round trip to the edge. */
export const eventually = <T>(read: () => T) => expect.poll(read, { timeout: 10_000 })

/** The tag a merchant pastes, pointing at a running edge. */
export const snippetTag = (edge: string, site: string) =>
  `<script async src="${edge}/t.js" data-site="${site}"></script>`

/** The documented stub that queues calls made before the snippet has loaded. */
export const queueStub =
  '<script>window.telltale=window.telltale||function(){(telltale.q=telltale.q||[]).push(arguments)}</script>'

/** A site id nobody else in this run uses, so that each test reads only its own visitors. */
export const uniqueSite = (name: string) =>
  `${name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/** The visitor id the snippet keeps in this page's storage. */
export const visitorOf = (page: Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('telltale') ?? '{}').v as string | undefined)

/** Segments of visitors as the edge's admin API reports them now. */
export async function lookup(edge: string, site: string, visitor: string): Promise<string[]> {
  const response = await fetch(`${edge}/v1/sites/${site}/lookup`, {
    method: 'POST',
    headers: { authorization: `Bearer ${devAdminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ visitors: [visitor] }),
  })
  if (!response.ok) throw new Error(`lookup answered ${response.status}: ${await response.text()}`)
  const body = (await response.json()) as { visitors: { segments: string[] }[] }
  return body.visitors[0].segments
}

export interface StaticServer {
  origin: string
  close(): Promise<void>
}

export interface StaticOptions {
  /** Folder whose files are served; paths outside it are refused. */
  root?: string
  /** Pages written by the test, by path, served before any file. */
  pages?: Record<string, string>
  /** Rewrites every HTML document on its way out. */
  rewriteHtml?: (html: string) => string
  /** Answers requests the test handles itself; returns false to fall through to files. */
  handle?: (request: IncomingMessage, response: ServerResponse) => boolean
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
}

/** Serves a folder and written pages on a free loopback port, as a storefront would. */
export async function serveStatic(options: StaticOptions): Promise<StaticServer> {
  const server = createServer(async (request, response) => {
    if (options.handle?.(request, response)) return
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    const file = path.endsWith('/') ? `${path}index.html` : path
    let body: Buffer | string | undefined = options.pages?.[file]
    if (body === undefined && options.root) {
      const full = normalize(join(options.root, file))
      if (full.startsWith(normalize(options.root)))
        body = await readFile(full).catch(() => undefined)
    }
    if (body === undefined) {
      response.writeHead(404).end('not found')
      return
    }
    const type = types[extname(file)] ?? 'application/octet-stream'
    if (type.startsWith('text/html') && options.rewriteHtml) {
      body = options.rewriteHtml(body.toString())
    }
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
