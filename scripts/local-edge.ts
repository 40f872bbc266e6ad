/**
 * Starts the real local edge the way a developer does (`npm start`, which builds and runs
 * `wrangler dev` in workerd) on a free loopback port with its own throw-away state folder.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface RunningEdge {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string
  stop(): Promise<void>
}

/** The folder holding wrangler.toml, found upwards (this file also runs bundled in dist/). */
function findProjectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(folder, 'wrangler.toml'))) {
    const parent = dirname(folder)
    if (parent === folder) throw new Error('no wrangler.toml above this script')
    folder = parent
  }
  return folder
}

/** The local development admin key from wrangler.toml. */
export const devAdminKey = 'dev-admin-key'

export async function startEdge(): Promise<RunningEdge> {
  const port = await freePort()
  const stateDir = mkdtempSync(join(tmpdir(), 'telltale-state-'))
  const child = spawn('npm', ['start', '--', '--persist-to', stateDir], {
    cwd: findProjectRoot(),
    env: { ...process.env, TELLTALE_PORT: String(port), WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const origin = `http://127.0.0.1:${port}`
  try {
    await waitUntilServing(origin, child, () => output)
  } catch (error) {
    await kill(child)
    throw error
  }
  return {
    origin,
    async stop() {
      await kill(child)
      rmSync(stateDir, { recursive: true, force: true })
    },
  }
}

async function waitUntilServing(origin: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output()}`)
    try {
      const response = await fetch(`${origin}/v1/health`)
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`the edge did not answer on ${origin} within 90 s:\n${output()}`)
}

async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  // npm, wrangler and workerd form a process group; stop all of them.
  process.kill(-child.pid, 'SIGTERM')
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      )
    })
  })
}
