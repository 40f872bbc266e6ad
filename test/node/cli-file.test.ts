import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, describe, expect, it } from 'vitest'
import { chunkByVisitor, csvLine } from '../../cli/chunks'
import { readClickstream } from '../../cli/clickstream'
import { CliError } from '../../cli/errors'

const dir = mkdtempSync(join(tmpdir(), 'telltale-cli-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const header =
  'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session'
const row = (user: string, time: string, brand = 'acme') =>
  `2019-10-01 ${time} UTC,view,1,2,electronics.smartphone,${brand},10.00,${user},s-${user}`

describe('readClickstream', () => {
  it('groups rows by user_id in order of first appearance, file order kept', async () => {
    const path = write(
      'grouped.csv',
      [header, row('b', '00:00:01'), row('a', '00:00:02'), row('b', '00:00:03'), ''].join('\n'),
    )
    const file = await readClickstream(path)
    expect(file.rows).toBe(3)
    expect([...file.visitors.keys()]).toEqual(['b', 'a'])
    expect(file.visitors.get('b')?.map((r) => [r.line, r.fields[0]])).toEqual([
      [2, '2019-10-01 00:00:01 UTC'],
      [4, '2019-10-01 00:00:03 UTC'],
    ])
  })

  it('keeps quoted fields whole: commas, quotes and line breaks', async () => {
    const brand = '"Smith, ""Jr."" &\nSons"'
    const lines = [header, row('u1', '00:00:01', brand), row('u2', '00:00:02'), '']
    const file = await readClickstream(write('quoted.csv', `\ufeff${lines.join('\r\n')}`))
    expect(file.visitors.get('u1')?.[0]).toMatchObject({ fields: { 5: 'Smith, "Jr." &\nSons' } })
    expect(file.visitors.get('u2')?.[0]?.line).toBe(4)
    const [chunk] = chunkByVisitor(file, { visitors: 10, bytes: 1e6 })
    expect(parse(chunk?.csv ?? '')).toEqual([
      file.header.fields,
      ...lines.slice(1, 3).map((l) => parse(l)[0]),
    ])
  })

  it.each([
    ['missing.csv', null, /cannot read .*missing\.csv/],
    ['empty.csv', '', /is empty/],
    ['no-user.csv', 'event_time,event_type\nx,y\n', /has no user_id column/],
    ['ragged.csv', `${header}\n1,2,3\n`, /is not valid CSV/],
    ['open-quote.csv', `${header}\n"unterminated,1\n`, /is not valid CSV/],
  ])('%s is refused clearly', async (name, text, message) => {
    const path = text === null ? join(dir, name) : write(name, text)
    const failure = await readClickstream(path).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(CliError)
    expect((failure as CliError).message).toMatch(message)
  })
})

describe('chunkByVisitor', () => {
  const lines = [
    header,
    row('a', '00:00:01'),
    row('b', '00:00:02'),
    row('a', '00:00:03'),
    row('c', '00:00:04'),
    row('d', '00:00:05'),
  ]

  it('puts whole visitors into chunks of at most N visitors, with the header in each', async () => {
    const file = await readClickstream(write('chunks.csv', lines.join('\n')))
    const chunks = chunkByVisitor(file, { visitors: 2, bytes: 1e6 })
    // Each chunk maps its lines to the file's: header 1 → 1, then a's rows, then b's.
    expect(chunks.map((c) => Object.fromEntries(c.fileLines))).toEqual([
      { 1: 1, 2: 2, 3: 4, 4: 3 },
      { 1: 1, 2: 5, 3: 6 },
    ])
    expect(chunks.map((c) => c.visitorsCompleted)).toEqual([2, 2])
    expect(chunks[0]?.csv).toBe(`${[header, lines[1], lines[3], lines[2]].join('\n')}\n`)
  })

  it('splits only a visitor larger than the byte cap, and counts it once', async () => {
    const file = await readClickstream(write('big.csv', lines.join('\n')))
    const bytes = header.length + 1 + 2 * ((lines[1]?.length ?? 0) + 1)
    const chunks = chunkByVisitor(file, { visitors: 10, bytes: bytes - 1 })
    for (const chunk of chunks) expect(Buffer.byteLength(chunk.csv)).toBeLessThan(bytes)
    const fileLines = chunks.flatMap((c) => [...c.fileLines.values()].slice(1))
    expect(fileLines).toEqual([2, 4, 3, 5, 6])
    expect(chunks.reduce((sum, c) => sum + c.visitorsCompleted, 0)).toBe(4)
  })

  it('writes records that parse back to the same fields', () => {
    const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', '', ' padded ']
    expect(parse(csvLine(fields))).toEqual([fields])
  })
})
