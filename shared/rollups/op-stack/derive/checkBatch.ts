/**
 * Batch validity rules (specs/protocol/derivation.md §"Batch Queue", delta/span-batches.md §"Span batch validation",
 * holocene/derivation.md §"Batch Queue", isthmus/derivation.md; op-node batches.go `checkSingularBatch`,
 * `checkSpanBatchPrefix`, `checkSpanBatch`).
 *
 * Without execution, L2 block hashes are unknown: a parent-hash check against an unknown hash is skipped and
 * reported through `onUncheckedParent` (honest-sequencer approximation; see l2Types.ts ExecutionOracle).
 */
import type { L1BlockRef } from '../../../l1/L1Source'
import { isForkActivationBlock, isForkActive, maxSequencerDrift, type OpFork, type RollupConfig } from '../config/rollupConfig'
import type { Hex, SingularBatch, SpanBatch } from './batchTypes'
import { SET_CODE_TX_TYPE } from './spanBatchTx'
import type { L2BlockRef } from './l2Types'
import { toHex } from '../../../eth/bytes'
import { DEPOSIT_TX_TYPE } from '../../../eth/TxDeposit'

export type BatchValidity = 'drop' | 'accept' | 'undecided' | 'future' | 'past'

export interface CheckResult {
  validity: BatchValidity
  reason?: string
}

/** Recent safe L2 blocks, for span batches that overlap the safe chain (op-node SafeBlockFetcher). */
export interface SafeChainView {
  blockByNumber(n: number): { ref: L2BlockRef; nonDepositTxHashes: readonly Hex[] } | undefined
}

export interface CheckContext {
  config: RollupConfig
  /** Consecutive L1 blocks starting at the safe head's epoch. */
  l1Blocks: readonly L1BlockRef[]
  safeHead: L2BlockRef
  l1InclusionBlock: L1BlockRef
  onUncheckedParent?: () => void
  hashTx?: (tx: Uint8Array) => Hex
}

const drop = (reason: string): CheckResult => ({ validity: 'drop', reason })

/**
 * Forks whose activation block must carry no sequenced transactions: a non-empty batch for it is dropped (op-node
 * batches.go `checkSingularBatch` "Fork activation blocks must not contain user transactions", from Jovian on; kona
 * single.rs `NonEmptyTransitionBlock`). Earlier forks (Ecotone…Isthmus) keep empty upgrade blocks only by sequencer
 * policy (`NoTxPool`), so their batches are accepted.
 */
const EMPTY_ACTIVATION_BLOCK_FORKS: readonly OpFork[] = ['jovian', 'karst']

function activationBlockWithTxs(config: RollupConfig, timestamp: bigint, txCount: number): string | undefined {
  if (txCount === 0 || timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return undefined
  const fork = EMPTY_ACTIVATION_BLOCK_FORKS.find((f) => isForkActivationBlock(config, f, Number(timestamp)))
  return fork ? `batch has transactions in the ${fork} activation block` : undefined
}

function txProblem(config: RollupConfig, txs: readonly Uint8Array[], timestamp: bigint): string | undefined {
  const isthmus = timestamp <= BigInt(Number.MAX_SAFE_INTEGER) && isForkActive(config, 'isthmus', Number(timestamp))
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i] as Uint8Array
    if (tx.length === 0) return `transaction ${i} is empty`
    if (tx[0] === DEPOSIT_TX_TYPE) return `transaction ${i} is a deposit; sequencers may not embed deposits`
    if (!isthmus && tx[0] === SET_CODE_TX_TYPE) return `transaction ${i} is a SetCode transaction before Isthmus`
  }
  return undefined
}

export function checkSingularBatch(ctx: CheckContext, batch: SingularBatch): CheckResult {
  const { config, l1Blocks, safeHead, l1InclusionBlock } = ctx
  if (l1Blocks.length === 0) return { validity: 'undecided', reason: 'missing L1 block input' }
  const epoch = l1Blocks[0] as L1BlockRef
  const holocene = isForkActive(config, 'holocene', l1InclusionBlock.timestamp)
  const nextTimestamp = BigInt(safeHead.timestamp + config.blockTime)
  if (batch.timestamp > nextTimestamp) return holocene ? drop('future batch (Holocene)') : { validity: 'future' }
  if (batch.timestamp < nextTimestamp) return holocene ? { validity: 'past', reason: 'past batch' } : drop('batch timestamp is before the next L2 block')
  if (safeHead.hash === undefined) ctx.onUncheckedParent?.()
  else if (batch.parentHash !== safeHead.hash) return drop('parent hash does not match the safe head')
  if (batch.epochNum + BigInt(config.seqWindowSize) < BigInt(l1InclusionBlock.number)) return drop('included after the sequencing window')
  let batchOrigin = epoch
  const en = BigInt(epoch.number)
  if (batch.epochNum < en) return drop('epoch is too old')
  if (batch.epochNum === en + 1n) {
    if (l1Blocks.length < 2) return { validity: 'undecided', reason: 'needs the next L1 block' }
    batchOrigin = l1Blocks[1] as L1BlockRef
  } else if (batch.epochNum !== en) {
    return drop('epoch is too far ahead')
  }
  if (batch.epochHash !== batchOrigin.hash) return drop('epoch hash does not match the canonical L1 block')
  if (batch.timestamp < BigInt(batchOrigin.timestamp)) return drop('timestamp is before the L1 origin timestamp')
  const max = BigInt(batchOrigin.timestamp + maxSequencerDrift(config, batchOrigin.timestamp))
  if (batch.timestamp > max) {
    if (batch.transactions.length === 0) {
      if (epoch.number === batchOrigin.number) {
        if (l1Blocks.length < 2) return { validity: 'undecided', reason: 'empty batch past the drift needs the next L1 block' }
        if (batch.timestamp >= BigInt((l1Blocks[1] as L1BlockRef).timestamp)) return drop('past the sequencer drift while the next L1 origin was available')
      }
    } else {
      return drop('past the sequencer drift with transactions')
    }
  }
  const a = activationBlockWithTxs(config, batch.timestamp, batch.transactions.length)
  if (a) return drop(a)
  const p = txProblem(config, batch.transactions, batch.timestamp)
  if (p) return drop(p)
  return { validity: 'accept' }
}

function blockTime(batch: SpanBatch, i: number): bigint {
  return (batch.blocks[i] as SpanBatch['blocks'][number]).timestamp
}

function checkParent(ctx: CheckContext, batch: SpanBatch, parentHash: Hex | undefined): boolean {
  if (parentHash === undefined) {
    ctx.onUncheckedParent?.()
    return true
  }
  return toHex(batch.parentCheck) === parentHash.slice(0, 42).toLowerCase()
}

/** Holocene prefix rules (also the first half of pre-Holocene span validation). Returns the parent block. */
export function checkSpanBatchPrefix(ctx: CheckContext, batch: SpanBatch, l2: SafeChainView): CheckResult & { parent?: L2BlockRef } {
  const { config, l1Blocks, safeHead, l1InclusionBlock } = ctx
  if (l1Blocks.length === 0) return { validity: 'undecided', reason: 'missing L1 block input' }
  const epoch = l1Blocks[0] as L1BlockRef
  const first = batch.blocks[0] as SpanBatch['blocks'][number]
  const last = batch.blocks[batch.blocks.length - 1] as SpanBatch['blocks'][number]
  const startEpochNum = first.epochNum
  let batchOrigin = epoch
  if (startEpochNum === BigInt(batchOrigin.number) + 1n) {
    if (l1Blocks.length < 2) return { validity: 'undecided', reason: 'needs the next L1 block' }
    batchOrigin = l1Blocks[1] as L1BlockRef
  }
  if (!isForkActive(config, 'delta', batchOrigin.timestamp)) return drop('span batch with an L1 origin before Delta')
  const holocene = isForkActive(config, 'holocene', l1InclusionBlock.timestamp)
  const nextTimestamp = BigInt(safeHead.timestamp + config.blockTime)
  if (first.timestamp > nextTimestamp) return holocene ? drop('future span batch (Holocene)') : { validity: 'future' }
  if (last.timestamp < nextTimestamp) return holocene ? { validity: 'past', reason: 'span batch has no new blocks' } : drop('span batch has no new blocks')
  let parent = safeHead
  if (first.timestamp < nextTimestamp) {
    if (first.timestamp > BigInt(safeHead.timestamp)) return drop('misaligned timestamp')
    const gap = BigInt(safeHead.timestamp) - first.timestamp
    if (gap % BigInt(config.blockTime) !== 0n) return drop('misaligned timestamp, not overlapped exactly')
    const parentNum = safeHead.number - Number(gap / BigInt(config.blockTime)) - 1
    const found = l2.blockByNumber(parentNum)
    if (!found) return { validity: 'undecided', reason: `overlapped parent block ${parentNum} is not known` }
    parent = found.ref
  }
  if (!checkParent(ctx, batch, parent.hash)) return { ...drop('parent check does not match'), parent }
  if (startEpochNum + BigInt(config.seqWindowSize) < BigInt(l1InclusionBlock.number)) return { ...drop('included after the sequencing window'), parent }
  if (startEpochNum > BigInt(parent.l1Origin.number) + 1n) return { ...drop('epoch is too far ahead'), parent }
  let originChecked = false
  for (const b of l1Blocks) {
    if (BigInt(b.number) === last.epochNum) {
      if (toHex(batch.l1OriginCheck) !== b.hash.slice(0, 42).toLowerCase()) return { ...drop('L1 origin check does not match'), parent }
      originChecked = true
      break
    }
  }
  if (!originChecked) return { validity: 'undecided', reason: 'needs more L1 blocks to check the origins', parent }
  if (startEpochNum < BigInt(parent.l1Origin.number)) return { ...drop('epoch is too old'), parent }
  return { validity: 'accept', parent }
}

/** Full span batch validation (pre-Holocene batch queue). */
export function checkSpanBatch(ctx: CheckContext, batch: SpanBatch, l2: SafeChainView): CheckResult {
  const prefix = checkSpanBatchPrefix(ctx, batch, l2)
  if (prefix.validity !== 'accept') return prefix
  const { config, l1Blocks, safeHead } = ctx
  const parent = prefix.parent as L2BlockRef
  const first = batch.blocks[0] as SpanBatch['blocks'][number]
  let originIdx = 0
  let originAdvanced = first.epochNum === BigInt(parent.l1Origin.number) + 1n
  for (let i = 0; i < batch.blocks.length; i++) {
    const b = batch.blocks[i] as SpanBatch['blocks'][number]
    if (b.timestamp <= BigInt(safeHead.timestamp)) continue
    let l1Origin: L1BlockRef | undefined
    for (let j = originIdx; j < l1Blocks.length; j++) {
      if (b.epochNum === BigInt((l1Blocks[j] as L1BlockRef).number)) {
        l1Origin = l1Blocks[j]
        originIdx = j
        break
      }
    }
    // op-node leaves a zero-value origin when none is found (timestamp 0): the drift check then drops the block.
    const origin = l1Origin ?? { number: 0, hash: '0x' as Hex, parentHash: '0x' as Hex, timestamp: 0 }
    if (i > 0) originAdvanced = b.epochNum > (batch.blocks[i - 1] as SpanBatch['blocks'][number]).epochNum
    if (b.timestamp < BigInt(origin.timestamp)) return drop(`block ${i} timestamp is before its L1 origin`)
    const max = BigInt(origin.timestamp + maxSequencerDrift(config, origin.timestamp))
    if (b.timestamp > max) {
      if (b.transactions.length === 0) {
        if (!originAdvanced) {
          if (originIdx + 1 >= l1Blocks.length) return { validity: 'undecided', reason: 'empty block past the drift needs the next L1 block' }
          if (b.timestamp >= BigInt((l1Blocks[originIdx + 1] as L1BlockRef).timestamp)) return drop(`block ${i} past the drift while the next L1 origin was available`)
        }
      } else {
        return drop(`block ${i} past the sequencer drift with transactions`)
      }
    }
    const p = txProblem(config, b.transactions, b.timestamp)
    if (p) return drop(`block ${i}: ${p}`)
  }
  // Blocks that overlap the safe chain must match it exactly (tx list and L1 origin).
  const nextTimestamp = BigInt(safeHead.timestamp + config.blockTime)
  if (first.timestamp < nextTimestamp) {
    const hash = ctx.hashTx
    for (let i = 0; i < safeHead.number - parent.number; i++) {
      const safe = l2.blockByNumber(parent.number + i + 1)
      if (!safe) return { validity: 'undecided', reason: `overlapped block ${parent.number + i + 1} is not known` }
      const txs = (batch.blocks[i] as SpanBatch['blocks'][number]).transactions
      if (safe.nonDepositTxHashes.length !== txs.length) return drop("overlapped block's tx count does not match")
      if (hash) {
        for (let j = 0; j < txs.length; j++) if (hash(txs[j] as Uint8Array) !== safe.nonDepositTxHashes[j]) return drop("overlapped block's transaction does not match")
      }
      if (BigInt(safe.ref.l1Origin.number) !== (batch.blocks[i] as SpanBatch['blocks'][number]).epochNum) return drop("overlapped block's L1 origin does not match")
    }
  }
  return { validity: 'accept' }
}

export function blockTimestampOf(batch: SpanBatch, i: number): bigint {
  return blockTime(batch, i)
}
