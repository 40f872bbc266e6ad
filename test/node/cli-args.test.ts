import { describe, expect, it } from 'vitest'
import { commands, parseCommand } from '../../cli/args'
import { UsageError } from '../../cli/errors'

const file = 'events.csv'

describe('parseCommand', () => {
  it('reads a full backtest command line', () => {
    const command = parseCommand(
      [
        'backtest',
        '--site',
        'shop-1',
        '--format',
        'rees46',
        '--time-zone',
        'Pacific/Auckland',
        '--at',
        '2019-10-01T15:30:00+13:00',
        file,
      ],
      {},
    )
    expect(command).toEqual({
      name: 'backtest',
      edge: { origin: 'http://127.0.0.1:8787', adminKey: 'dev-admin-key', adminKeyFromEnv: false },
      file: {
        path: file,
        site: 'shop-1',
        format: 'rees46',
        timeZone: 'Pacific/Auckland',
        visitorsPerRequest: 50,
        inFlight: 2,
      },
      at: '2019-10-01T02:30:00.000Z',
      import: true,
    })
  })

  it('takes the edge and key from the environment, and --edge over TELLTALE_EDGE', () => {
    const env = { TELLTALE_EDGE: 'http://127.0.0.1:9000/', TELLTALE_ADMIN_KEY: 'k' }
    const fromEnv = parseCommand(['import', '--site', 's', file], env)
    expect(fromEnv).toMatchObject({
      edge: { origin: 'http://127.0.0.1:9000', adminKey: 'k', adminKeyFromEnv: true },
    })
    const fromFlag = parseCommand(['import', '--site', 's', '--edge', 'http://[::1]:1', file], env)
    expect(fromFlag).toMatchObject({ edge: { origin: 'http://[::1]:1' } })
  })

  it('reads --no-import, the batching flags and the segments command', () => {
    const command = parseCommand(
      [
        'backtest',
        '--site',
        's',
        '--no-import',
        '--chunk-visitors',
        '20',
        '--in-flight',
        '3',
        file,
      ],
      {},
    )
    expect(command).toMatchObject({ import: false, file: { visitorsPerRequest: 20, inFlight: 3 } })
    expect(parseCommand(['segments', '--site', 's', '--visitor', 'v1'], {})).toMatchObject({
      name: 'segments',
      visitor: 'v1',
      at: undefined,
    })
  })

  it.each([[], ['--help'], ['-h'], ['help'], ['backtest', '--help']])(
    '%j asks for help',
    (...a) => {
      expect(parseCommand(a, {})).toEqual({ name: 'help' })
    },
  )

  it.each([
    [['frob'], /unknown command 'frob'/],
    [['backtest', file], /--site is required/],
    [['backtest', '--site', 's'], /FILE is missing/],
    [['backtest', '--site', 's', 'a.csv', 'b.csv'], /exactly one FILE/],
    [['backtest', '--site', 'Shop_1', file], /--site 'Shop_1'/],
    [['backtest', '--site', 's', '--format', 'json', file], /unknown --format 'json'/],
    [['backtest', '--site', 's', '--time-zone', 'Mars/Olympus', file], /not an IANA time zone/],
    [['backtest', '--site', 's', '--at', '2019-10-01', file], /not an ISO time/],
    [['backtest', '--site', 's', '--at', '2019-10-01T03:00:00', file], /not an ISO time/],
    [['backtest', '--site', 's', '--at', '2019-13-45T03:00:00Z', file], /not an ISO time/],
    [['backtest', '--site', 's', '--chunk-visitors', '0', file], /--chunk-visitors must be/],
    [['backtest', '--site', 's', '--in-flight', '1.5', file], /--in-flight must be/],
    [['backtest', '--site', 's', '--edge', 'ftp://x', file], /must start with http/],
    [['backtest', '--site', 's', '--edge', 'not a url', file], /is not a URL/],
    [['backtest', '--site', 's', '--bogus', file], /Unknown option '--bogus'/],
    [['backtest', '--site', 's', file, '--at'], /argument missing/],
    [['import', '--site', 's', '--at', '2019-10-01T03:00:00Z', file], /import takes no --at/],
    [['segments', '--site', 's'], /--visitor is required/],
    [['segments', '--site', 's', '--visitor', 'v', file], /unexpected argument/],
  ])('%j is a usage error: %s', (argv, message) => {
    let thrown: unknown
    try {
      parseCommand(argv, {})
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UsageError)
    expect((thrown as UsageError).message).toMatch(message)
    expect((thrown as UsageError).exitCode).toBe(2)
    expect((thrown as UsageError).usage).toContain('telltale ')
  })

  it('gives each command a usage line naming it', () => {
    for (const [name, command] of Object.entries(commands)) {
      expect(command.usage.startsWith(`telltale ${name} `)).toBe(true)
    }
  })
})
