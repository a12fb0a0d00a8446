/**
 * The devnet OP L2's blocks, transactions, receipts and logs in the JSON shapes op-geth / op-reth answer with, from
 * the chain's own records (types.ts). Transactions go through shared formatRpcL2Transaction, the exact inverse of the
 * app's parser, so what the app re-serialises from this JSON is the chain's bytes.
 */
import { bytesToHex, hexToBytes, numberToHex, type Hex } from 'viem'
import { formatRpcL2Transaction } from '../../../../../shared/rollups/op-stack/derive/start/formatRpcL2Transaction'
import type { BlockHeader } from '../../../../../shared/eth/header'
import type { OpL2Block, OpL2Transaction } from '../types'

const q = (v: bigint | number): Hex => numberToHex(v)

export function formatTransaction(block: OpL2Block, tx: OpL2Transaction): Record<string, unknown> {
  return { ...formatRpcL2Transaction(hexToBytes(tx.raw), { blockHash: block.hash, blockNumber: block.number, index: tx.index }), from: tx.from }
}

/** eth_getBlockBy*: `header` may be a lying copy; `hash` stays the chain's (a lying node claims the real hash). */
export function formatBlock(block: OpL2Block, full: boolean, header: BlockHeader = block.header): Record<string, unknown> {
  const h = header
  const out: Record<string, unknown> = {
    hash: block.hash,
    parentHash: h.parentHash,
    sha3Uncles: h.sha3Uncles,
    miner: h.miner,
    stateRoot: h.stateRoot,
    transactionsRoot: h.transactionsRoot,
    receiptsRoot: h.receiptsRoot,
    logsBloom: h.logsBloom,
    difficulty: q(h.difficulty),
    totalDifficulty: '0x0',
    number: q(h.number),
    gasLimit: q(h.gasLimit),
    gasUsed: q(h.gasUsed),
    timestamp: q(h.timestamp),
    extraData: h.extraData,
    mixHash: h.mixHash,
    nonce: h.nonce,
    baseFeePerGas: q(h.baseFeePerGas),
    size: q(block.transactions.reduce((n, t) => n + (t.raw.length - 2) / 2, 540)),
    uncles: [],
    transactions: full ? block.transactions.map((t) => formatTransaction(block, t)) : block.transactions.map((t) => t.hash),
  }
  if (h.withdrawalsRoot !== undefined) Object.assign(out, { withdrawalsRoot: h.withdrawalsRoot, withdrawals: [] })
  if (h.blobGasUsed !== undefined) out.blobGasUsed = q(h.blobGasUsed)
  if (h.excessBlobGas !== undefined) out.excessBlobGas = q(h.excessBlobGas)
  if (h.parentBeaconBlockRoot !== undefined) out.parentBeaconBlockRoot = h.parentBeaconBlockRoot
  if (h.requestsHash !== undefined) out.requestsHash = h.requestsHash
  return out
}

export function formatLogs(block: OpL2Block, tx: OpL2Transaction): Record<string, unknown>[] {
  return tx.receipt.logs.map((log, i) => ({
    address: bytesToHex(log.address),
    topics: log.topics.map((t) => bytesToHex(t)),
    data: bytesToHex(log.data),
    blockNumber: q(block.number),
    blockHash: block.hash,
    blockTimestamp: q(block.header.timestamp),
    transactionHash: tx.hash,
    transactionIndex: q(tx.index),
    logIndex: q(tx.firstLogIndex + i),
    removed: false,
  }))
}

export function formatReceipt(block: OpL2Block, tx: OpL2Transaction): Record<string, unknown> {
  const r = tx.receipt
  const out: Record<string, unknown> = {
    transactionHash: tx.hash,
    transactionIndex: q(tx.index),
    blockHash: block.hash,
    blockNumber: q(block.number),
    from: tx.from,
    to: tx.to,
    cumulativeGasUsed: q(r.cumulativeGasUsed),
    gasUsed: q(tx.gasUsed),
    effectiveGasPrice: q(tx.effectiveGasPrice),
    contractAddress: tx.contractAddress,
    logs: formatLogs(block, tx),
    logsBloom: bytesToHex(r.bloom),
    status: r.status === 1 ? '0x1' : '0x0',
    type: q(tx.type),
  }
  if (r.depositNonce !== undefined) out.depositNonce = q(r.depositNonce)
  if (r.depositReceiptVersion !== undefined) out.depositReceiptVersion = q(r.depositReceiptVersion)
  return out
}

/** op-node's optimism_outputAtBlock answer (OutputResponse: version, outputRoot, blockRef, withdrawalStorageRoot, stateRoot). */
export function formatOutput(block: OpL2Block): Record<string, unknown> {
  return {
    version: `0x${'00'.repeat(32)}`,
    outputRoot: block.outputRoot,
    blockRef: {
      hash: block.hash,
      number: Number(block.number),
      parentHash: block.header.parentHash,
      timestamp: Number(block.header.timestamp),
      l1origin: { hash: block.l1Origin.hash, number: Number(block.l1Origin.number) },
      sequenceNumber: Number(block.sequenceNumber),
    },
    withdrawalStorageRoot: block.messagePasserStorageRoot,
    stateRoot: block.stateRoot,
  }
}
