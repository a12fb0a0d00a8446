/**
 * Profiling driver for the OP executor (issue 15): runs executeBlock on the real OP Sepolia vectors, `ROUNDS` times
 * (default 3), printing per-round time. Use with a CPU profile:
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/op-execute.profile.ts
 */
import { executeBlock } from '../shared/rollups/op-stack/execute/executeBlock'
import { createWitnessStore } from '../shared/rollups/op-stack/state/createWitnessStore'
import { loadFastKeccak256 } from '../shared/trie/keccak'
import { loadExecutorVectors } from './op-execute.bench'

const vectors = loadExecutorVectors()
const keccak = await loadFastKeccak256()
const rounds = Number(process.env.ROUNDS ?? 3)
for (let round = 0; round < rounds; round++) {
  const t = performance.now()
  const cpu = process.cpuUsage()
  for (const v of vectors) {
    const r = await executeBlock({ config: v.config, parent: v.parent, attributes: v.attributes, store: createWitnessStore({ blockNumber: v.blockNumber, witness: v.witness, keccak }) })
    if (r.blockHash !== v.expectedBlockHash) throw new Error(`block ${v.blockNumber} does not replay`)
  }
  const used = process.cpuUsage(cpu)
  console.log(`round ${round}: ${Math.round(performance.now() - t)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms cpu`)
}
