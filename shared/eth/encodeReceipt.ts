/**
 * Consensus receipt encoding, for the receipts root (L1 receipts, and OP L2 receipts from the executor). OP deposit receipts append depositNonce and, from Canyon,
 * depositReceiptVersion (= 1). Spec: specs/protocol/deposits.md §"Deposit Receipt"; EIP-2718 typed receipts.
 */
import { RLP } from '@ethereumjs/rlp'
import { bigintToMinimalBytes } from './bytes'

export interface ReceiptLog {
  address: Uint8Array
  topics: Uint8Array[]
  data: Uint8Array
}

export interface Receipt {
  type: number
  status: 0 | 1
  cumulativeGasUsed: bigint
  logs: ReceiptLog[]
  bloom: Uint8Array
  depositNonce?: bigint | undefined
  depositReceiptVersion?: bigint | undefined
}

export function encodeReceipt(r: Receipt): Uint8Array {
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
