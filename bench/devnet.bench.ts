import { startAnvil } from '../electron/devnet/anvil'
import { startDevnet, type DevnetStack } from '../electron/devnet/devnet'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevnetOpL2 } from '../electron/devnet/op/l2/startDevnetOpL2'
import type { BenchRow } from './types'

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Wall time from nothing to a ready devnet, per stack and for both (each run on a fresh anvil; median of runs). */
async function timeDevnet(stacks: DevnetStack[], runs: number, opL2 = false): Promise<{ total: number; phases: Record<string, number> }> {
  const totals: number[] = []
  const phases: Record<string, number[]> = {}
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const devnet = await startDevnet({ stacks, opL2 })
    // What `devnet up` adds for the OP L2: the chain, batcher, proposer and RPC started, rollup.json/genesis.json written.
    const outDir = mkdtempSync(join(tmpdir(), 'eh-bench-opl2-'))
    const l2 = devnet.opL2 ? await startDevnetOpL2({ anvil: devnet.anvil, l2: devnet.opL2, outDir }) : undefined
    totals.push(performance.now() - t0)
    await l2?.stop()
    rmSync(outDir, { recursive: true, force: true })
    for (const [k, v] of Object.entries(devnet.manifest.timings)) (phases[k] ??= []).push(v)
    await devnet.stop()
  }
  return { total: median(totals), phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, median(v)])) }
}

export default async function bench(): Promise<BenchRow[]> {
  const anvilStarts: number[] = []
  const anvilStops: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    const anvil = await startAnvil()
    anvilStarts.push(performance.now() - t0)
    const t1 = performance.now()
    await anvil.stop()
    anvilStops.push(performance.now() - t1)
  }
  const runs = 3
  const op = await timeDevnet(['op'], runs)
  const arbitrum = await timeDevnet(['arbitrum'], runs)
  const both = await timeDevnet(['op', 'arbitrum'], runs)
  const opWithL2 = await timeDevnet(['op'], runs, true)
  const bothWithL2 = await timeDevnet(['op', 'arbitrum'], runs, true)
  const note = `median of ${runs} runs, fresh anvil each`
  return [
    { name: 'anvil start (spawn → eth_chainId answers)', value: median(anvilStarts), unit: 'ms', note: 'median of 5' },
    { name: 'anvil stop (SIGTERM → exit seen)', value: median(anvilStops), unit: 'ms', note: 'median of 5' },
    { name: 'OP Stack L1 deployment (contracts-bedrock, 36 txs + read-back checks)', value: op.phases.opDeployMs ?? NaN, unit: 'ms', note },
    { name: 'devnet up, OP only (anvil + deployment + manifest)', value: op.total, unit: 'ms', note },
    { name: 'Arbitrum L1 deployment (RollupCreator)', value: arbitrum.phases.arbitrumDeployMs ?? NaN, unit: 'ms', note },
    { name: 'devnet up, Arbitrum only', value: arbitrum.total, unit: 'ms', note },
    { name: 'devnet up, both stacks', value: both.total, unit: 'ms', note },
    // `devnet up` itself (issue 12): the OP L2 genesis built with the L1 contracts and the L2 started; baseline the rows above.
    { name: 'devnet up, OP with its L2 (genesis + chain + roles)', value: opWithL2.total, unit: 'ms', goal: `≤ OP only + 5 s (${Math.round(op.total + 5000)} ms)`, met: opWithL2.total <= op.total + 5000, note },
    { name: 'devnet up, both stacks with the OP L2 (what `escape-hatch devnet up` deploys)', value: bothWithL2.total, unit: 'ms', goal: `≤ both + 5 s (${Math.round(both.total + 5000)} ms)`, met: bothWithL2.total <= both.total + 5000, note },
  ]
}
