/**
 * The Arbitrum drill (`escape-hatch drill --stack arbitrum`) as the user runs it: a fresh CLI process each time, so
 * the wall time includes startup, devnet, the whole escape and the checks, and the peak RSS is the drill process's own
 * (read from the child's getrusage via `process.resourceUsage().maxRSS`, which the report carries). anvil runs as a
 * separate process and is not included in the RSS.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchRow } from './types'

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export default async function bench(): Promise<BenchRow[]> {
  // The CLI is built once beforehand (npm ci does it), so no run pays for a rebuild.
  const build = spawnSync(process.execPath, ['tools/buildCli.mjs'], { encoding: 'utf8', timeout: 600_000 })
  if (build.status !== 0) throw new Error(`npm run build:cli failed: ${build.stderr.slice(0, 300)}`)
  const runs = 3
  const walls: number[] = []
  const overheads: number[] = []
  const inner: number[] = []
  const rss: number[] = []
  let ok = true
  for (let i = 0; i < runs; i++) {
    const home = mkdtempSync(join(tmpdir(), 'eh-drill-bench-'))
    try {
      const t0 = performance.now()
      const child = spawnSync(process.execPath, ['bin/escape-hatch.mjs', 'drill', '--stack', 'arbitrum', '--json', '--quiet'], {
        env: { ...process.env, ESCAPE_HATCH_HOME: home },
        encoding: 'utf8',
        timeout: 600_000,
        maxBuffer: 64 * 1024 * 1024,
      })
      walls.push(performance.now() - t0)
      const report = JSON.parse(child.stdout) as { ok: boolean; wallTimeMs: number; peakRssBytes: number }
      ok &&= report.ok && child.status === 0
      inner.push(report.wallTimeMs)
      overheads.push(walls.at(-1)! - report.wallTimeMs)
      rss.push(report.peakRssBytes / (1024 * 1024))
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  }
  const note = `median of ${runs} fresh CLI runs${ok ? '' : ' — A DRILL FAILED'}`
  return [
    { name: 'Arbitrum drill wall time (CLI process start → report)', value: Math.round(median(walls)), unit: 'ms', note },
    { name: 'Arbitrum drill, inside the process (devnet up → checks done)', value: Math.round(median(inner)), unit: 'ms', note },
    { name: 'Arbitrum drill wall − in-process (CLI start + exit)', value: Math.round(median(overheads)), unit: 'ms', goal: '≤ 1000 ms', met: median(overheads) <= 1000, note },
    { name: 'Arbitrum drill peak RSS (drill process, excluding anvil)', value: Math.round(median(rss)), unit: 'MB', note },
  ]
}
