/**
 * The derivation pipeline: L1 blocks → ordered L2 block inputs (payload attributes), exactly as op-node's pipeline
 * (specs/protocol/derivation.md §"Derivation Pipeline"; op-node pipeline.go, l1_traversal.go, l1_retrieval.go,
 * attributes_queue.go, engine step): L1 traversal → retrieval → frame queue → channel bank | assembler (Holocene) →
 * channel reader → batch queue | stage (Holocene) → attributes → engine (ExecutionOracle).
 *
 * Exactness needs execution (parent hashes; invalid payloads). Without an ExecutionOracle the result is the
 * honest-sequencer approximation: every payload is assumed valid and parent hashes are unchecked (counted in
 * progress.uncheckedParentHashes). Holocene stage switching happens at the first L1 block with timestamp ≥ Holocene.
 */
import type { BlobSource, AbortSignalLike } from '../../../l1/BlobSource'
import type { BlobScheduleEntry } from '../../../l1/blobBaseFee'
import type { Decompressor } from '../../../l1/Decompressor'
import type { L1BlockHeader, L1BlockRef, L1Log, L1Source } from '../../../l1/L1Source'
import { isForkActive, type OpFork, type RollupConfig } from '../config/rollupConfig'
import type { Batch, Hex } from './batchTypes'
import { BatchStage, type NextBatchProvider, type NextSingularBatch } from './batchQueue'
import { buildPayloadAttributes, type BuiltAttributes } from './buildPayloadAttributes'
import { NETWORK_UPGRADE_TXS } from './networkUpgradeTxs'
import { upgradeForksAt, upgradeForksNotBuiltAt } from './upgradeTransactions'
import { upgradeGroupsFor, type UpgradeTxSource } from './upgrades/fetchNodeUpgradeTxs'
import { VERIFIED_UPGRADE_FORKS } from './upgrades/verifiedUpgradeForks'
import { ChannelInReader } from './channelInReader'
import { ChannelAssembler, ChannelBank, type RawChannelProvider } from './channelStages'
import type { SafeChainView } from './checkBatch'
import { DerivationError, UnsupportedChainFeatureError } from './errors'
import { FrameQueue, type NextDataProvider } from './frameQueue'
import { hashTx } from './hashTx'
import type { DerivedL2Block, ExecutionOracle, L2BlockRef, PayloadAttributes } from './l2Types'
import { retrieveBatcherData } from './retrieveBatcherData'
import { EOF, NOT_ENOUGH_DATA } from './signals'
import { applySystemConfigLogs, genesisSystemConfig, type SystemConfig } from './systemConfig'
import { DEPOSIT_TX_TYPE } from '../../../eth/TxDeposit'

export interface DerivationProgress {
  /** The L1 block being read. */
  l1Block: number
  l1BlocksScanned: number
  batcherTransactions: number
  frames: number
  framesDropped: number
  channelsRead: number
  channelsTimedOut: number
  batchesRead: number
  batchesDropped: number
  l2BlocksDerived: number
  emptyBatches: number
  uncheckedParentHashes: number
  invalidPayloads: number
}

/** A block of the safe chain as overlapping span batches are checked against it (checkBatch.ts SafeChainView). */
export interface SafeChainEntry {
  ref: L2BlockRef
  /** Hashes of the block's non-deposit transactions, in order. */
  nonDepositTxHashes: readonly Hex[]
}

export interface DerivationStart {
  /** The L2 block to build on. */
  safeHead: L2BlockRef
  /** SystemConfig in force for the safe head (after the updates of its L1 origin). */
  safeHeadSystemConfig: SystemConfig
  /** The L1 block traversal starts at (its batcher data is read): the safe head's origin, or earlier. */
  l1Start: number
  /** SystemConfig after the updates of block l1Start (for batcher authentication). */
  l1StartSystemConfig: SystemConfig
  /**
   * Mid-chain start: the verified L2 blocks from the walk-back point (whose L1 origin is l1Start) up to and including
   * the safe head, consecutive, with their real transactions — a span batch re-read from L1 that overlaps the safe
   * head is checked against them (start/planDerivationStart.ts). Absent for the genesis start: the history then holds
   * only the safe head, with no transactions.
   */
  safeChain?: readonly SafeChainEntry[]
}

/** Start at the rollup's genesis: the genesis L2 block, origin genesis.l1, genesis SystemConfig. */
export function genesisStart(config: RollupConfig): DerivationStart {
  const sys = genesisSystemConfig(config)
  return {
    safeHead: { number: config.genesis.l2.number, hash: config.genesis.l2.hash, timestamp: config.genesis.l2Time, l1Origin: config.genesis.l1, sequenceNumber: 0 },
    safeHeadSystemConfig: sys,
    l1Start: config.genesis.l1.number,
    l1StartSystemConfig: sys,
  }
}

export interface DeriveL2BlocksParameters {
  config: RollupConfig
  l1: L1Source
  blobs?: BlobSource
  decompressor: Decompressor
  /** Exact derivation hook; without it, the honest-sequencer approximation (see file comment). */
  oracle?: ExecutionOracle
  start?: DerivationStart
  /** Last L1 block to read (inclusive). */
  toL1Block: number
  /** Stop after this many L2 blocks. */
  maxL2Blocks?: number
  blobSchedule?: readonly BlobScheduleEntry[]
  /**
   * Where the Isthmus/Jovian upgrade transactions come from (upgrades/fetchNodeUpgradeTxs.ts: an untrusted L2 node,
   * every byte checked). Without it, their activation blocks fail with UnsupportedChainFeatureError.
   */
  upgradeTxSource?: UpgradeTxSource
  onProgress?(p: Readonly<DerivationProgress>): void
  /** Called for each derived block, in order. When given, blocks are not kept in the result. */
  onBlock?(b: DerivedL2Block): void | Promise<void>
  /** Diagnostics: why data was dropped. */
  onEvent?(e: { kind: string; detail: string }): void
  signal?: AbortSignalLike
}

export interface DeriveL2BlocksResult {
  blocks: DerivedL2Block[]
  safeHead: L2BlockRef
  safeHeadSystemConfig: SystemConfig
  /** The last L1 block fully processed. */
  l1Reached: L1BlockRef
  progress: DerivationProgress
}

const HISTORY_LIMIT = 20_000

export async function deriveL2Blocks(p: DeriveL2BlocksParameters): Promise<DeriveL2BlocksResult> {
  const { config } = p
  if (config.altDaEnabled) throw new UnsupportedChainFeatureError('alt-DA (data kept off L1)')
  const start = p.start ?? genesisStart(config)
  const progress: DerivationProgress = {
    l1Block: start.l1Start, l1BlocksScanned: 0, batcherTransactions: 0, frames: 0, framesDropped: 0, channelsRead: 0, channelsTimedOut: 0,
    batchesRead: 0, batchesDropped: 0, l2BlocksDerived: 0, emptyBatches: 0, uncheckedParentHashes: 0, invalidPayloads: 0,
  }
  const report = (): void => p.onProgress?.({ ...progress })
  const event = (kind: string, detail: string): void => p.onEvent?.({ kind, detail })

  // ---- L1 view: headers and logs of the blocks derivation may still need ----
  const headers = new Map<number, L1BlockHeader>()
  const logs = new Map<number, readonly L1Log[]>()
  const watched = [config.depositContractAddress, config.l1SystemConfigAddress]
  const fetchHeader = async (n: number): Promise<L1BlockHeader> => {
    const h = headers.get(n) ?? (await p.l1.getHeader(n, p.signal))
    headers.set(n, h)
    return h
  }
  const fetchLogs = async (h: L1BlockHeader): Promise<readonly L1Log[]> => {
    const l = logs.get(h.number) ?? (await p.l1.getLogs(h, watched, p.signal))
    logs.set(h.number, l)
    return l
  }

  // ---- L1 traversal ----
  let origin = await fetchHeader(start.l1Start)
  let originDone = false
  let traversalSys = start.l1StartSystemConfig
  const originRef = (): L1BlockRef => origin

  // ---- retrieval ----
  let datas: Uint8Array[] | undefined
  const retrieval: NextDataProvider = {
    origin: originRef,
    async nextData() {
      if (!datas) {
        if (originDone) return EOF
        originDone = true
        const items = await retrieveBatcherData(
          { config, l1: p.l1, blobs: p.blobs, events: { onBlobIgnored: (tx, i, why) => event('blob-ignored', `${tx} blob ${i}: ${why}`) } },
          origin,
          traversalSys.batcherAddress,
        )
        progress.batcherTransactions += new Set(items.map((d) => d.txHash)).size
        datas = items.map((d) => d.payload)
      }
      const next = datas.shift()
      if (next === undefined) {
        datas = undefined
        return EOF
      }
      return next
    },
  }

  const frameQueue = new FrameQueue(config, retrieval, {
    onFrames: (n) => (progress.frames += n),
    onFramesDropped: (n, why) => {
      progress.framesDropped += n
      event('frames-dropped', why)
    },
  })
  const channelEvents = {
    onChannelTimedOut: (id: string) => {
      progress.channelsTimedOut++
      event('channel-timed-out', id)
    },
    onChannelDropped: (id: string, why: string) => event('channel-dropped', `${id}: ${why}`),
    onFrameRejected: (id: string, n: number, why: string) => {
      progress.framesDropped++
      event('frame-rejected', `${id}#${n}: ${why}`)
    },
  }
  const holoceneAt = (h: L1BlockRef): boolean => isForkActive(config, 'holocene', h.timestamp)
  let channelStage: RawChannelProvider = holoceneAt(origin) ? new ChannelAssembler(config, frameQueue, channelEvents) : new ChannelBank(config, frameQueue, channelEvents)
  const channelReader = new ChannelInReader(config, p.decompressor, channelStage, {
    onChannelRead: (id, r) => {
      progress.channelsRead++
      progress.batchesRead += r.batches.length
      if (r.stopReason) event('channel-truncated', `${id}: ${r.stopReason}`)
    },
  })
  const batchProvider: NextBatchProvider = {
    origin: originRef,
    nextBatch: () => channelReader.nextBatch() as Promise<Batch | typeof EOF | typeof NOT_ENOUGH_DATA>,
    flushChannel: () => channelReader.flushChannel(),
  }

  // ---- safe chain (for overlapping span batches) ----
  const history = new Map<number, SafeChainEntry>()
  // A mid-chain start knows the safe chain only from its walk-back point: a batch that reaches further back cannot be
  // checked here (op-node would ask its engine), so say so instead of stalling on an 'undecided' batch forever.
  const historyFloor = start.safeChain ? checkSafeChain(start) : undefined
  const safeChain: SafeChainView = {
    blockByNumber: (n) => {
      const e = history.get(n)
      if (!e && historyFloor !== undefined && n < historyFloor && n >= config.genesis.l2.number) {
        throw new DerivationError('A batch on L1 overlaps L2 blocks from before the derivation start.', {
          kind: 'user-action',
          steps: ['Start from an older anchor (a dispute game for an earlier L2 block), or from the rollup genesis.'],
          details: `L2 block ${n} is needed; the verified safe chain starts at ${historyFloor}`,
        })
      }
      return e
    },
  }
  let safeHead = start.safeHead
  let safeSys = start.safeHeadSystemConfig
  if (start.safeChain) for (const e of start.safeChain) history.set(e.ref.number, e)
  else history.set(safeHead.number, { ref: safeHead, nonDepositTxHashes: [] })

  const batchStage = new BatchStage(
    {
      config,
      prev: batchProvider,
      l2: safeChain,
      hashTx,
      events: {
        onBatchDropped: (why) => {
          progress.batchesDropped++
          event('batch-dropped', why)
        },
        onUncheckedParent: () => progress.uncheckedParentHashes++,
        onEmptyBatch: () => progress.emptyBatches++,
      },
    },
    origin,
    holoceneAt(origin) ? 'holocene' : 'pre-holocene',
  )

  const blocks: DerivedL2Block[] = []
  const advanceOrigin = async (): Promise<boolean> => {
    if (origin.number >= p.toL1Block) return false
    const next = await fetchHeader(origin.number + 1)
    if (next.parentHash !== origin.hash) {
      throw new DerivationError('The L1 chain changed while it was being read.', {
        kind: 'temporary',
        steps: ['Run the scan again.', 'Scan only finalized L1 blocks to avoid reorgs.'],
        details: `block ${next.number} has parent ${next.parentHash}, expected ${origin.hash}`,
      })
    }
    traversalSys = applySystemConfigLogs(traversalSys, await fetchLogs(next), config, next.timestamp)
    const wasHolocene = holoceneAt(origin)
    origin = next
    originDone = false
    progress.l1BlocksScanned++
    progress.l1Block = next.number
    if (!wasHolocene && holoceneAt(next)) {
      // Holocene activation (op-node transformStages): reset the frame queue, switch channel and batch stages.
      frameQueue.reset()
      channelStage = new ChannelAssembler(config, frameQueue, channelEvents)
      channelReader.setPrev(channelStage)
      batchStage.transformHolocene()
      event('holocene-activation', `L1 block ${next.number}`)
    }
    // Forget L1 data below the safe head's origin (never needed again).
    for (const n of headers.keys()) if (n < safeHead.l1Origin.number - 1) headers.delete(n)
    for (const n of logs.keys()) if (n < safeHead.l1Origin.number) logs.delete(n)
    report()
    return true
  }

  let pending: NextSingularBatch | undefined
  for (;;) {
    if (p.signal?.aborted) throw new DerivationError('Derivation was cancelled.', { kind: 'user-action' })
    if (p.maxL2Blocks !== undefined && progress.l2BlocksDerived >= p.maxL2Blocks) break
    if (!pending) {
      const r = await batchStage.nextBatch(safeHead)
      if (r === EOF) {
        if (!(await advanceOrigin())) break
        continue
      }
      if (r === NOT_ENOUGH_DATA) continue
      pending = r.batch
    }
    const batch = pending
    // attributes_queue.go createNextAttributes sanity checks
    if (batch.parentHash !== undefined && safeHead.hash !== undefined && batch.parentHash !== safeHead.hash) {
      throw new DerivationError('A valid batch does not build on the safe head.', { kind: 'critical', details: `batch parent ${batch.parentHash}, safe head ${safeHead.hash}` })
    }
    if (batch.timestamp !== BigInt(safeHead.timestamp + config.blockTime)) {
      throw new DerivationError('A valid batch has the wrong timestamp.', { kind: 'critical', details: `batch ${batch.timestamp}, expected ${safeHead.timestamp + config.blockTime}` })
    }
    const epochHeader = await fetchHeader(Number(batch.epochNum))
    if (epochHeader.hash !== batch.epochHash) throw new DerivationError('The batch epoch hash does not match L1.', { kind: 'critical', details: `epoch ${batch.epochNum}` })
    const epochLogs = safeHead.l1Origin.number !== epochHeader.number ? await fetchLogs(epochHeader) : []
    const attributesInput = {
      config,
      parent: safeHead,
      parentSystemConfig: safeSys,
      epoch: { header: epochHeader, logs: epochLogs },
      batchTransactions: batch.transactions,
      ...(p.blobSchedule ? { blobSchedule: p.blobSchedule } : {}),
    }
    const upgradeTxs = await upgradeTxsFromSource(p, safeHead, () => buildPayloadAttributes({ ...attributesInput, upgradeTxs: 'omit' }))
    const built = buildPayloadAttributes({ ...attributesInput, ...(upgradeTxs ? { upgradeTxs } : {}) })
    pending = undefined
    let attributes = built.attributes
    let hash: Hex | undefined
    let execution: DerivedL2Block['execution'] = 'assumed-valid'
    let depositOnlyReplacement = false
    if (p.oracle) {
      const r = await p.oracle.execute(safeHead, attributes)
      if (r.status === 'valid') {
        hash = r.blockHash
        execution = 'executed'
      } else {
        progress.invalidPayloads++
        event('payload-invalid', `L2 block at ${attributes.timestamp}: ${r.reason}`)
        if (attributes.transactions.every((t) => t[0] === DEPOSIT_TX_TYPE)) {
          throw new DerivationError('A deposit-only L2 block failed to execute.', { kind: 'critical', details: r.reason })
        }
        if (!isForkActive(config, 'holocene', origin.timestamp)) continue // pre-Holocene: drop the batch, try the next
        // Holocene: retry with deposits only, and drop the rest of the span and channel.
        attributes = depositsOnly(attributes)
        batchStage.flushChannel()
        const r2 = await p.oracle.execute(safeHead, attributes)
        if (r2.status !== 'valid') throw new DerivationError('A deposit-only L2 block failed to execute.', { kind: 'critical', details: r2.reason })
        hash = r2.blockHash
        execution = 'executed'
        depositOnlyReplacement = true
      }
    }
    const ref: L2BlockRef = {
      number: safeHead.number + 1,
      hash,
      timestamp: attributes.timestamp,
      l1Origin: { number: epochHeader.number, hash: epochHeader.hash },
      sequenceNumber: built.sequenceNumber,
    }
    const derived: DerivedL2Block = {
      ref,
      parentHash: safeHead.hash,
      attributes,
      derivedFrom: { number: origin.number, hash: origin.hash, parentHash: origin.parentHash, timestamp: origin.timestamp },
      depositCount: built.depositCount,
      execution,
      depositOnlyReplacement,
      emptyBatch: batch.generatedEmpty,
    }
    history.set(ref.number, { ref, nonDepositTxHashes: attributes.transactions.filter((t) => t[0] !== DEPOSIT_TX_TYPE).map(hashTx) })
    history.delete(ref.number - HISTORY_LIMIT)
    safeHead = ref
    safeSys = built.systemConfig
    progress.l2BlocksDerived++
    if (p.onBlock) await p.onBlock(derived)
    else blocks.push(derived)
    if (progress.l2BlocksDerived % 100 === 0) report()
  }
  report()
  return { blocks, safeHead, safeHeadSystemConfig: safeSys, l1Reached: origin, progress }
}

/** The safe chain of a mid-chain start must be consecutive and end at the safe head; returns its first number. */
function checkSafeChain(start: DerivationStart): number {
  const chain = start.safeChain ?? []
  const last = chain[chain.length - 1]
  const bad = (why: string): never => {
    throw new DerivationError('The derivation start is inconsistent.', { kind: 'critical', details: why })
  }
  if (!last || last.ref.number !== start.safeHead.number || last.ref.hash !== start.safeHead.hash) bad('the safe chain does not end at the safe head')
  for (let i = 1; i < chain.length; i++) if ((chain[i] as SafeChainEntry).ref.number !== (chain[i - 1] as SafeChainEntry).ref.number + 1) bad(`the safe chain is not consecutive at index ${i}`)
  if ((chain[0] as SafeChainEntry).ref.l1Origin.number !== start.l1Start) bad('the safe chain does not start at the L1 start block\'s L2 block')
  return (chain[0] as SafeChainEntry).ref.number
}

/**
 * At an activation block of a fork this app does not build (Isthmus, Jovian), the verified NUTs from the configured
 * source: the node's block must start with the deposits derived from L1 (`prefix`), then every activating fork's NUTs.
 */
async function upgradeTxsFromSource(p: DeriveL2BlocksParameters, parent: L2BlockRef, prefixOnly: () => BuiltAttributes): Promise<Map<OpFork, Uint8Array[]> | undefined> {
  const nextL2Time = parent.timestamp + p.config.blockTime
  const forks = upgradeForksAt(p.config, nextL2Time)
  if (!p.upgradeTxSource || upgradeForksNotBuiltAt(p.config, nextL2Time).length === 0) return undefined
  const groups = upgradeGroupsFor(forks, (f) => NETWORK_UPGRADE_TXS[f]?.(), VERIFIED_UPGRADE_FORKS)
  if ('missing' in groups) return undefined // e.g. Karst: buildPayloadAttributes says precisely why it stops
  const pre = prefixOnly()
  return p.upgradeTxSource.upgradeTransactions({
    l2BlockNumber: parent.number + 1,
    l2Timestamp: nextL2Time,
    prefix: pre.attributes.transactions.slice(0, pre.depositCount),
    groups,
    ...(p.signal ? { signal: p.signal } : {}),
  })
}

function depositsOnly(a: PayloadAttributes): PayloadAttributes {
  return { ...a, transactions: a.transactions.filter((t) => t.length > 0 && t[0] === DEPOSIT_TX_TYPE) }
}
