/**
 * The trust step for withdrawals (DESIGN.md trust model; notes §3.6): a send list from an untrusted L2 node is
 * accepted only if some prefix of it hashes to a send root confirmed on L1. We scan prefixes with the incremental
 * accumulator (O(log N) per send), so we do not need to trust the node's sendCount either. A node that omits,
 * reorders, inserts or alters any send before the confirmed size cannot match the root.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { ArbSendRootMismatchError } from '../errors'
import { buildSendTree } from './buildSendTree'
import type { L2ToL1SendLog } from './decodeL2ToL1TxLog'

export interface VerifySendListParameters {
  /** The node's sends, in any order; positions must be 0..n-1 without gaps or duplicates. */
  sends: readonly L2ToL1SendLog[]
  confirmedSendRoot: Hex
  /** Name of the source, for the error. */
  source: string
}

export interface VerifiedSendList {
  /** Number of sends under the confirmed root. */
  size: bigint
  /** The verified sends (positions 0..size-1). */
  sends: L2ToL1SendLog[]
}

export function verifySendList(params: VerifySendListParameters): VerifiedSendList {
  const ordered = [...params.sends].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0))
  ordered.forEach((send, i) => {
    if (send.position !== BigInt(i)) {
      throw new ArbSendRootMismatchError(`${params.source} returned a send list with a gap or duplicate at position ${i}.`, {
        details: `expected position ${i}, got ${send.position}`,
      })
    }
  })
  const target = params.confirmedSendRoot.toLowerCase()
  const zero = new Uint8Array(32)
  const pair = (l: Uint8Array, r: Uint8Array): Uint8Array => {
    const b = new Uint8Array(64)
    b.set(l, 0)
    b.set(r, 32)
    return keccak_256(b)
  }
  // partials[level]: completed left subtrees, as in merkleAccumulator.
  const partials: (Uint8Array | undefined)[] = []
  let matched: number | undefined
  for (let n = 0; n < ordered.length; n++) {
    let h: Uint8Array = keccak_256(hexToBytes((ordered[n] as L2ToL1SendLog).sendHash))
    let level = 0
    for (let p = partials[0]; p !== undefined; p = partials[level]) {
      partials[level] = undefined
      h = pair(p, h)
      level++
    }
    partials[level] = h
    // Root of the first n+1 sends: fold the partials upward, padding missing right subtrees with zero.
    const size = n + 1
    let carry: Uint8Array | undefined
    const top = 31 - Math.clz32(size) + (size & (size - 1) ? 1 : 0) // ⌈log2 size⌉
    for (let l = 0; l < top; l++) {
      const partial = partials[l]
      if (partial && carry) carry = pair(partial, carry)
      else if (partial) carry = pair(partial, zero)
      else if (carry) carry = pair(carry, zero)
    }
    const root = carry ?? (partials[top] as Uint8Array)
    if (bytesToHex(root) === target) matched = size // keep the largest matching prefix
  }
  if (matched === undefined) {
    throw new ArbSendRootMismatchError(`The withdrawals listed by ${params.source} do not match the send root confirmed on L1.`, {
      details: `${ordered.length} sends checked against confirmed sendRoot ${params.confirmedSendRoot}`,
    })
  }
  const sends = ordered.slice(0, matched)
  // Cross-check with the independent builder (cheap relative to fetching the logs).
  if (buildSendTree(sends.map((s) => s.sendHash)).root.toLowerCase() !== target) {
    throw new ArbSendRootMismatchError('Internal check failed: the send tree and the accumulator disagree.')
  }
  return { size: BigInt(matched), sends }
}
