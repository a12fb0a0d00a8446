/**
 * Decodes a deposit transaction: 0x7E ‖ rlp([sourceHash, from, to, mint, value, gas, isSystemTx, data]).
 * Spec: specs/protocol/deposits.md §"The Deposited Transaction Type". Hand-written because no EVM library here
 * knows type 0x7E (viem's op-stack parser is hex/JSON-oriented; this needs bytes and strict shape checks).
 */
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, type Address, type Hex } from 'viem'

export interface DepositTransaction {
  sourceHash: Hex
  from: Address
  /** undefined for contract creation. */
  to: Address | undefined
  mint: bigint
  value: bigint
  gas: bigint
  isSystemTx: boolean
  data: Uint8Array
}

function toBig(b: Uint8Array, field: string): bigint {
  if (b.length > 32) throw new TypeError(`${field} is longer than 32 bytes`)
  if (b.length > 0 && b[0] === 0) throw new TypeError(`${field} has a leading zero`)
  return b.length === 0 ? 0n : BigInt(bytesToHex(b))
}

export function decodeDepositTransaction(raw: Uint8Array): DepositTransaction {
  if (raw[0] !== 0x7e) throw new TypeError('not a deposit transaction (type byte is not 0x7e)')
  const f = RLP.decode(raw.subarray(1)) as unknown
  if (!Array.isArray(f) || f.length !== 8 || f.some((x) => !(x instanceof Uint8Array))) {
    throw new TypeError('a deposit transaction is an RLP list of 8 byte strings')
  }
  const [sourceHash, from, to, mint, value, gas, isSystemTx, data] = f as Uint8Array[]
  if (sourceHash!.length !== 32) throw new TypeError('sourceHash must be 32 bytes')
  if (from!.length !== 20) throw new TypeError('from must be 20 bytes')
  if (to!.length !== 0 && to!.length !== 20) throw new TypeError('to must be empty or 20 bytes')
  if (isSystemTx!.length > 1 || (isSystemTx!.length === 1 && isSystemTx![0] !== 1)) throw new TypeError('isSystemTx must be a boolean')
  const gasLimit = toBig(gas!, 'gas')
  if (gasLimit > 0xffffffffffffffffn) throw new TypeError('gas does not fit 64 bits')
  return {
    sourceHash: bytesToHex(sourceHash!),
    from: bytesToHex(from!),
    to: to!.length === 0 ? undefined : bytesToHex(to!),
    mint: toBig(mint!, 'mint'),
    value: toBig(value!, 'value'),
    gas: gasLimit,
    isSystemTx: isSystemTx!.length === 1,
    data: data!,
  }
}
