/**
 * A block's logs from its receipts, checked against the header's receiptsRoot before anything is returned: the
 * receipts commit to every log's address, topics and data in order, so an endpoint cannot hide, alter or invent a
 * log without changing the root. Fields the receipts do not commit to (transaction hashes) come from the block's
 * verified transaction list, never from the RPC answer; log and transaction indices are positions in the verified
 * receipts.
 */
import type { Hex } from 'viem'
import { z } from 'zod'
import type { Address, L1Log } from './L1Source'
import { encodeRpcReceipt, rpcReceiptSchema, type RpcReceipt } from './encodeRpcReceipt'
import { orderedTrieRoot } from './orderedTrieRoot'

/** Header facts the receipts are checked against (from a header whose hash was re-computed, hence trusted). */
export interface ReceiptsCommitment {
  number: number
  hash: Hex
  receiptsRoot: Hex
  gasUsed: bigint
}

export interface SelectVerifiedLogsParameters {
  block: ReceiptsCommitment
  /** The block's transaction hashes, in order, from its transactions checked against transactionsRoot. */
  transactionHashes: readonly Hex[]
  /** The RPC answer: one receipt per transaction, in block order (untrusted, not yet validated). */
  receipts: unknown
  addresses: readonly Address[]
}

export type SelectVerifiedLogsResult = { ok: true; logs: L1Log[]; receiptCount: number; logCount: number } | { ok: false; problem: string }

// Yellow Paper appendix G: G_log 375 + G_logtopic 375 per topic + G_logdata 8 per byte. A block's logs cannot have
// cost more gas than the block used, which bounds what a sane receipts answer can hold.
const G_LOG = 375n
const G_LOGTOPIC = 375n
const G_LOGDATA = 8n

export function selectVerifiedLogs(p: SelectVerifiedLogsParameters): SelectVerifiedLogsResult {
  const { block } = p
  const at = `block ${block.number}`
  if (!Array.isArray(p.receipts)) return { ok: false, problem: `receipts of ${at} are not a list` }
  if (p.receipts.length !== p.transactionHashes.length) {
    return { ok: false, problem: `${p.receipts.length} receipts for the ${p.transactionHashes.length} transactions of ${at}` }
  }
  const parsed = z.array(rpcReceiptSchema).safeParse(p.receipts)
  if (!parsed.success) return { ok: false, problem: `malformed receipts for ${at}: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? '?'}` }
  const receipts: RpcReceipt[] = parsed.data

  let logGas = 0n
  let logCount = 0
  for (let i = 0; i < receipts.length; i++) {
    const r = receipts[i] as RpcReceipt
    if (r.blockHash.toLowerCase() !== block.hash.toLowerCase()) return { ok: false, problem: `receipt ${i} of ${at} says it is from block ${r.blockHash}` }
    if (Number(r.transactionIndex) !== i) return { ok: false, problem: `receipt ${i} of ${at} says it is at index ${Number(r.transactionIndex)}` }
    if (r.transactionHash.toLowerCase() !== (p.transactionHashes[i] as Hex).toLowerCase()) {
      return { ok: false, problem: `receipt ${i} of ${at} is for transaction ${r.transactionHash}, the block has ${p.transactionHashes[i]}` }
    }
    for (const l of r.logs) {
      if (l.removed) return { ok: false, problem: `receipt ${i} of ${at} has a removed log` }
      logGas += G_LOG + G_LOGTOPIC * BigInt(l.topics.length) + G_LOGDATA * BigInt((l.data.length - 2) / 2)
    }
    logCount += r.logs.length
    if (logGas > block.gasUsed) return { ok: false, problem: `receipts of ${at} hold more log data than its ${block.gasUsed} gas could pay for` }
  }

  let encoded: Uint8Array[]
  try {
    encoded = receipts.map(encodeRpcReceipt)
  } catch (e) {
    return { ok: false, problem: `a receipt of ${at} cannot be encoded: ${(e as Error).message}` }
  }
  const root = orderedTrieRoot(encoded)
  if (root.toLowerCase() !== block.receiptsRoot.toLowerCase()) {
    return { ok: false, problem: `receipts of ${at} rebuild receiptsRoot ${root}, the header says ${block.receiptsRoot}` }
  }

  const wanted = new Set(p.addresses.map((a) => a.toLowerCase()))
  const logs: L1Log[] = []
  let logIndex = 0
  for (let i = 0; i < receipts.length; i++) {
    for (const l of (receipts[i] as RpcReceipt).logs) {
      const address = l.address.toLowerCase() as Address
      if (wanted.has(address)) {
        logs.push({
          address,
          topics: l.topics.map((t) => t.toLowerCase() as Hex),
          data: l.data.toLowerCase() as Hex,
          logIndex,
          transactionIndex: i,
          transactionHash: (p.transactionHashes[i] as Hex).toLowerCase() as Hex,
          blockHash: block.hash,
          blockNumber: block.number,
        })
      }
      logIndex++
    }
  }
  return { ok: true, logs, receiptCount: receipts.length, logCount }
}
