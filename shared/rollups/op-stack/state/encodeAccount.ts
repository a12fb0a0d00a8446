/** State-trie account leaf: rlp([nonce, balance, storageRoot, codeHash]) (Yellow Paper §4.1). */
import { RLP } from '@ethereumjs/rlp'
import { bigintToMinimalBytes } from '../../../eth/bytes'

export function encodeAccount(nonce: bigint, balance: bigint, storageRoot: Uint8Array, codeHash: Uint8Array): Uint8Array {
  return RLP.encode([bigintToMinimalBytes(nonce), bigintToMinimalBytes(balance), storageRoot, codeHash])
}

/** Storage slot values are stored as rlp(value without leading zero bytes). */
export function encodeStorageValue(value: Uint8Array): Uint8Array {
  let i = 0
  while (i < value.length && value[i] === 0) i++
  return RLP.encode(value.subarray(i))
}
