/**
 * `escape-hatch --help` from a fresh process, as a user types it: the launcher on the build in out/cli (checked
 * against its stamp at each start), against the same command run from the TypeScript sources through tsx (how the
 * launcher worked before the build, and what it still does when it cannot build) in the same run. Wall time is what
 * the user waits; CPU time (user + system of the CLI process, read at its exit) is the part that does not depend on
 * how busy the machine is.
 */
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchRow } from './types'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = 7
const CPU_AT_EXIT = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-ms:'+((u.user+u.system)/1000)+'\\n')})`
const FROM_SOURCES = "import { register } from 'tsx/esm/api'; register(); const { main } = await import('./electron/cli/main.ts'); process.exitCode = await main(process.argv.slice(1))"

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function timeRuns(args: string[], expect = 'Usage: escape-hatch'): { wallMs: number; cpuMs: number } {
  const walls: number[] = []
  const cpus: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    const child = spawnSync(process.execPath, ['--import', CPU_AT_EXIT, ...args, '--help'], { cwd: root, encoding: 'utf8', timeout: 120_000 })
    walls.push(performance.now() - t0)
    const cpu = /cpu-ms:([\d.]+)/.exec(child.stderr)
    if (child.status !== 0 || !child.stdout.includes(expect) || !cpu) throw new Error(`escape-hatch --help failed (${child.status}): ${child.stderr.slice(0, 300)}`)
    cpus.push(Number(cpu[1]))
  }
  return { wallMs: median(walls), cpuMs: median(cpus) }
}

export default async function bench(): Promise<BenchRow[]> {
  // The build is made once beforehand (npm ci does it); a start measures the stamp check plus loading the build.
  const build = spawnSync(process.execPath, ['tools/buildCli.mjs'], { cwd: root, encoding: 'utf8', timeout: 600_000 })
  if (build.status !== 0) throw new Error(`npm run build:cli failed: ${build.stderr.slice(0, 300)}`)
  const bundle = timeRuns(['bin/escape-hatch.mjs'])
  const sources = timeRuns(['--input-type=module', '-e', FROM_SOURCES, '--'])
  // The floor: Node itself starting and exiting, on the machine as loaded as it is now.
  const bare = timeRuns(['-e', "process.stdout.write('Usage: escape-hatch')", '--'])
  const note = `median of ${RUNS} fresh processes, load average ${loadavg()[0]!.toFixed(1)}`
  return [
    { name: '`escape-hatch --help` cold start (built CLI, stamp checked)', value: Math.round(bundle.wallMs), unit: 'ms', goal: '≤ 500 ms', met: bundle.wallMs <= 500, note },
    { name: '`escape-hatch --help` from the sources through tsx (baseline)', value: Math.round(sources.wallMs), unit: 'ms', note },
    { name: 'bare `node -e` start and exit (the floor)', value: Math.round(bare.wallMs), unit: 'ms', note },
    { name: '`--help` CPU time (built CLI)', value: Math.round(bundle.cpuMs), unit: 'ms', goal: '≤ 500 ms', met: bundle.cpuMs <= 500, note: `sources through tsx: ${Math.round(sources.cpuMs)} ms; bare node: ${Math.round(bare.cpuMs)} ms` },
    { name: '`--help` start, sources ÷ build (wall)', value: sources.wallMs / bundle.wallMs, unit: 'x', note },
  ]
}
