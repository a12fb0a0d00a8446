/**
 * `npm run bench`: runs every bench/<area>.bench.ts (or only those named on the command line), prints one table
 * and writes bench/results/latest.json. Speed goals from the issues live here, never in timed test assertions.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchFn, BenchRow } from './types'

const here = path.dirname(fileURLToPath(import.meta.url))

async function main() {
  const only = process.argv.slice(2)
  const files = fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort()
  const results: { area: string; rows: BenchRow[]; error?: string; seconds: number }[] = []
  for (const file of files) {
    const area = file.replace(/\.bench\.ts$/, '')
    process.stderr.write(`bench: ${area} …\n`)
    const started = performance.now()
    try {
      const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: BenchFn }
      const rows = await mod.default()
      results.push({ area, rows, seconds: (performance.now() - started) / 1000 })
    } catch (error) {
      results.push({ area, rows: [], error: error instanceof Error ? error.message : String(error), seconds: (performance.now() - started) / 1000 })
    }
  }
  printTable(results)
  const outDir = path.join(here, 'results')
  fs.mkdirSync(outDir, { recursive: true })
  const report = {
    at: new Date().toISOString(),
    node: process.versions.node,
    platform: `${process.platform}/${process.arch}`,
    cpus: (await import('node:os')).cpus().length,
    results,
  }
  fs.writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), path.join(outDir, 'latest.json'))}\n`)
  if (results.some((r) => r.error)) process.exitCode = 1
}

function printTable(results: { area: string; rows: BenchRow[]; error?: string }[]) {
  const rows: string[][] = [['area', 'measure', 'value', 'goal', 'met', 'note']]
  for (const r of results) {
    if (r.error) rows.push([r.area, 'FAILED', '', '', '', r.error.split('\n')[0] ?? ''])
    for (const row of r.rows) {
      rows.push([r.area, row.name, `${formatNumber(row.value)} ${row.unit}`, row.goal ?? '', row.met === undefined ? '' : row.met ? 'yes' : 'NO', row.note ?? ''])
    }
  }
  const widths = rows[0]!.map((_, i) => Math.min(60, Math.max(...rows.map((r) => (r[i] ?? '').length))))
  for (const [i, r] of rows.entries()) {
    process.stdout.write(`${r.map((c, j) => c.slice(0, 60).padEnd(widths[j] ?? 0)).join('  ')}\n`)
    if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`)
  }
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Math.abs(n) >= 100) return n.toFixed(0)
  if (Math.abs(n) >= 1) return n.toFixed(2)
  return n.toPrecision(3)
}

await main()
