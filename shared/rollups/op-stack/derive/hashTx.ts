/** Transaction hash = keccak256 of its EIP-2718 bytes (legacy: of its RLP). */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { toHex } from '../../../eth/bytes'
import type { Hex } from './batchTypes'

export function hashTx(tx: Uint8Array): Hex {
  return toHex(keccak_256(tx))
}
