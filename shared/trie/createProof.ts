/**
 * Builds a Merkle-Patricia proof (inclusion or exclusion) for one key by walking a stored trie from its root.
 * The output is in OptimismPortal form: every node on the path is its own element, embedded ones included
 * (op-stack notes §3; viem buildProveWithdrawal `maybeAddProofNode`).
 */
import { RLP } from '@ethereumjs/rlp'
import { keccak_256 as keccak } from '@noble/hashes/sha3.js'
import { nibbleAt } from './encodeNode'
import { EMPTY_TRIE_ROOT } from './buildTrie'
import { TrieProofError } from './errors'
import { equalBytes, toHex } from '../eth/bytes'

/** Looks a node up by its keccak hash; undefined when it is not known. */
export type TrieNodeSource = (hash: Uint8Array) => Uint8Array | undefined

export interface CreateProofParameters {
  root: Uint8Array
  key: Uint8Array
  getNode: TrieNodeSource
}

type Decoded = Uint8Array | Decoded[]

export function createProof(parameters: CreateProofParameters): Uint8Array[] {
  const { root, key, getNode } = parameters
  if (equalBytes(root, EMPTY_TRIE_ROOT)) return []
  const proof: Uint8Array[] = []
  const load = (hash: Uint8Array): Decoded => {
    const bytes = getNode(hash)
    if (!bytes) throw new TrieProofError('missing-node', `node ${toHex(hash)} is not in the store`, proof.length)
    proof.push(bytes)
    return RLP.decode(bytes) as Decoded
  }
  let node = load(root)
  let depth = 0
  const keyNibbles = key.length * 2
  for (;;) {
    if (!Array.isArray(node)) throw new TrieProofError('bad-node-shape', 'a stored node is not a list', proof.length - 1)
    let next: Decoded
    if (node.length === 17) {
      if (depth === keyNibbles) return proof
      next = node[nibbleAt(key, depth)]!
      depth++
    } else if (node.length === 2) {
      const path = node[0] as Uint8Array
      const flag = path[0]! >> 4
      const nibbles: number[] = flag & 1 ? [path[0]! & 0x0f] : []
      for (let i = 1; i < path.length; i++) nibbles.push(path[i]! >> 4, path[i]! & 0x0f)
      const matches = nibbles.length <= keyNibbles - depth && nibbles.every((nb, i) => nb === nibbleAt(key, depth + i))
      if (flag >= 2 || !matches) return proof
      depth += nibbles.length
      next = node[1]!
    } else {
      throw new TrieProofError('bad-node-shape', `a stored node with ${node.length} items`, proof.length - 1)
    }
    if (Array.isArray(next)) {
      proof.push(RLP.encode(next as never))
      node = next
    } else if (next.length === 32) {
      node = load(next)
    } else {
      return proof
    }
  }
}

/**
 * Turns an eth_getProof-style proof into the form OptimismPortal's verifier needs: when the walk for `key` enters a
 * node embedded in the last element, that node is appended as an extra element (viem `maybeAddProofNode`).
 * The proof is checked on the way; a proof that does not walk is rejected.
 */
export function toPortalProof(parameters: { root: Uint8Array; key: Uint8Array; proof: readonly Uint8Array[] }): Uint8Array[] {
  const byHash = new Map<string, Uint8Array>()
  for (const node of parameters.proof) byHash.set(toHex(keccak(node)), node)
  return createProof({ root: parameters.root, key: parameters.key, getNode: (h) => byHash.get(toHex(h)) })
}
