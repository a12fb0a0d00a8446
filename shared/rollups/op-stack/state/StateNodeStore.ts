/**
 * The one interface behind which L2 state lives: a content-addressed store of trie nodes, contract code and headers
 * (keccak256(value) → value). The witness-backed store (stateless replay) and the persistent local store (full
 * rebuilds, electron/services/state) both implement it; the executor runs @ethereumjs/mpt over it.
 */
import type { BatchDBOp, DB, EncodingOpts } from '@ethereumjs/util'
import { bytesToHex, hexToBytes } from 'viem'

export interface StateNodeStore {
  /** The value whose keccak256 is `hash`, or undefined when the store does not have it. */
  get(hash: Uint8Array): Uint8Array | undefined
  /** Stores a value under its hash (new trie nodes and code produced by execution). */
  put(hash: Uint8Array, value: Uint8Array): void
}

/** Called when the trie asks for a node the store lacks; must throw (a classified error naming block and node). */
export type MissingNodeHandler = (hash: Uint8Array) => never

/**
 * Adapts a StateNodeStore to the DB interface @ethereumjs/mpt reads through (keys are unprefixed hex strings).
 * A missing key is never silently "absent": the trie only asks for hashes it holds references to, so a gap is a
 * broken witness or store and `onMissing` throws.
 */
export function createMptDatabase(store: StateNodeStore, onMissing: MissingNodeHandler): DB<string, Uint8Array> {
  const key = (k: string): Uint8Array => hexToBytes(`0x${k}`)
  const db: DB<string, Uint8Array> = {
    async get(k: string, _opts?: EncodingOpts) {
      const bytes = key(k)
      const v = store.get(bytes)
      if (v === undefined) onMissing(bytes)
      return v
    },
    async put(k: string, v: Uint8Array, _opts?: EncodingOpts) {
      store.put(key(k), v)
    },
    // Nodes are content-addressed and may be shared between tries and blocks: never delete.
    async del() {},
    async batch(ops: BatchDBOp<string, Uint8Array>[]) {
      for (const op of ops) if (op.type === 'put') store.put(key(op.key), op.value)
    },
    shallowCopy() {
      return db
    },
    async open() {},
  }
  return db
}

export function hashKey(hash: Uint8Array): string {
  return bytesToHex(hash)
}
