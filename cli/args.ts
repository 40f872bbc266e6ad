import { parseArgs } from 'node:util'
import { batchSchema } from '../shared/events'
import type { EdgeConfig } from './edge-client'
import { UsageError } from './errors'

/**
 * Import batching defaults. On the local runtime (`npm run bench -- --sweep`), 50 visitors
 * and 2 requests in flight was fastest with no retries; 3 in flight drew overload errors.
 */
export const importDefaults = { visitorsPerRequest: 50, inFlight: 2 }

const defaultEdge = 'http://127.0.0.1:8787'
const devAdminKey = 'dev-admin-key'

const commonFlags = ['site', 'edge', 'help'] as const
const importFlags = ['format', 'time-zone', 'chunk-visitors', 'in-flight'] as const

/** Each command's usage line and the flags it takes. */
export const commands = {
  backtest: {
    usage:
      'telltale backtest --site SITE [--format rees46] [--time-zone ZONE] [--at ISO_TIME] ' +
      '[--no-import] FILE',
    flags: [...commonFlags, ...importFlags, 'at', 'import'],
  },
  import: {
    usage: 'telltale import --site SITE [--format rees46] [--time-zone ZONE] FILE',
    flags: [...commonFlags, ...importFlags],
  },
  segments: {
    usage: 'telltale segments --site SITE --visitor ID [--at ISO_TIME]',
    flags: [...commonFlags, 'visitor', 'at'],
  },
} as const
type CommandName = keyof typeof commands

const allUsage = Object.values(commands)
  .map((command) => command.usage)
  .join('\n       ')

/** The full help text of `telltale --help`. */
export const helpText = `Usage: ${allUsage}

Commands:
  backtest   import a clickstream file, then print one JSON line per visitor in it,
             {"visitor":"ID","segments":[...]}, as of --at, in order of first appearance
  import     import a clickstream file only (importing the same rows again changes nothing)
  segments   print one visitor's segments as one JSON line

Options:
  --site SITE          the site id (lower-case letters, digits and -)
  --format rees46      the file format: the Open CDP / REES46 clickstream CSV (the default)
  --time-zone ZONE     IANA time zone for the events' local times, e.g. Pacific/Auckland
                       (default: the site's)
  --at ISO_TIME        evaluate as of this time, e.g. 2019-10-01T03:30:00Z (default: now)
  --no-import          backtest: skip the import and use what the edge already holds
  --visitor ID         segments: the visitor id
  --edge URL           the edge (default: $TELLTALE_EDGE, else ${defaultEdge})
  --chunk-visitors N   visitors per import request (default ${importDefaults.visitorsPerRequest})
  --in-flight N        import requests at once (default ${importDefaults.inFlight})
  -h, --help           show this help

Environment:
  TELLTALE_EDGE        the edge's URL, when --edge is not given
  TELLTALE_ADMIN_KEY   the site's admin key (default: the local development key)

Progress goes to stderr. Exit codes: 0 done, 1 failed, 2 bad usage.
`

/** A parsed command line, ready to run. */
export type Command =
  | { name: 'help' }
  | { name: 'backtest'; edge: EdgeConfig; file: FileImport; at?: string; import: boolean }
  | { name: 'import'; edge: EdgeConfig; file: FileImport }
  | { name: 'segments'; edge: EdgeConfig; site: string; visitor: string; at?: string }

/** What to import and how. */
export interface FileImport {
  path: string
  site: string
  format: string
  timeZone?: string
  visitorsPerRequest: number
  inFlight: number
}

const options = {
  site: { type: 'string' },
  format: { type: 'string' },
  'time-zone': { type: 'string' },
  at: { type: 'string' },
  import: { type: 'boolean' },
  visitor: { type: 'string' },
  edge: { type: 'string' },
  'chunk-visitors': { type: 'string' },
  'in-flight': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<typeof parse>['values']

/** Parses `argv` (without node and the script) into a command, or throws a UsageError. */
export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    return { name: 'help' }
  }
  if (!Object.hasOwn(commands, name)) throw new UsageError(`unknown command '${name}'`, allUsage)
  const command = commands[name as CommandName]
  const { values, positionals } = parse(rest, command.usage)
  if (values.help) return { name: 'help' }
  const stray = Object.keys(values).find(
    (flag) => !(command.flags as readonly string[]).includes(flag),
  )
  if (stray) throw new UsageError(`${name} takes no --${stray}`, command.usage)
  const site = siteId(values.site, command.usage)
  const edge = edgeConfig(values.edge, env, command.usage)
  const at = values.at === undefined ? undefined : isoTime(values.at, command.usage)
  if (name === 'segments') {
    if (positionals.length > 0) {
      throw new UsageError(`unexpected argument '${positionals[0]}'`, command.usage)
    }
    if (!values.visitor) throw new UsageError('--visitor is required', command.usage)
    return { name, edge, site, visitor: values.visitor, at }
  }
  const file = fileImport(values, positionals, site, command.usage)
  if (name === 'import') return { name, edge, file }
  return { name: 'backtest', edge, file, at, import: values.import ?? true }
}

function parse(args: string[], usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, allowNegative: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message, usage)
  }
}

function fileImport(values: Values, positionals: string[], site: string, usage: string) {
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? 'give exactly one FILE' : 'FILE is missing', usage)
  }
  const format = values.format ?? 'rees46'
  if (format !== 'rees46') {
    throw new UsageError(`unknown --format '${format}'; supported: rees46`, usage)
  }
  const timeZone = values['time-zone']
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    throw new UsageError(`--time-zone '${timeZone}' is not an IANA time zone`, usage)
  }
  const chunkVisitors = values['chunk-visitors'] ?? String(importDefaults.visitorsPerRequest)
  const inFlight = values['in-flight'] ?? String(importDefaults.inFlight)
  return {
    path: positionals[0] as string,
    site,
    format,
    timeZone,
    visitorsPerRequest: positiveInt(chunkVisitors, '--chunk-visitors', usage),
    inFlight: positiveInt(inFlight, '--in-flight', usage),
  } satisfies FileImport
}

function siteId(site: string | undefined, usage: string): string {
  if (site === undefined) throw new UsageError('--site is required', usage)
  if (!batchSchema.shape.site.safeParse(site).success) {
    throw new UsageError(`--site '${site}': use lower-case letters, digits and -`, usage)
  }
  return site
}

function edgeConfig(flag: string | undefined, env: NodeJS.ProcessEnv, usage: string): EdgeConfig {
  const raw = flag ?? env.TELLTALE_EDGE ?? defaultEdge
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UsageError(`edge URL '${raw}' is not a URL`, usage)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`edge URL '${raw}' must start with http:// or https://`, usage)
  }
  const key = env.TELLTALE_ADMIN_KEY
  return {
    origin: url.href.replace(/\/+$/, ''),
    adminKey: key || devAdminKey,
    adminKeyFromEnv: Boolean(key),
  }
}

// An explicit offset keeps a backtest from depending on the machine's own time zone.
const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

function isoTime(value: string, usage: string): string {
  const time = Date.parse(value)
  if (!isoPattern.test(value) || Number.isNaN(time)) {
    throw new UsageError(`--at '${value}' is not an ISO time like 2019-10-01T03:30:00Z`, usage)
  }
  return new Date(time).toISOString()
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

function positiveInt(value: string, flag: string, usage: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new UsageError(`${flag} must be a whole number from 1 to 1000, not '${value}'`, usage)
  }
  return n
}
