import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EdgeClient, EdgeError } from '../../cli/edge-client'
import { CliError } from '../../cli/errors'
import { mapLimit } from '../../cli/pool'

// A stand-in edge on loopback whose next answers each test scripts.
type Answer = (request: IncomingMessage, response: ServerResponse) => void
let answers: Answer[] = []
let seen: { method?: string; url?: string; auth?: string; body: string }[] = []
const server = createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => {
    body += chunk
  })
  request.on('end', () => {
    seen.push({
      method: request.method,
      url: request.url,
      auth: request.headers.authorization,
      body,
    })
    const answer = answers.shift() ?? json(200, { ok: true })
    answer(request, response)
  })
})
let origin = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))
beforeEach(() => {
  answers = []
  seen = []
})

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers })
    response.end(JSON.stringify(body))
  }
}
const hangUp: Answer = (request) => request.socket.destroy()

const fastRetry = { attempts: 3, firstDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
function client(adminKeyFromEnv = false) {
  return new EdgeClient({ origin, adminKey: 'secret', adminKeyFromEnv }, fastRetry)
}

describe('EdgeClient', () => {
  it('sends the admin key and body, and parses the answer', async () => {
    answers = [json(200, { rows: 2 })]
    const answer = await client().admin('import', 'POST', '/v1/x', {
      text: 'a,b',
      type: 'text/csv',
    })
    expect(answer).toEqual({ rows: 2 })
    expect(seen).toEqual([{ method: 'POST', url: '/v1/x', auth: 'Bearer secret', body: 'a,b' }])
  })

  it('retries 503, 429 and dropped connections, then succeeds', async () => {
    answers = [json(503, {}), json(429, {}, { 'retry-after': '0' }), json(200, { rows: 1 })]
    const edge = client()
    await expect(edge.admin('import', 'POST', '/v1/x')).resolves.toEqual({ rows: 1 })
    expect(edge.retries).toBe(2)
    answers = [hangUp, json(200, { rows: 3 })]
    await expect(edge.admin('import', 'POST', '/v1/x')).resolves.toEqual({ rows: 3 })
  })

  it('gives up after the last attempt with the status', async () => {
    const restarted: Answer = (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' })
      response.end('Your worker restarted\nmid-request.')
    }
    answers = [restarted, restarted, restarted, json(200, {})]
    const failure = await client()
      .admin('import', 'POST', '/v1/x')
      .catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(EdgeError)
    expect((failure as EdgeError).message).toBe(
      'import: the edge answered HTTP 503 after 3 attempts: Your worker restarted mid-request.',
    )
    expect(seen).toHaveLength(3)
  })

  it("reports a 4xx once, with the edge's code, message and path", async () => {
    const error = { code: 'invalid_row', message: 'price is not a number', path: 'row 2' }
    answers = [json(422, { error })]
    const failure = await client()
      .admin('import', 'POST', '/v1/x')
      .catch((e: unknown) => e)
    expect((failure as EdgeError).message).toBe(
      'import: the edge answered HTTP 422 invalid_row: price is not a number (at row 2)',
    )
    expect(seen).toHaveLength(1)
  })

  it('names the environment variable when the key is refused', async () => {
    answers = [json(401, {}), json(401, {})]
    const fromDefault = await client(false)
      .admin('lookup', 'POST', '/v1/x')
      .catch((e) => e)
    expect((fromDefault as CliError).message).toMatch(/TELLTALE_ADMIN_KEY is not set/)
    const fromEnv = await client(true)
      .admin('lookup', 'POST', '/v1/x')
      .catch((e) => e)
    expect((fromEnv as CliError).message).toMatch(/the admin key in TELLTALE_ADMIN_KEY/)
  })

  it('says how to start the edge when nothing listens', async () => {
    const vacated = createServer()
    await new Promise<void>((resolve) => vacated.listen(0, '127.0.0.1', resolve))
    const port = (vacated.address() as AddressInfo).port
    await new Promise((resolve) => vacated.close(resolve))
    const closed = new EdgeClient(
      { origin: `http://127.0.0.1:${port}`, adminKey: 'k', adminKeyFromEnv: false },
      fastRetry,
    )
    const failure = await closed.ensureReachable().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CliError)
    expect((failure as CliError).message).toMatch(/\(ECONNREFUSED\)\. Start it with `npm start`/)
  })
})

describe('mapLimit', () => {
  it('keeps at most `limit` tasks pending and returns results in order', async () => {
    let pending = 0
    let most = 0
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++pending)
      await new Promise((resolve) => setTimeout(resolve, n))
      pending--
      return n * 10
    })
    expect(results).toEqual([50, 10, 40, 20, 30])
    expect(most).toBe(2)
  })

  it('starts no new task after a failure and throws it', async () => {
    const started: number[] = []
    const run = mapLimit([1, 2, 3, 4], 1, async (n) => {
      started.push(n)
      if (n === 2) throw new Error('boom')
      return n
    })
    await expect(run).rejects.toThrow('boom')
    expect(started).toEqual([1, 2])
  })
})
