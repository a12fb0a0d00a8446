/**
 * Receipt encoding for the receipts root. OP deposit receipts append depositNonce and, from Canyon,
 * depositReceiptVersion (= 1). Spec: specs/protocol/deposits.md §"Deposit Receipt"; EIP-2718 typed receipts.
 */
import { RLP } from '@ethereumjs/rlp'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bigintToMinimalBytes } from '../state/encodeAccount'

export interface ReceiptLog {
  address: Uint8Array
  topics: Uint8Array[]
  data: Uint8Array
}

export interface OpReceipt {
  type: number
  status: 0 | 1
  cumulativeGasUsed: bigint
  logs: ReceiptLog[]
  bloom: Uint8Array
  depositNonce?: bigint | undefined
  depositReceiptVersion?: bigint | undefined
}

export function encodeReceipt(r: OpReceipt): Uint8Array {
  const fields: (Uint8Array | Uint8Array[] | (Uint8Array | Uint8Array[])[][])[] = [
    r.status === 1 ? Uint8Array.of(1) : new Uint8Array(0),
    bigintToMinimalBytes(r.cumulativeGasUsed),
    r.bloom,
    r.logs.map((l) => [l.address, l.topics, l.data]),
  ]
  if (r.depositNonce !== undefined) fields.push(bigintToMinimalBytes(r.depositNonce))
  if (r.depositReceiptVersion !== undefined) fields.push(bigintToMinimalBytes(r.depositReceiptVersion))
  const body = RLP.encode(fields as never)
  if (r.type === 0) return body
  const out = new Uint8Array(body.length + 1)
  out[0] = r.type
  out.set(body, 1)
  return out
}

/** The 2048-bit logs bloom (Yellow Paper §4.4.1). */
export function logsBloom(logs: readonly ReceiptLog[], into = new Uint8Array(256)): Uint8Array {
  const add = (item: Uint8Array): void => {
    const h = keccak_256(item)
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i]! << 8) | h[i + 1]!) & 0x7ff
      into[255 - (bit >> 3)]! |= 1 << (bit & 7)
    }
  }
  for (const log of logs) {
    add(log.address)
    for (const t of log.topics) add(t)
  }
  return into
}
