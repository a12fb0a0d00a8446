/**
 * Verifies a Merkle-Patricia proof for one key against a root: returns the value (inclusion) or null (exclusion),
 * and throws a TrieProofError naming the problem for anything malformed. Proof nodes are untrusted input.
 *
 * Both proof forms are accepted: the eth_getProof form (nodes embedded in their parent are not repeated) and the
 * OptimismPortal form (every node on the path is its own element, embedded ones included). An embedded node that is
 * repeated must equal the bytes inside its parent. Trailing elements that the walk does not use are rejected, so a
 * proof means exactly one thing. Spec: Yellow Paper appendix D; Optimism MerkleTrie.sol `get`.
 */
import { RLP } from '@ethereumjs/rlp'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { nibbleAt } from './encodeNode'
import { EMPTY_TRIE_ROOT } from './buildTrie'
import { TrieProofError } from './errors'
import { equalBytes } from '../eth/bytes'

export interface VerifyProofParameters {
  root: Uint8Array
  /** The trie path (for a secure trie, the keccak of the key). */
  key: Uint8Array
  proof: readonly Uint8Array[]
}

/** The value stored under `key`, or null when the proof shows the key is absent. */
export type VerifyProofReturnType = Uint8Array | null

/** Bounds on untrusted proofs: a path has at most 64 nibbles → 65 nodes (+ embedded repeats). */
const MAX_PROOF_NODES = 2 * 65
const MAX_NODE_BYTES = 1 << 16

type Decoded = Uint8Array | Decoded[]

export function verifyProof(parameters: VerifyProofParameters): VerifyProofReturnType {
  const { root, key, proof } = parameters
  if (root.length !== 32) throw new TrieProofError('bad-node-shape', `root must be 32 bytes, got ${root.length}`)
  if (proof.length > MAX_PROOF_NODES) throw new TrieProofError('too-large', `${proof.length} proof elements`)
  if (proof.length === 0) {
    if (equalBytes(root, EMPTY_TRIE_ROOT)) return null
    throw new TrieProofError('empty-proof', 'no proof elements for a non-empty trie')
  }

  const keyNibbles = key.length * 2
  let depth = 0
  let index = 0
  let node = loadHashed(proof, 0, root)
  index = 1

  for (;;) {
    if (!Array.isArray(node)) throw new TrieProofError('bad-node-shape', 'a trie node must be a list', index - 1)
    let nextRef: Decoded
    if (node.length === 17) {
      if (depth === keyNibbles) {
        const value = asBytes(node[16]!, index - 1)
        return finish(value.length === 0 ? null : value, index)
      }
      nextRef = node[nibbleAt(key, depth)]!
      depth++
    } else if (node.length === 2) {
      const encodedPath = asBytes(node[0]!, index - 1)
      const { leaf, nibbles } = decodeHexPrefix(encodedPath, index - 1)
      const matches = nibbles.length <= keyNibbles - depth && nibbles.every((nb, i) => nb === nibbleAt(key, depth + i))
      if (leaf) {
        if (!matches || depth + nibbles.length !== keyNibbles) return finish(null, index)
        const value = asBytes(node[1]!, index - 1)
        if (value.length === 0) throw new TrieProofError('empty-value', 'a leaf holds an empty value', index - 1)
        return finish(value, index)
      }
      if (nibbles.length === 0) throw new TrieProofError('bad-path-encoding', 'an extension with an empty path', index - 1)
      if (!matches) return finish(null, index)
      depth += nibbles.length
      nextRef = node[1]!
    } else {
      throw new TrieProofError('bad-node-shape', `a node with ${node.length} items`, index - 1)
    }

    // Follow the reference: empty, a 32-byte hash, or an embedded node (a list).
    if (Array.isArray(nextRef)) {
      const embedded = RLP.encode(nextRef as never)
      if (embedded.length >= 32) throw new TrieProofError('bad-node-shape', 'an embedded node of 32 bytes or more', index - 1)
      // The portal form repeats the embedded node as its own element: consume it if present, and check it.
      if (index < proof.length && proof[index]!.length < 32) {
        if (!equalBytes(proof[index]!, embedded)) {
          throw new TrieProofError('embedded-node-mismatch', 'the element differs from the node embedded in its parent', index)
        }
        index++
      }
      node = nextRef
      continue
    }
    if (nextRef.length === 0) return finish(null, index)
    if (nextRef.length !== 32) throw new TrieProofError('bad-node-shape', `a child reference of ${nextRef.length} bytes`, index - 1)
    if (depth > keyNibbles) throw new TrieProofError('bad-node-shape', 'the path is longer than the key', index - 1)
    if (index >= proof.length) throw new TrieProofError('missing-node', 'the proof ends before the path does', index)
    node = loadHashed(proof, index, nextRef)
    index++
  }

  function finish(value: Uint8Array | null, used: number): Uint8Array | null {
    if (used !== proof.length) {
      throw new TrieProofError('unused-nodes', `${proof.length - used} element(s) after the end of the path`, used)
    }
    return value
  }
}

function loadHashed(proof: readonly Uint8Array[], index: number, expectedHash: Uint8Array): Decoded {
  const bytes = proof[index]!
  if (bytes.length > MAX_NODE_BYTES) throw new TrieProofError('too-large', `${bytes.length}-byte node`, index)
  if (!equalBytes(keccak_256(bytes), expectedHash)) {
    throw new TrieProofError(index === 0 ? 'root-mismatch' : 'node-hash-mismatch', 'the node does not hash to its reference', index)
  }
  try {
    return RLP.decode(bytes) as Decoded
  } catch (cause) {
    throw new TrieProofError('bad-rlp', 'the node is not valid RLP', index, cause)
  }
}

function asBytes(item: Decoded, index: number): Uint8Array {
  if (Array.isArray(item)) throw new TrieProofError('bad-node-shape', 'expected a byte string, found a list', index)
  return item
}

function decodeHexPrefix(encoded: Uint8Array, index: number): { leaf: boolean; nibbles: number[] } {
  if (encoded.length === 0) throw new TrieProofError('bad-path-encoding', 'an empty hex-prefix path', index)
  const flag = encoded[0]! >> 4
  if (flag > 3) throw new TrieProofError('bad-path-encoding', `hex-prefix flag ${flag}`, index)
  const odd = (flag & 1) === 1
  if (!odd && (encoded[0]! & 0x0f) !== 0) throw new TrieProofError('bad-path-encoding', 'non-zero padding nibble', index)
  const nibbles: number[] = []
  if (odd) nibbles.push(encoded[0]! & 0x0f)
  for (let i = 1; i < encoded.length; i++) nibbles.push(encoded[i]! >> 4, encoded[i]! & 0x0f)
  return { leaf: flag >= 2, nibbles }
}
