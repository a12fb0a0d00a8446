/**
 * The send Merkle tree of an Arbitrum chain, rebuilt from the ordered list of send hashes alone (notes §3.2, §3.6):
 * leaf_i = keccak(send_i); node = keccak(left ‖ right); a node whose range starts at or past N is bytes32(0) (not a
 * hash of zeros); depth = ⌈log2 N⌉ (0 for N = 1). This equals nitro's merkleAccumulator root and NodeInterface's
 * proofs. Hand-written because no library builds this zero-padded variant.
 *
 * Streaming: one pass over the sends with O(log N) memory, so a chain with millions of sends does not need the whole
 * tree in memory. Each node is keyed by (level, index); the proof keeps the sibling of each ancestor of the target.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { ArbProofError } from '../errors'

export const ZERO_HASH: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000'

export interface SendTreeResult {
  size: bigint
  root: Hex
  /** Present when a target index was asked for: the Outbox `proof` argument (length = depth). */
  proof?: Hex[]
}

function depthFor(size: bigint): number {
  let depth = 0
  while (1n << BigInt(depth) < size) depth++
  return depth
}

/**
 * Root of the sends (and the proof for `targetIndex`). `sends` are send hashes (L2ToL1Tx `hash`), in position order.
 */
export function buildSendTree(sends: Iterable<Hex>, targetIndex?: bigint): SendTreeResult {
  // Bytes inside, hex at the edges: this loop runs once per send on chains with millions of them.
  type Node = Uint8Array
  const pair = (left: Node, right: Node): Node => {
    const buf = new Uint8Array(64)
    buf.set(left, 0)
    buf.set(right, 32)
    return keccak_256(buf)
  }
  const zero = new Uint8Array(32)
  // partials[level] = a completed subtree root at that level still waiting for its right sibling.
  const partials: ({ index: bigint; hash: Node } | undefined)[] = []
  const siblings = new Map<number, Node>()
  const noteNode = (level: number, index: bigint, hash: Node): void => {
    if (targetIndex !== undefined && index === ((targetIndex >> BigInt(level)) ^ 1n)) siblings.set(level, hash)
  }
  let size = 0n
  for (const send of sends) {
    let level = 0
    let index = size
    let hash: Node = keccak_256(hexToBytes(send))
    noteNode(0, index, hash)
    for (let partial = partials[0]; partial !== undefined; partial = partials[level]) {
      partials[level] = undefined
      hash = pair(partial.hash, hash)
      level++
      index >>= 1n
      noteNode(level, index, hash)
    }
    partials[level] = { index, hash }
    size++
  }
  if (size === 0n) throw new ArbProofError('There are no sends, so there is no send root.')
  if (targetIndex !== undefined && (targetIndex < 0n || targetIndex >= size)) {
    throw new ArbProofError(`Send ${targetIndex} is not in a tree of ${size} sends.`, {
      steps: ['The withdrawal is newer than the confirmed state used. Wait for a later assertion to be confirmed.'],
    })
  }

  // Fold the incomplete right edge, padding with zero subtrees.
  const depth = depthFor(size)
  let carry: { index: bigint; hash: Node } | undefined
  for (let level = 0; level < depth; level++) {
    const partial = partials[level]
    let next: { index: bigint; hash: Node } | undefined
    if (partial && carry) next = { index: partial.index >> 1n, hash: pair(partial.hash, carry.hash) }
    else if (partial) next = { index: partial.index >> 1n, hash: pair(partial.hash, zero) }
    else if (carry) next = { index: carry.index >> 1n, hash: pair(carry.hash, zero) }
    if (next) noteNode(level + 1, next.index, next.hash)
    carry = next
  }
  const root = bytesToHex(carry?.hash ?? (partials[depth] as { hash: Node }).hash)
  if (targetIndex === undefined) return { size, root }
  const proof = Array.from({ length: depth }, (_, level) => {
    const sibling = siblings.get(level)
    return sibling ? bytesToHex(sibling) : ZERO_HASH
  })
  return { size, root, proof }
}
