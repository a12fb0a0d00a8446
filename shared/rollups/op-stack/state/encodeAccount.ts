/** State-trie account leaf: rlp([nonce, balance, storageRoot, codeHash]) (Yellow Paper §4.1). */
import { RLP } from '@ethereumjs/rlp'

export function bigintToMinimalBytes(n: bigint): Uint8Array {
  if (n < 0n) throw new RangeError('negative integer in account')
  if (n === 0n) return new Uint8Array(0)
  let hex = n.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

export function encodeAccount(nonce: bigint, balance: bigint, storageRoot: Uint8Array, codeHash: Uint8Array): Uint8Array {
  return RLP.encode([bigintToMinimalBytes(nonce), bigintToMinimalBytes(balance), storageRoot, codeHash])
}

/** Storage slot values are stored as rlp(value without leading zero bytes). */
export function encodeStorageValue(value: Uint8Array): Uint8Array {
  let i = 0
  while (i < value.length && value[i] === 0) i++
  return RLP.encode(value.subarray(i))
}
