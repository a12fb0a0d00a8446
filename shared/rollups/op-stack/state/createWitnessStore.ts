/**
 * A state store backed by a block witness: preimages keyed by keccak256 (trie nodes, code, headers), each checked
 * on load. Untrusted witness data can therefore only make execution fail loudly (a missing node), never change
 * the result: every value is bound to the hash the parent state root commits to.
 */
import { bytesToHex, hexToBytes } from 'viem'
import { nobleKeccak256, type Keccak256 } from '../../../trie/keccak'
import { BlockExecutionError } from '../execute/errors'
import type { StateNodeStore } from './StateNodeStore'

export interface CreateWitnessStoreParameters {
  /** The block the witness is for (named in errors). */
  blockNumber: bigint
  /** 0x-hash → 0x-preimage. */
  witness: Readonly<Record<string, string>>
  /** Bound on the witness (entries); default 1,000,000. */
  maxEntries?: number
  /** keccak-256 for the hash checks (default @noble/hashes; loadFastKeccak256 in trie/keccak.ts is ~8× faster). */
  keccak?: Keccak256
}

export interface WitnessStore extends StateNodeStore {
  readonly blockNumber: bigint
  readonly size: number
}

const KEY = /^0x[0-9a-fA-F]{64}$/

export function createWitnessStore(parameters: CreateWitnessStoreParameters): WitnessStore {
  const { blockNumber, witness } = parameters
  const entries = Object.entries(witness)
  const max = parameters.maxEntries ?? 1_000_000
  const keccak = parameters.keccak ?? nobleKeccak256
  if (entries.length > max) {
    throw new BlockExecutionError('invalid-input', blockNumber, 'witness', `${entries.length} witness entries (limit ${max})`)
  }
  const map = new Map<string, Uint8Array>()
  for (const [key, value] of entries) {
    // viem's hexToBytes rejects non-hex characters but left-pads an odd length, so the length is checked here.
    let bytes: Uint8Array | undefined
    if (KEY.test(key) && typeof value === 'string' && value.length % 2 === 0 && value.startsWith('0x')) {
      try {
        bytes = hexToBytes(value as `0x${string}`)
      } catch {
        bytes = undefined
      }
    }
    if (bytes === undefined) {
      throw new BlockExecutionError('invalid-witness-node', blockNumber, `witness entry ${key.slice(0, 80)}`, 'keys must be 32-byte hex, values hex')
    }
    const hash = bytesToHex(keccak(bytes))
    if (hash !== key.toLowerCase()) {
      throw new BlockExecutionError('invalid-witness-node', blockNumber, `witness node ${key}`, `its value hashes to ${hash}`)
    }
    map.set(hash, bytes)
  }
  return {
    blockNumber,
    get size() {
      return map.size
    },
    get: (hash) => map.get(bytesToHex(hash)),
    put: (hash, value) => {
      map.set(bytesToHex(hash), value)
    },
  }
}
