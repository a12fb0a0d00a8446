/**
 * Receipts from an RPC answer (eth_getBlockReceipts / eth_getTransactionReceipt JSON), validated and re-encoded as
 * consensus receipts, so they can be rebuilt into the block's receipts trie (orderedTrieRoot) and checked against the
 * header's receiptsRoot. Encoding: EIP-2718 typed receipts (type byte ‖ rlp([status, cumulativeGasUsed, logsBloom,
 * logs])), legacy receipts untyped (Yellow Paper §4.3.1). OP deposit receipts (type 0x7e, for L1s that are
 * themselves OP chains) add depositNonce and depositReceiptVersion (OP specs deposits.md §"Deposit Receipt").
 */
import { hexToBytes, type Hex } from 'viem'
import { z } from 'zod'
import { encodeReceipt, type Receipt } from '../eth/encodeReceipt'

const quantity = z.string().regex(/^0x[0-9a-fA-F]{1,64}$/, 'a hex quantity')
const bytesOf = (n: number) => z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${2 * n}}$`), `${n} bytes of hex`)
const data = z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/, 'hex bytes')

const rpcReceiptLogSchema = z.object({
  address: bytesOf(20),
  topics: z.array(bytesOf(32)).max(4),
  data,
  removed: z.boolean().optional(),
})

/** The fields of an RPC receipt that the receipts root commits to, plus where the node says it belongs. */
export const rpcReceiptSchema = z.object({
  type: quantity.optional(),
  /** Post-Byzantium status; pre-Byzantium receipts carry `root` instead and are refused (see encodeRpcReceipt). */
  status: quantity.optional(),
  root: bytesOf(32).optional(),
  cumulativeGasUsed: quantity,
  logsBloom: bytesOf(256),
  logs: z.array(rpcReceiptLogSchema),
  transactionHash: bytesOf(32),
  transactionIndex: quantity,
  blockHash: bytesOf(32),
  depositNonce: quantity.nullish(),
  depositReceiptVersion: quantity.nullish(),
})

export type RpcReceipt = z.infer<typeof rpcReceiptSchema>

/** The consensus encoding of one RPC receipt; throws RangeError for what has no encoding here (described). */
export function encodeRpcReceipt(r: RpcReceipt): Uint8Array {
  const type = Number(r.type ?? '0x0')
  // EIP-2718: typed envelopes use 0x00..0x7f; 0 is the untyped legacy receipt.
  if (!Number.isInteger(type) || type < 0 || type > 0x7f) throw new RangeError(`receipt type ${r.type} is not an EIP-2718 type`)
  if (r.status === undefined) throw new RangeError('receipt has no status (pre-Byzantium receipts are not supported)')
  const status = BigInt(r.status)
  if (status !== 0n && status !== 1n) throw new RangeError(`receipt status ${r.status} is neither 0 nor 1`)
  const receipt: Receipt = {
    type,
    status: status === 1n ? 1 : 0,
    cumulativeGasUsed: BigInt(r.cumulativeGasUsed),
    bloom: hexToBytes(r.logsBloom as Hex),
    logs: r.logs.map((l) => ({ address: hexToBytes(l.address as Hex), topics: l.topics.map((t) => hexToBytes(t as Hex)), data: hexToBytes(l.data as Hex) })),
  }
  if (type === 0x7e) {
    if (r.depositNonce != null) receipt.depositNonce = BigInt(r.depositNonce)
    if (r.depositReceiptVersion != null) receipt.depositReceiptVersion = BigInt(r.depositReceiptVersion)
  }
  return encodeReceipt(receipt)
}

