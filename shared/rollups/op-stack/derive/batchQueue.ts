/**
 * The batch stage: orders batches into the next singular batch for the safe head, splits span batches, and generates
 * empty batches when the sequencing window expires (specs/protocol/derivation.md §"Batch Queue",
 * holocene/derivation.md §"Batch Queue"; op-node base_batch_stage.go, batch_queue.go (pre-Holocene, buffers future
 * batches), batch_stage.go (Holocene, strict order, fast channel invalidation)).
 *
 * Empty batches are how the chain advances when the sequencer posts nothing: once every L1 block up to
 * `epoch + seq_window_size` has been read without a valid batch, one empty block per block time is generated in the
 * current epoch until L2 time reaches the next L1 block's time, then the epoch advances.
 */
import type { L1BlockRef } from '../../../l1/L1Source'
import { type RollupConfig } from '../config/rollupConfig'
import type { Batch, Hex, SingularBatch, SpanBatch } from './batchTypes'
import { checkSingularBatch, checkSpanBatch, checkSpanBatchPrefix, type CheckContext, type SafeChainView } from './checkBatch'
import { DerivationError } from './errors'
import type { L2BlockRef } from './l2Types'
import { EOF, NOT_ENOUGH_DATA, type Signal } from './signals'

export interface NextBatchProvider {
  origin(): L1BlockRef
  nextBatch(): Promise<Batch | Signal>
  /** Holocene: drop the rest of the current channel. */
  flushChannel(): void
}

export interface BatchStageEvents {
  onBatchDropped?(reason: string, batch: Batch): void
  onUncheckedParent?(): void
  onEmptyBatch?(batch: SingularBatch): void
}

/** A singular batch ready for the attributes stage. `parentHash` undefined = built on an unexecuted parent. */
export type NextSingularBatch = Omit<SingularBatch, 'parentHash'> & { parentHash: Hex | undefined; generatedEmpty: boolean }

interface BatchWithInclusion {
  batch: Batch
  l1InclusionBlock: L1BlockRef
}

export interface BatchStageDeps {
  config: RollupConfig
  prev: NextBatchProvider
  l2: SafeChainView
  events?: BatchStageEvents
  hashTx?: (tx: Uint8Array) => Hex
}

type Fork = 'pre-holocene' | 'holocene'

export class BatchStage {
  private readonly d: BatchStageDeps
  private mode: Fork
  private originRef: L1BlockRef
  private l1Blocks: L1BlockRef[] = []
  private nextSpan: NextSingularBatch[] = []
  /** Pre-Holocene only: buffered batches in order of first sighting. */
  private batches: BatchWithInclusion[] = []

  constructor(d: BatchStageDeps, base: L1BlockRef, mode: Fork) {
    this.d = d
    this.mode = mode
    this.originRef = base
    this.l1Blocks = [base]
  }

  /** Holocene activation (op-node BatchMux.TransformHolocene): keep the L1 blocks, drop buffered and span batches. */
  transformHolocene(): void {
    if (this.mode === 'holocene') return
    this.mode = 'holocene'
    this.batches = []
    this.nextSpan = []
  }

  flushChannel(): void {
    this.nextSpan = []
    this.d.prev.flushChannel()
  }

  async nextBatch(parent: L2BlockRef): Promise<{ batch: NextSingularBatch; concluding: boolean } | Signal> {
    return this.mode === 'holocene' ? this.nextHolocene(parent) : this.nextPreHolocene(parent)
  }

  private ctx(parent: L2BlockRef, inclusion: L1BlockRef): CheckContext {
    const c: CheckContext = { config: this.d.config, l1Blocks: this.l1Blocks, safeHead: parent, l1InclusionBlock: inclusion }
    if (this.d.events?.onUncheckedParent) c.onUncheckedParent = this.d.events.onUncheckedParent
    if (this.d.hashTx) c.hashTx = this.d.hashTx
    return c
  }

  private popNextBatch(parent: L2BlockRef): NextSingularBatch {
    const next = this.nextSpan.shift() as NextSingularBatch
    // The parent check was verified for the span; the singular batch builds on `parent`.
    next.parentHash = parent.hash
    return next
  }

  private nextFromSpanBatch(parent: L2BlockRef): { batch: NextSingularBatch; concluding: boolean } | undefined {
    if (this.nextSpan.length > 0) {
      if ((this.nextSpan[0] as NextSingularBatch).timestamp === BigInt(parent.timestamp + this.d.config.blockTime)) {
        const batch = this.popNextBatch(parent)
        return { batch, concluding: this.nextSpan.length === 0 }
      }
      // The previously returned batch was not applied (invalid payload): drop the rest of the span.
      this.nextSpan = []
    }
    return undefined
  }

  private updateOrigins(parent: L2BlockRef): void {
    const prevOrigin = this.d.prev.origin()
    const originBehind = prevOrigin.number < parent.l1Origin.number
    if (this.originRef.hash !== prevOrigin.hash) {
      this.originRef = prevOrigin
      if (!originBehind) this.l1Blocks.push(prevOrigin)
      else this.l1Blocks = []
    }
    if (this.l1Blocks.length > 0 && parent.l1Origin.number > (this.l1Blocks[0] as L1BlockRef).number) {
      const i = this.l1Blocks.findIndex((b) => b.number === parent.l1Origin.number)
      if (i >= 0) this.l1Blocks = this.l1Blocks.slice(i)
    }
  }

  private originBehind(parent: L2BlockRef): boolean {
    return this.d.prev.origin().number < parent.l1Origin.number
  }

  /** op-node baseBatchStage.deriveNextEmptyBatch */
  private deriveNextEmptyBatch(outOfData: boolean, parent: L2BlockRef): NextSingularBatch | typeof EOF {
    const epoch = this.l1Blocks[0] as L1BlockRef
    const expiryEpoch = epoch.number + this.d.config.seqWindowSize
    const forceEmptyBatches = (expiryEpoch === this.originRef.number && outOfData) || expiryEpoch < this.originRef.number
    const firstOfEpoch = epoch.number === parent.l1Origin.number + 1
    const nextTimestamp = parent.timestamp + this.d.config.blockTime
    if (!forceEmptyBatches) return EOF
    if (this.l1Blocks.length < 2) return EOF
    const nextEpoch = this.l1Blocks[1] as L1BlockRef
    if (nextTimestamp < nextEpoch.timestamp || firstOfEpoch) {
      const batch: NextSingularBatch = {
        type: 'singular',
        parentHash: parent.hash,
        epochNum: BigInt(epoch.number),
        epochHash: epoch.hash,
        timestamp: BigInt(nextTimestamp),
        transactions: [],
        generatedEmpty: true,
      }
      this.d.events?.onEmptyBatch?.(batch as unknown as SingularBatch)
      return batch
    }
    // Every empty batch of this epoch is generated: advance the epoch.
    this.l1Blocks = this.l1Blocks.slice(1)
    return EOF
  }

  private spanToSingulars(span: SpanBatch, parent: L2BlockRef): NextSingularBatch[] {
    const out: NextSingularBatch[] = []
    let originIdx = 0
    for (const b of span.blocks) {
      if (b.timestamp <= BigInt(parent.timestamp)) continue
      let hash: Hex | undefined
      for (let i = originIdx; i < this.l1Blocks.length; i++) {
        if (BigInt((this.l1Blocks[i] as L1BlockRef).number) === b.epochNum) {
          originIdx = i
          hash = (this.l1Blocks[i] as L1BlockRef).hash
          break
        }
      }
      if (!hash) throw new DerivationError('Derivation reached an inconsistent state (span batch origin not buffered).', { kind: 'critical', details: `epoch ${b.epochNum}` })
      out.push({ type: 'singular', parentHash: undefined, epochNum: b.epochNum, epochHash: hash, timestamp: b.timestamp, transactions: b.transactions, generatedEmpty: false })
    }
    return out
  }

  // ---- pre-Holocene (op-node BatchQueue) ----

  private async nextPreHolocene(parent: L2BlockRef): Promise<{ batch: NextSingularBatch; concluding: boolean } | Signal> {
    const fromSpan = this.nextFromSpanBatch(parent)
    if (fromSpan) return fromSpan
    this.updateOrigins(parent)
    const originBehind = this.originBehind(parent)
    let outOfData = false
    const got = await this.d.prev.nextBatch()
    if (got === EOF) outOfData = true
    else if (got === NOT_ENOUGH_DATA) return NOT_ENOUGH_DATA
    else if (!originBehind) this.addBatch(got, parent)
    if (originBehind) return outOfData ? EOF : NOT_ENOUGH_DATA

    const next = this.deriveNextBatch(outOfData, parent)
    if (next === EOF) return outOfData ? EOF : NOT_ENOUGH_DATA
    if (next.type === 'singular') {
      return { batch: { ...next, generatedEmpty: (next as NextSingularBatch).generatedEmpty ?? false }, concluding: true }
    }
    this.nextSpan = this.spanToSingulars(next, parent)
    const batch = this.popNextBatch(parent)
    return { batch, concluding: this.nextSpan.length === 0 }
  }

  private check(b: BatchWithInclusion, parent: L2BlockRef): { validity: string; reason?: string } {
    const ctx = this.ctx(parent, b.l1InclusionBlock)
    return b.batch.type === 'singular' ? checkSingularBatch(ctx, b.batch) : checkSpanBatch(ctx, b.batch, this.d.l2)
  }

  private addBatch(batch: Batch, parent: L2BlockRef): void {
    const data = { batch, l1InclusionBlock: this.originRef }
    const r = this.check(data, parent)
    if (r.validity === 'drop') {
      this.d.events?.onBatchDropped?.(r.reason ?? 'invalid', batch)
      return
    }
    this.batches.push(data)
  }

  private deriveNextBatch(outOfData: boolean, parent: L2BlockRef): Batch | NextSingularBatch | typeof EOF {
    const epoch = this.l1Blocks[0]
    if (!epoch) throw new DerivationError('Derivation reached an inconsistent state (no L1 origin buffered).', { kind: 'critical' })
    if (!(parent.l1Origin.number === epoch.number && parent.l1Origin.hash === epoch.hash) && parent.l1Origin.number !== epoch.number - 1) {
      throw new DerivationError('The buffered L1 epoch does not match the safe head origin.', { kind: 'critical', details: `epoch ${epoch.number}, safe head origin ${parent.l1Origin.number}` })
    }
    let next: BatchWithInclusion | undefined
    const remaining: BatchWithInclusion[] = []
    for (let i = 0; i < this.batches.length; i++) {
      const b = this.batches[i] as BatchWithInclusion
      const r = this.check(b, parent)
      if (r.validity === 'future') {
        remaining.push(b)
        continue
      }
      if (r.validity === 'drop') {
        this.d.events?.onBatchDropped?.(r.reason ?? 'invalid', b.batch)
        continue
      }
      if (r.validity === 'accept') {
        next = b
        remaining.push(...this.batches.slice(i + 1))
        break
      }
      if (r.validity === 'undecided') {
        remaining.push(...this.batches.slice(i))
        this.batches = remaining
        return EOF
      }
      throw new DerivationError(`Unexpected batch validity ${r.validity} before Holocene.`, { kind: 'critical' })
    }
    this.batches = remaining
    if (next) {
      if (next.batch.type === 'singular') return { ...next.batch, generatedEmpty: false } as NextSingularBatch
      return next.batch
    }
    return this.deriveNextEmptyBatch(outOfData, parent)
  }

  // ---- Holocene (op-node BatchStage) ----

  private async nextHolocene(parent: L2BlockRef): Promise<{ batch: NextSingularBatch; concluding: boolean } | Signal> {
    this.updateOrigins(parent)
    if (this.originBehind(parent) || parent.l1Origin.number === this.originRef.number) {
      const r = await this.d.prev.nextBatch()
      if (r === EOF || r === NOT_ENOUGH_DATA) return r
      return NOT_ENOUGH_DATA // drain past batches
    }
    if (this.l1Blocks.length < 2) {
      throw new DerivationError('Derivation reached an inconsistent state (fewer than two buffered L1 blocks).', { kind: 'critical' })
    }
    const epoch = this.l1Blocks[0] as L1BlockRef
    if (!(parent.l1Origin.number === epoch.number && parent.l1Origin.hash === epoch.hash) && parent.l1Origin.number !== epoch.number - 1) {
      throw new DerivationError('The buffered L1 epoch does not match the safe head origin.', { kind: 'critical', details: `epoch ${epoch.number}, safe head origin ${parent.l1Origin.number}` })
    }
    const candidate = await this.nextSingularCandidate(parent)
    if (candidate === EOF) {
      const empty = this.deriveNextEmptyBatch(true, parent)
      if (empty === EOF) return EOF
      return { batch: empty, concluding: true }
    }
    if (candidate === NOT_ENOUGH_DATA) return NOT_ENOUGH_DATA
    const r = checkSingularBatch(this.ctx(parent, this.originRef), { ...candidate, parentHash: candidate.parentHash ?? (parent.hash as Hex) })
    switch (r.validity) {
      case 'accept':
        return { batch: candidate, concluding: true }
      case 'past':
        return NOT_ENOUGH_DATA
      case 'drop':
        this.d.events?.onBatchDropped?.(r.reason ?? 'invalid', candidate as SingularBatch)
        this.flushChannel()
        return NOT_ENOUGH_DATA
      case 'undecided':
        return NOT_ENOUGH_DATA
      default:
        throw new DerivationError(`Impossible batch validity ${r.validity} under Holocene.`, { kind: 'critical' })
    }
  }

  private async nextSingularCandidate(parent: L2BlockRef): Promise<NextSingularBatch | Signal> {
    const fromSpan = this.nextFromSpanBatch(parent)
    if (fromSpan) return fromSpan.batch
    const got = await this.d.prev.nextBatch()
    if (got === EOF || got === NOT_ENOUGH_DATA) return got
    if (got.type === 'singular') return { ...got, generatedEmpty: false }
    const r = checkSpanBatchPrefix(this.ctx(parent, this.originRef), got, this.d.l2)
    switch (r.validity) {
      case 'accept':
        break
      case 'past':
      case 'undecided':
        return NOT_ENOUGH_DATA
      case 'drop':
        this.d.events?.onBatchDropped?.(r.reason ?? 'invalid', got)
        this.flushChannel()
        return NOT_ENOUGH_DATA
      default:
        throw new DerivationError('Impossible future span batch under Holocene.', { kind: 'critical' })
    }
    this.nextSpan = this.spanToSingulars(got, parent)
    return this.popNextBatch(parent)
  }

  origin(): L1BlockRef {
    return this.d.prev.origin()
  }
}
