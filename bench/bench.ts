// `npm run bench`: the snippet's size, import throughput and collect latency on the local
// edge, with GET /v1/health (no Durable Object) as the baseline measured in the same run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { readClickstream } from '../cli/clickstream'
import type { EdgeConfig } from '../cli/edge-client'
import { type RunningEdge, startEdge } from '../scripts/local-edge'
import { collectBatch } from './collect-load'
import { timeImport } from './import-load'
import { type LatencySummary, measureLatency } from './latency'

// Run as dist/node/bench.mjs, two levels below the project root.
const root = fileURLToPath(new URL('../..', import.meta.url))
const dataFile = join(root, '../shared/data/rees46_multicategory_2019-10-01_window/events.csv')

const { values } = parseArgs({
  options: {
    edge: { type: 'string' },
    requests: { type: 'string', default: '2000' },
    'in-flight': { type: 'string', default: '4' },
    visitors: { type: 'string', default: '400' },
    sweep: { type: 'boolean', default: false },
  },
})
const requests = Number(values.requests)
const inFlight = Number(values['in-flight'])
const visitorPool = Number(values.visitors)

const running: RunningEdge | undefined = values.edge ? undefined : await startEdge()
try {
  const origin = (values.edge ?? running?.origin ?? '').replace(/\/+$/, '')
  const edge: EdgeConfig = {
    origin,
    adminKey: process.env.TELLTALE_ADMIN_KEY || 'dev-admin-key',
    adminKeyFromEnv: Boolean(process.env.TELLTALE_ADMIN_KEY),
  }
  // A fresh site per run, so the "first import" is one even against a long-running edge.
  const site = `bench-${Date.now().toString(36)}`
  const report = await runAll(edge, site)
  printTable(report)
  mkdirSync(join(root, 'dist'), { recursive: true })
  writeFileSync(join(root, 'dist/bench.json'), `${JSON.stringify(report, null, 2)}\n`)
  console.log(JSON.stringify(report))
  if (!report.ok) process.exitCode = 1
} finally {
  await running?.stop()
}

async function runAll(edge: EdgeConfig, site: string) {
  const snippet = JSON.parse(readFileSync(join(root, 'dist/snippet-size.json'), 'utf8')) as {
    gzipBytes: number
    budget: number
  }
  const health = () => new Request(`${edge.origin}/v1/health`)
  const collect = (visitor: (i: number) => string) => (i: number) =>
    new Request(`${edge.origin}/v1/collect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(collectBatch(site, visitor(i), i)),
    })
  await measureLatency(100, inFlight, health)
  const latency = {
    health: await measureLatency(requests, inFlight, health),
    collectMany: await measureLatency(
      requests,
      inFlight,
      collect((i) => `v${i % visitorPool}`),
    ),
    collectHot: await measureLatency(
      requests,
      inFlight,
      collect(() => 'hot'),
    ),
  }
  const imports = existsSync(dataFile) ? await importFigures(edge, site) : undefined
  const failures = Object.values(latency).reduce((sum, run) => sum + run.failures, 0)
  const ok =
    failures === 0 &&
    snippet.gzipBytes <= snippet.budget &&
    (imports === undefined || imports.repeat.totals.events === 0)
  return {
    ok,
    snippet,
    setup: { requests, inFlight, visitorPool },
    latency,
    ratio: {
      collectManyMedian: latency.collectMany.medianMs / latency.health.medianMs,
      collectManyP99: latency.collectMany.p99Ms / latency.health.p99Ms,
      collectHotMedian: latency.collectHot.medianMs / latency.health.medianMs,
      collectHotP99: latency.collectHot.p99Ms / latency.health.p99Ms,
    },
    imports,
  }
}

async function importFigures(edge: EdgeConfig, site: string) {
  const file = await readClickstream(dataFile)
  const first = await timeImport(edge, file, site)
  const repeat = await timeImport(edge, file, site)
  if (!values.sweep) return { rows: file.rows, first, repeat }
  const sweep = []
  for (const [visitorsPerRequest, inFlight] of [
    [25, 2],
    [50, 1],
    [50, 2],
    [50, 3],
    [100, 2],
    [200, 2],
  ] as const) {
    // Let the local runtime evict the last run's objects before waking thousands more.
    await sleep(15_000)
    const batching = { visitorsPerRequest, inFlight }
    const sweepSite = `${site}-${visitorsPerRequest}x${inFlight}`
    try {
      const run = await timeImport(edge, file, sweepSite, batching)
      sweep.push({ ...batching, seconds: run.seconds, retries: run.retries, error: '' })
    } catch (error) {
      sweep.push({ ...batching, seconds: Number.NaN, retries: 0, error: String(error) })
    }
  }
  return { rows: file.rows, first, repeat, sweep }
}

type Report = Awaited<ReturnType<typeof runAll>>

function printTable(report: Report) {
  const ms = (n: number) => `${n.toFixed(2)} ms`
  const line = (name: string, run: LatencySummary) =>
    `${name.padEnd(34)}${ms(run.medianMs).padStart(11)}${ms(run.p99Ms).padStart(11)}` +
    `${run.throughput.toFixed(0).padStart(8)}/s${String(run.failures).padStart(6)}`
  const { snippet, latency, ratio, imports, setup } = report
  const rows = [
    `snippet: ${snippet.gzipBytes} B gzip of a ${snippet.budget} B budget`,
    '',
    `latency (${setup.requests} requests each, ${setup.inFlight} in flight)` +
      `${'median'.padStart(8)}${'p99'.padStart(11)}${'rate'.padStart(10)}${'fail'.padStart(6)}`,
    line('GET /v1/health (baseline)', latency.health),
    line(`POST /v1/collect, ${setup.visitorPool} visitors`, latency.collectMany),
    line('POST /v1/collect, one hot visitor', latency.collectHot),
    `ratio collect/health: many ${ratio.collectManyMedian.toFixed(1)}x median, ` +
      `${ratio.collectManyP99.toFixed(1)}x p99; hot ${ratio.collectHotMedian.toFixed(1)}x ` +
      `median, ${ratio.collectHotP99.toFixed(1)}x p99`,
    '',
  ]
  if (imports) {
    const run = (name: string, r: typeof imports.first) =>
      `${name}: ${r.eventsPerSecond.toFixed(0)} events/s (${r.seconds.toFixed(1)} s, ` +
      `${r.totals.events} new, ${r.totals.duplicates} already stored, ${r.retries} retries)`
    rows.push(`import of ${imports.rows} rows`, run('  first ', imports.first))
    rows.push(run('  repeat', imports.repeat))
    for (const s of imports.sweep ?? []) {
      rows.push(
        `  sweep ${s.visitorsPerRequest} visitors x ${s.inFlight} in flight: ` +
          (s.error || `${s.seconds.toFixed(1)} s, ${s.retries} retries`),
      )
    }
  } else {
    rows.push(`import: skipped, ${dataFile} is absent`)
  }
  console.log(rows.join('\n'))
}
