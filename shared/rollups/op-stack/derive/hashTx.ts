/** Transaction hash = keccak256 of its EIP-2718 bytes (legacy: of its RLP). */
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Hex } from './batchTypes'

export function hashTx(tx: Uint8Array): Hex {
  return toHex(keccak_256(tx))
}

export function toHex(b: Uint8Array): Hex {
  let s = '0x'
  for (const x of b) s += x.toString(16).padStart(2, '0')
  return s as Hex
}
