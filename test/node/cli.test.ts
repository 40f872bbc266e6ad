import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEdge, startEdge } from '../../scripts/local-edge'
import { jsonLines, runCli } from './cli-run'

const header =
  'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session'

/** One REES46 row on 2019-10-01 (UTC), in the file's own column order. */
function row(
  time: string,
  type: string,
  product: string,
  category: string,
  price: number,
  user: string,
  session: string,
  brand = 'acme',
) {
  return [
    `2019-10-01 ${time} UTC`,
    type,
    product,
    '2053013555631882655',
    category,
    brand,
    price.toFixed(2),
    user,
    session,
  ].join(',')
}

// Six shoppers whose segments follow from the table by hand. Pacific/Auckland is
// UTC+13 on these dates, so 00:00-00:59 UTC is 13:00-13:59 there: lunch time.
const shop = [
  header,
  // 103: four smartphone views 3 min apart at lunch: dwell 3+3+3+0 = 9 min, 4 lunch views,
  // electronics interest about 3.9 (< 8).
  row('00:10:00', 'view', '300', 'electronics.smartphone', 300, '103', 'c1'),
  row('00:13:00', 'view', '301', 'electronics.smartphone', 310, '103', 'c1'),
  row('00:16:00', 'view', '302', 'electronics.smartphone', 320, '103', 'c1'),
  row('00:19:00', 'view', '303', 'electronics.smartphone', 330, '103', 'c1'),
  // 106: added to cart, then bought in the same session: no abandoned cart; 100 < 500.
  row('01:00:00', 'cart', '700', 'computers.notebook', 100, '106', 'f1'),
  row('01:05:00', 'purchase', '700', 'computers.notebook', 100, '106', 'f1'),
  // 101: cart at 02:10 and no purchase: abandoned from 02:40.
  row('02:00:00', 'view', '100', 'furniture.bedroom.bed', 200, '101', 'a1'),
  row('02:10:00', 'cart', '100', 'furniture.bedroom.bed', 200, '101', 'a1'),
  // 104: ten headphone views over two sessions: interest about 9.9 at 03:30.
  ...[20, 21, 22, 23, 24, 40, 41, 42, 43, 44].map((minute, i) =>
    row(
      `02:${minute}:00`,
      'view',
      `40${i}`,
      'electronics.audio.headphone',
      50,
      '104',
      minute < 30 ? 'd1' : 'd2',
    ),
  ),
  // 105: a quoted brand with a comma and quotes, and the same row twice (one event).
  row('02:30:00', 'view', '500', 'apparel.shoes', 80, '105', 'e1', '"Smith, ""Jr."""'),
  row('02:30:00', 'view', '500', 'apparel.shoes', 80, '105', 'e1', '"Smith, ""Jr."""'),
  // 102: viewed and bought a 600 washer in one session, then viewed two more products.
  row('02:55:00', 'view', '600', 'appliances.kitchen.washer', 600, '102', 'b1'),
  row('03:00:00', 'purchase', '600', 'appliances.kitchen.washer', 600, '102', 'b1'),
  row('03:05:00', 'view', '601', 'appliances.kitchen.refrigerators', 400, '102', 'b1'),
  row('03:06:00', 'view', '602', 'appliances.kitchen.refrigerators', 450, '102', 'b1'),
]

const at0330 = [
  { visitor: '103', segments: ['lunch_browser', 'smartphone_researcher'] },
  { visitor: '106', segments: ['quick_decider', 'recent_buyer'] },
  { visitor: '101', segments: ['cart_abandoner'] },
  { visitor: '104', segments: ['electronics_enthusiast', 'repeat_browser'] },
  { visitor: '105', segments: [] },
  {
    visitor: '102',
    segments: ['big_spender', 'buyer_still_browsing', 'quick_decider', 'recent_buyer'],
  },
]

// Eight days on, the 7-day windows are empty; lunch (14 days) and purchases (30) remain.
const at1009 = [
  { visitor: '103', segments: ['lunch_browser'] },
  { visitor: '106', segments: ['quick_decider'] },
  { visitor: '101', segments: [] },
  { visitor: '104', segments: [] },
  { visitor: '105', segments: [] },
  { visitor: '102', segments: ['big_spender', 'quick_decider'] },
]

let edge: RunningEdge
let env: Record<string, string>
const dir = mkdtempSync(join(tmpdir(), 'telltale-cli-'))
const shopFile = join(dir, 'shop.csv')
writeFileSync(shopFile, `${shop.join('\n')}\n`)

beforeAll(async () => {
  edge = await startEdge()
  env = { TELLTALE_EDGE: edge.origin }
})
afterAll(async () => {
  await edge?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const backtest = (site: string, at: string, ...more: string[]) => [
  'backtest',
  '--site',
  site,
  '--format',
  'rees46',
  '--time-zone',
  'Pacific/Auckland',
  '--at',
  at,
  ...more,
  shopFile,
]

describe('telltale backtest on a file of our own', () => {
  it('prints each visitor once, in order of first appearance, with segments by hand', async () => {
    const result = await runCli(backtest('shop', '2019-10-01T03:30:00Z'), env)
    expect(result.stderr).toContain('24 rows, 23 new events, 1 already stored')
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)).toEqual(at0330)
    expect(result.stdout).toContain('{"visitor":"105","segments":[]}\n')
  })

  it('changes nothing when run again, and answers a later time from the same events', async () => {
    const again = await runCli(backtest('shop', '2019-10-01T03:30:00Z'), env)
    expect(again.stderr).toContain('24 rows, 0 new events, 24 already stored')
    expect(jsonLines(again.stdout)).toEqual(at0330)
    const later = await runCli(backtest('shop', '2019-10-09T00:00:00Z', '--no-import'), env)
    expect(later.stderr).not.toContain('import:')
    expect(jsonLines(later.stdout)).toEqual(at1009)
  })

  it('agrees with `telltale segments` for one visitor', async () => {
    const args = ['segments', '--site', 'shop', '--visitor', '102', '--at', '2019-10-01T03:30:00Z']
    const result = await runCli(args, env)
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)).toEqual([at0330[5]])
  })

  it('keeps sites apart: another site has none of these events', async () => {
    const result = await runCli(backtest('elsewhere', '2019-10-01T03:30:00Z', '--no-import'), env)
    expect(jsonLines(result.stdout).every((line) => line.segments.length === 0)).toBe(true)
  })
})

describe('telltale errors', () => {
  it('prints usage for --help and exits 0', async () => {
    const result = await runCli(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('telltale backtest --site SITE')
  })

  it.each([
    [['backtest', shopFile], '--site is required'],
    [['backtest', '--site', 'shop', '--at', 'tomorrow', shopFile], "--at 'tomorrow'"],
    [['backtest', '--site', 'shop', '--format', 'parquet', shopFile], 'unknown --format'],
    [['launch'], "unknown command 'launch'"],
  ])('%j exits 2 with a usage line', async (args, message) => {
    const result = await runCli(args, env)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).toMatch(/\nusage: telltale /)
    expect(result.stdout).toBe('')
  })

  it('says when the file cannot be read', async () => {
    const result = await runCli(['backtest', '--site', 'shop', join(dir, 'nope.csv')], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/cannot read .*nope\.csv/)
  })

  it('says how to start the edge when none answers', async () => {
    const port = await closedPort()
    const result = await runCli(['backtest', '--site', 'shop', shopFile], {
      TELLTALE_EDGE: `http://127.0.0.1:${port}`,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`cannot reach the edge at http://127.0.0.1:${port}`)
    expect(result.stderr).toContain('npm start')
  })

  it('names TELLTALE_ADMIN_KEY when the edge refuses the key', async () => {
    const result = await runCli(backtest('shop', '2019-10-01T03:30:00Z'), {
      ...env,
      TELLTALE_ADMIN_KEY: 'not-the-key',
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/refused the admin key in TELLTALE_ADMIN_KEY with HTTP 401/)
  })

  it("reports the edge's error code, message and the file's line for a bad row", async () => {
    // Visitor 201's rows travel together, so the bad row is the request's 4th line but
    // the file's 3rd.
    const bad = join(dir, 'bad.csv')
    const rows = [
      header,
      row('00:00:01', 'view', '1', 'apparel.shoes', 5, '201', 's1'),
      row('00:00:02', 'view', '2', 'apparel.shoes', 5, '202', 's2').replace(',5.00,', ',abc,'),
      row('00:00:03', 'view', '3', 'apparel.shoes', 5, '201', 's1'),
    ]
    writeFileSync(bad, `${rows.join('\n')}\n`)
    const result = await runCli(['import', '--site', 'bad', bad], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('HTTP 422 invalid_row:')
    expect(result.stderr).toContain(`(at line 3 of ${bad}, column price)`)
  })
})

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
