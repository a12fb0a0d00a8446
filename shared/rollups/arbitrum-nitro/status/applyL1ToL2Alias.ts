/** AddressAliasHelper.applyL1ToL2Alias: L1 sender + 0x1111000000000000000000000000000000001111 (mod 2^160). */
import { getAddress, hexToBigInt, type Address } from 'viem'

const OFFSET = 0x1111000000000000000000000000000000001111n

export function applyL1ToL2Alias(l1Address: Address): Address {
  const v = (hexToBigInt(l1Address) + OFFSET) % (1n << 160n)
  return getAddress(`0x${v.toString(16).padStart(40, '0')}`)
}
