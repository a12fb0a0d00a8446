/**
 * The devnet L2's full state: every trie node, contract code and header it ever produced, in memory, by hash. Nodes
 * are content-addressed and never deleted, so every past block's state stays readable (eth_getProof at any block,
 * witnesses of any block). `recording` wraps it to list what one execution read (debug_executionWitness).
 */
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import type { StateNodeStore } from '../../../../../shared/rollups/op-stack/state/StateNodeStore'

export interface MemoryStateStore extends StateNodeStore {
  readonly size: number
  has(hash: Hex): boolean
}

export function createMemoryStateStore(seed?: ReadonlyMap<Hex, Uint8Array>): MemoryStateStore {
  const map = new Map<string, Uint8Array>()
  for (const [k, v] of seed ?? []) map.set(k.toLowerCase(), v)
  return {
    get: (hash) => map.get(bytesToHex(hash)),
    put: (hash, value) => void map.set(bytesToHex(hash), value),
    has: (hash) => map.has(hash.toLowerCase()),
    get size() {
      return map.size
    },
  }
}

/**
 * A read-through view of `base` that remembers every value read that existed before it was created (the pre-state a
 * stateless re-execution needs); values first written during the run and read back are not part of it.
 */
export function recordingStore(base: StateNodeStore): StateNodeStore & { reads: Map<Hex, Uint8Array> } {
  const reads = new Map<Hex, Uint8Array>()
  const created = new Set<Hex>()
  return {
    reads,
    get(hash) {
      const v = base.get(hash)
      const key = bytesToHex(hash)
      if (v !== undefined && !created.has(key)) reads.set(key, v)
      return v
    },
    put(hash, value) {
      if (base.get(hash) === undefined) created.add(bytesToHex(hash))
      base.put(hash, value)
    },
  }
}

export function getNode(store: StateNodeStore, hash: Hex): Uint8Array | undefined {
  return store.get(hexToBytes(hash))
}
