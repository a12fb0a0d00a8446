/**
 * Trie benchmarks (issue 5): root + proofs for 10^6 keys against the keccak lower bound (hashing exactly the node
 * encodings the trie must hash, goal ≤ 2×; reported for both keccak implementations) and against @ethereumjs/mpt (goal ≥ 20× faster; mpt is measured on
 * 10^4 keys and extrapolated linearly to 10^6, which favours mpt since its per-insert cost grows with depth),
 * and the process peak RSS.
 */
import { createMPT } from '@ethereumjs/mpt'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { buildTrie } from '../shared/trie/buildTrie'
import { loadFastKeccak256 } from '../shared/trie/keccak'
import { verifyProof } from '../shared/trie/verifyProof'
import type { BenchRow } from './types'

function keySet(n: number): { keys: Uint8Array[]; values: Uint8Array[] } {
  const keys: Uint8Array[] = new Array(n)
  const values: Uint8Array[] = new Array(n)
  const seed = new Uint8Array(8)
  const view = new DataView(seed.buffer)
  for (let i = 0; i < n; i++) {
    view.setUint32(0, i)
    keys[i] = keccak_256(seed)
    values[i] = keccak_256(keys[i]!) // 32-byte values, like storage words or account hashes
  }
  return { keys, values }
}

/** The one pass over the input that buildTrie makes first (flattenEntries): every key and value copied once. */
function readInputOnce(keys: readonly Uint8Array[], values: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(keys.length * 64)
  let pos = 0
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const v = values[i]!
    for (let j = 0; j < 32; j++) out[pos + j] = k[j]!
    for (let j = 0; j < 32; j++) out[pos + 32 + j] = v[j]!
    pos += 64
  }
  return out
}

export default async function (): Promise<BenchRow[]> {
  const N = 1_000_000
  const PROOFS = 10_000
  const { keys, values } = keySet(N)
  const prove = Array.from({ length: PROOFS }, (_, i) => i * (N / PROOFS))
  const wasm = await loadFastKeccak256()

  // The lower bound hashes exactly the node encodings the build hashes (collected once).
  const nodes: Uint8Array[] = []
  const reference = buildTrie({ keys, values, keccak: wasm, onNode: (_h, n) => nodes.push(n) }).root
  const best = { wasmBuild: Infinity, wasmKeccak: Infinity, nobleBuild: Infinity, nobleKeccak: Infinity, inputRead: Infinity }
  let proofsOut: Uint8Array[][] = []
  // Interleaved and repeated (min of 2): the shared machine is noisy.
  for (let round = 0; round < 2; round++) {
    let t = performance.now()
    const r = buildTrie({ keys, values, prove, keccak: wasm })
    best.wasmBuild = Math.min(best.wasmBuild, performance.now() - t)
    proofsOut = r.proofs
    if (Buffer.compare(Buffer.from(r.root), Buffer.from(reference)) !== 0) throw new Error('roots differ between runs')
    t = performance.now()
    for (const n of nodes) wasm(n)
    best.wasmKeccak = Math.min(best.wasmKeccak, performance.now() - t)
    t = performance.now()
    readInputOnce(keys, values)
    best.inputRead = Math.min(best.inputRead, performance.now() - t)
    t = performance.now()
    const r2 = buildTrie({ keys, values, prove })
    best.nobleBuild = Math.min(best.nobleBuild, performance.now() - t)
    if (Buffer.compare(Buffer.from(r2.root), Buffer.from(reference)) !== 0) throw new Error('noble and wasm roots differ')
    t = performance.now()
    for (const n of nodes) keccak_256(n)
    best.nobleKeccak = Math.min(best.nobleKeccak, performance.now() - t)
  }
  for (let p = 0; p < 100; p++) {
    const v = verifyProof({ root: reference, key: keys[prove[p]!]!, proof: proofsOut[p]! })
    if (!v || v.length !== 32) throw new Error('bench proof does not verify')
  }
  const hashedNodes = nodes.length
  nodes.length = 0

  const M = 10_000
  const small = keySet(M)
  const mpt = await createMPT()
  const t = performance.now()
  for (let i = 0; i < M; i++) await mpt.put(small.keys[i]!, small.values[i]!)
  mpt.root()
  const mptMs = performance.now() - t
  const ours = buildTrie({ keys: small.keys, values: small.values }).root
  if (Buffer.compare(Buffer.from(ours), Buffer.from(mpt.root())) !== 0) throw new Error('roots differ from @ethereumjs/mpt')
  const mptExtrapolatedMs = (mptMs * N) / M
  const ratioWasm = best.wasmBuild / best.wasmKeccak
  // What the build does besides hashing: reading the 2·10^6 key and value arrays once (scattered objects: mostly
  // cache misses, and a floor for any builder given this input), then partitioning, encoding and copying proof nodes.
  const otherMs = best.wasmBuild - best.wasmKeccak - best.inputRead
  const ratioNoble = best.nobleBuild / best.nobleKeccak
  const speedup = mptExtrapolatedMs / best.wasmBuild

  return [
    { name: `root + ${PROOFS} proofs, 10^6 keys (hash-wasm keccak)`, value: Math.round(best.wasmBuild), unit: 'ms', note: `${hashedNodes} nodes hashed` },
    { name: 'keccak lower bound, same node bytes (hash-wasm)', value: Math.round(best.wasmKeccak), unit: 'ms' },
    { name: 'trie vs keccak lower bound (hash-wasm)', value: Number(ratioWasm.toFixed(2)), unit: 'x', goal: '≤ 2×', met: ratioWasm <= 2 },
    { name: 'of the trie: reading the 10^6 keys + values once (copy into one buffer)', value: Math.round(best.inputRead), unit: 'ms', note: 'the input as 2·10^6 separate arrays; not in the keccak bound' },
    { name: 'of the trie: partition + node encoding + proof copies', value: Math.round(otherMs), unit: 'ms', note: 'trie − keccak bound − input read (hash-wasm)' },
    { name: 'trie without the input read vs keccak bound (hash-wasm)', value: Number(((best.wasmBuild - best.inputRead) / best.wasmKeccak).toFixed(2)), unit: 'x', note: 'how far the work after reading the input is from pure hashing' },
    { name: `root + ${PROOFS} proofs, 10^6 keys (@noble keccak)`, value: Math.round(best.nobleBuild), unit: 'ms' },
    { name: 'keccak lower bound, same node bytes (@noble)', value: Math.round(best.nobleKeccak), unit: 'ms' },
    { name: 'trie vs keccak lower bound (@noble)', value: Number(ratioNoble.toFixed(2)), unit: 'x', goal: '≤ 2×', met: ratioNoble <= 2 },
    { name: '@ethereumjs/mpt put, 10^4 keys (measured)', value: Math.round(mptMs), unit: 'ms' },
    {
      name: 'speed-up vs @ethereumjs/mpt at 10^6 keys',
      value: Number(speedup.toFixed(1)),
      unit: 'x',
      goal: '≥ 20×',
      met: speedup >= 20,
      note: 'mpt extrapolated linearly from 10^4 keys (favours mpt); ours = hash-wasm build',
    },
    { name: 'peak RSS (process, after the 10^6 builds)', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB', note: 'whole bench process' },
  ]
}
