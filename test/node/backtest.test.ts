import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEdge, startEdge } from '../../scripts/local-edge'
import { jsonLines, runCli } from './cli-run'

// The shared data sits beside the repository; it is read in place, never copied in.
const dataFile = fileURLToPath(
  new URL(
    '../../../shared/data/rees46_multicategory_2019-10-01_window/events.csv',
    import.meta.url,
  ),
)
const present = existsSync(dataFile)
if (!present) console.warn(`skipping the full backtest: ${dataFile} is absent`)

const segments = [
  'cart_abandoner',
  'recent_buyer',
  'buyer_still_browsing',
  'repeat_browser',
  'smartphone_researcher',
  'electronics_enthusiast',
  'lunch_browser',
  'quick_decider',
  'big_spender',
] as const

// Issue 2's member counts from an independent implementation, in the order of `segments`.
const expected: [string, number[]][] = [
  ['2019-10-01T02:50:00Z', [0, 123, 24, 297, 123, 154, 97, 106, 24]],
  ['2019-10-01T03:30:00Z', [38, 123, 24, 297, 123, 154, 97, 106, 24]],
  ['2019-10-05T12:00:00Z', [38, 123, 24, 297, 123, 12, 97, 106, 24]],
  ['2019-10-09T00:00:00Z', [0, 0, 0, 0, 0, 0, 97, 106, 24]],
]

describe.skipIf(!present)('backtest of the REES46 window in Pacific/Auckland', () => {
  let edge: RunningEdge
  let firstAppearance: string[]
  beforeAll(async () => {
    const rows: Record<string, string>[] = parse(readFileSync(dataFile), { columns: true })
    firstAppearance = [...new Set(rows.map((row) => row.user_id as string))]
    edge = await startEdge()
  })
  afterAll(async () => {
    await edge?.stop()
  })

  it.each(expected)('at %s matches the reference member counts', async (at, counts) => {
    // The first run imports the file; the others evaluate the same events at other times.
    const reuse = at === expected[0]?.[0] ? [] : ['--no-import']
    const args = ['backtest', '--site', 'rees46', '--format', 'rees46']
    args.push('--time-zone', 'Pacific/Auckland', '--at', at, ...reuse, dataFile)
    const result = await runCli(args, { TELLTALE_EDGE: edge.origin })
    expect(result.stderr).not.toContain('telltale:')
    expect(result.code).toBe(0)
    const lines = jsonLines(result.stdout)
    expect(lines.map((line) => line.visitor)).toEqual(firstAppearance)
    const members = segments.map((id) => lines.filter((line) => line.segments.includes(id)).length)
    expect(Object.fromEntries(segments.map((id, i) => [id, members[i]]))).toEqual(
      Object.fromEntries(segments.map((id, i) => [id, counts[i]])),
    )
    // The file has no filter or sort events, so the tenth starter segment stays empty.
    expect(lines.filter((line) => line.segments.includes('price_conscious'))).toEqual([])
  })
})
