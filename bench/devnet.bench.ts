import { startAnvil } from '../electron/devnet/anvil'
import { startDevnet, type DevnetStack } from '../electron/devnet/devnet'
import type { BenchRow } from './types'

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Wall time from nothing to a ready devnet, per stack and for both (each run on a fresh anvil; median of runs). */
async function timeDevnet(stacks: DevnetStack[], runs: number): Promise<{ total: number; phases: Record<string, number> }> {
  const totals: number[] = []
  const phases: Record<string, number[]> = {}
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const devnet = await startDevnet({ stacks })
    totals.push(performance.now() - t0)
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
  const note = `median of ${runs} runs, fresh anvil each`
  return [
    { name: 'anvil start (spawn → eth_chainId answers)', value: median(anvilStarts), unit: 'ms', note: 'median of 5' },
    { name: 'anvil stop (SIGTERM → exit seen)', value: median(anvilStops), unit: 'ms', note: 'median of 5' },
    { name: 'OP Stack L1 deployment (contracts-bedrock, 36 txs + read-back checks)', value: op.phases.opDeployMs ?? NaN, unit: 'ms', note },
    { name: 'devnet up, OP only (anvil + deployment + manifest)', value: op.total, unit: 'ms', note },
    { name: 'Arbitrum L1 deployment (RollupCreator)', value: arbitrum.phases.arbitrumDeployMs ?? NaN, unit: 'ms', note },
    { name: 'devnet up, Arbitrum only', value: arbitrum.total, unit: 'ms', note },
    { name: 'devnet up, both stacks', value: both.total, unit: 'ms', note },
  ]
}
