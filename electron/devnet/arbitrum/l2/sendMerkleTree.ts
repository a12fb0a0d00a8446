import { concat, keccak256, zeroHash, type Hex } from 'viem'

/**
 * The ArbOS send Merkle accumulator (nitro arbos/merkleAccumulator/merkleAccumulator.go; notes/arbitrum-nitro.md
 * §3.2): leaves are keccak(sendHash), a node is keccak(left ‖ right), a missing node is bytes32(0) (not a hash of
 * zeros). Appending yields the internal nodes it completed, which ArbSys emits as SendMerkleUpdate events.
 *
 * Hand-written because no npm library implements this Arbitrum-specific accumulator; it is checked against the plain
 * zero-padded tree (sendRootOf) in the tests, and the tree against the Outbox on L1 in the integration test.
 */
export interface SendMerkleNodeEvent {
  /** Tree level of the completed node (≥ 1). */
  level: number
  /** Index of the leaf whose append completed it (= size - 1). */
  leaf: number
  hash: Hex
}

export class SendMerkleAccumulator {
  private readonly partials: Hex[] = []
  private count = 0

  get size(): number {
    return this.count
  }

  /** Append one send hash; returns the internal nodes this completed (merkleAccumulator.go Append). */
  append(sendHash: Hex): SendMerkleNodeEvent[] {
    const numPartialsBefore = numPartials(this.count)
    this.count += 1
    const events: SendMerkleNodeEvent[] = []
    let soFar = keccak256(sendHash)
    for (let level = 0; ; ) {
      if (level === numPartialsBefore) {
        this.partials[level] = soFar
        return events
      }
      const thisLevel = this.partials[level] ?? zeroHash
      if (thisLevel === zeroHash) {
        this.partials[level] = soFar
        return events
      }
      soFar = keccak256(concat([thisLevel, soFar]))
      this.partials[level] = zeroHash
      level += 1
      events.push({ level, leaf: this.count - 1, hash: soFar })
    }
  }

  /** merkleAccumulator.go Root: fold the partials, padding with zero siblings. bytes32(0) when empty. */
  root(): Hex {
    if (this.count === 0) return zeroHash
    let hashSoFar: Hex | undefined
    let capacityInHash = 0n
    let capacity = 1n
    for (let level = 0; level < numPartials(this.count); level++) {
      const partial = this.partials[level] ?? zeroHash
      if (partial !== zeroHash) {
        if (hashSoFar === undefined) {
          hashSoFar = partial
          capacityInHash = capacity
        } else {
          while (capacityInHash < capacity) {
            hashSoFar = keccak256(concat([hashSoFar, zeroHash]))
            capacityInHash *= 2n
          }
          hashSoFar = keccak256(concat([partial, hashSoFar]))
          capacityInHash = 2n * capacity
        }
      }
      capacity *= 2n
    }
    return hashSoFar ?? zeroHash
  }

  clone(): SendMerkleAccumulator {
    const copy = new SendMerkleAccumulator()
    copy.partials.push(...this.partials)
    copy.count = this.count
    return copy
  }
}

/** arbmath: the number of partials for `size` leaves = bit length of size. */
function numPartials(size: number): number {
  return size === 0 ? 0 : Math.floor(Math.log2(size)) + 1
}

function treeDepth(size: number): number {
  let depth = 0
  while (2 ** depth < size) depth++
  return depth
}

/** node(level, index) of the zero-padded tree over keccak(send_i) (notes §3.6); bytes32(0) beyond the sends. */
function node(sends: readonly Hex[], level: number, index: number, memo: Map<string, Hex>): Hex {
  if (index * 2 ** level >= sends.length) return zeroHash
  if (level === 0) return keccak256(sends[index] as Hex)
  const key = `${level}:${index}`
  const cached = memo.get(key)
  if (cached) return cached
  const value = keccak256(concat([node(sends, level - 1, 2 * index, memo), node(sends, level - 1, 2 * index + 1, memo)]))
  memo.set(key, value)
  return value
}

/** The send root of the first `sends.length` sends, computed as a plain tree (cross-check of the accumulator). */
export function sendRootOf(sends: readonly Hex[]): Hex {
  if (sends.length === 0) return zeroHash
  return node(sends, treeDepth(sends.length), 0, new Map())
}

/** The Outbox proof for send `index` in a tree of `sends.length` sends: proof[l] = node(l, (index >> l) ^ 1). */
export function sendProofOf(sends: readonly Hex[], index: number): Hex[] {
  if (!Number.isInteger(index) || index < 0 || index >= sends.length) throw new RangeError(`send index ${index} outside 0..${sends.length - 1}`)
  const memo = new Map<string, Hex>()
  const proof: Hex[] = []
  for (let level = 0; level < treeDepth(sends.length); level++) proof.push(node(sends, level, (index >> level) ^ 1, memo))
  return proof
}
