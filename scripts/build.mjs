// Builds everything `npm start`, the CLI and the tests use, into dist/:
//   dist/public/t.js     the snippet, minified, under its gzip byte budget
//   dist/public/...      the demo storefront: its pages (scripts/demo-pages.mjs), scripts, style
//   dist/node/*.mjs      the command-line tool and the benchmark, for Node
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { minify } from 'terser'
import { demoPages } from './demo-pages.mjs'

/** Bytes of gzip the snippet may weigh; README states the same figure. */
export const SNIPPET_BUDGET_GZIP = 3136

const root = new URL('..', import.meta.url).pathname
mkdirSync(`${root}dist/public`, { recursive: true })

// esbuild bundles; terser's repeated compress passes then inline and fold what esbuild keeps
// (about 3% of the gzip bytes). No "use strict" prologue: nothing in the snippet depends on it.
const bundled = await build({
  entryPoints: [`${root}snippet/index.ts`],
  write: false,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'none',
  tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
})
const minified = await minify(bundled.outputFiles[0].text, { ecma: 2019, compress: { passes: 3 } })
writeFileSync(`${root}dist/public/t.js`, minified.code)
const snippet = readFileSync(`${root}dist/public/t.js`)
const gzipBytes = gzipSync(snippet, { level: 9 }).length
writeFileSync(
  `${root}dist/snippet-size.json`,
  `${JSON.stringify({ bytes: snippet.length, gzipBytes, budget: SNIPPET_BUDGET_GZIP })}\n`,
)
if (gzipBytes > SNIPPET_BUDGET_GZIP) {
  console.error(`snippet is ${gzipBytes} B gzip, over its ${SNIPPET_BUDGET_GZIP} B budget`)
  process.exit(1)
}

// The demo's scripts and style go as they are; its pages are made from templates and the catalogue.
for (const file of readdirSync(`${root}demo`)) {
  if (/\.(css|js)$/.test(file)) copyFileSync(`${root}demo/${file}`, `${root}dist/public/${file}`)
}
for (const [path, html] of demoPages()) {
  mkdirSync(dirname(`${root}dist/public/${path}`), { recursive: true })
  writeFileSync(`${root}dist/public/${path}`, html)
}
// Shoppers' browsers and CDNs may keep the snippet 5 minutes and serve it stale for a day
// while they revalidate: a release reaches every store within minutes, at no extra latency.
writeFileSync(
  `${root}dist/public/_headers`,
  '/t.js\n  Cache-Control: public, max-age=300, stale-while-revalidate=86400\n',
)

await build({
  entryPoints: { telltale: `${root}cli/telltale.ts`, bench: `${root}bench/bench.ts` },
  outdir: `${root}dist/node`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
})
console.log(
  `built: snippet ${snippet.length} B, ${gzipBytes} B gzip (budget ${SNIPPET_BUDGET_GZIP})`,
)
