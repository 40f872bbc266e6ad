/** Runs the built `telltale` command the way a shell does, for the CLI's tests. */
import { spawn } from 'node:child_process'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

const bin = new URL('../../bin/telltale.js', import.meta.url).pathname

/** Runs `node bin/telltale.js ...args` with `env` added to a clean copy of the environment. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const base = { ...process.env }
  delete base.TELLTALE_EDGE
  delete base.TELLTALE_ADMIN_KEY
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** The JSON lines a backtest printed. */
export function jsonLines(stdout: string): { visitor: string; segments: string[] }[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
}
