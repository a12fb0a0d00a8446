/**
 * The OP Stack deposit transaction (EIP-2718 type 0x7E), encode and decode in one place:
 *   0x7E ‖ rlp([sourceHash, from, to | "", mint, value, gas, isSystemTx, data])
 * Spec: specs/protocol/deposits.md §"The Deposited Transaction Type". Hand-written because no EVM library here knows
 * type 0x7E on bytes (viem's op-stack codec is hex/JSON-oriented; derivation and execution need bytes and strict
 * shape checks). Derivation builds deposits with serializeTxDeposit; the executor, the mid-chain start and the
 * upgrade-tx check read them back with parseTxDeposit.
 */
import { RLP } from '@ethereumjs/rlp'
import { bigintToMinimalBytes, hexBytes, toHex, type Hex } from './bytes'

export const DEPOSIT_TX_TYPE = 0x7e

export interface TxDeposit {
  sourceHash: Hex
  from: Hex
  /** undefined = contract creation */
  to: Hex | undefined
  mint: bigint
  value: bigint
  gas: bigint
  isSystemTransaction: boolean
  data: Uint8Array
}

export function serializeTxDeposit(tx: TxDeposit): Uint8Array {
  const body = RLP.encode([
    hexBytes(tx.sourceHash, 32),
    hexBytes(tx.from, 20),
    tx.to ? hexBytes(tx.to, 20) : new Uint8Array(0),
    bigintToMinimalBytes(tx.mint),
    bigintToMinimalBytes(tx.value),
    bigintToMinimalBytes(tx.gas),
    tx.isSystemTransaction ? Uint8Array.of(1) : new Uint8Array(0),
    tx.data,
  ])
  const out = new Uint8Array(body.length + 1)
  out[0] = DEPOSIT_TX_TYPE
  out.set(body, 1)
  return out
}

function toBig(b: Uint8Array, field: string): bigint {
  if (b.length > 32) throw new TypeError(`${field} is longer than 32 bytes`)
  if (b.length > 0 && b[0] === 0) throw new TypeError(`${field} has a leading zero`)
  return b.length === 0 ? 0n : BigInt(toHex(b))
}

/** Decodes and shape-checks a deposit; throws TypeError on anything that is not a well-formed 0x7E transaction. */
export function parseTxDeposit(raw: Uint8Array): TxDeposit {
  if (raw[0] !== DEPOSIT_TX_TYPE) throw new TypeError('not a deposit transaction (type byte is not 0x7e)')
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
    sourceHash: toHex(sourceHash!),
    from: toHex(from!),
    to: to!.length === 0 ? undefined : toHex(to!),
    mint: toBig(mint!, 'mint'),
    value: toBig(value!, 'value'),
    gas: gasLimit,
    isSystemTransaction: isSystemTx!.length === 1,
    data: data!,
  }
}
