/**
 * One rebuild of an OP Stack chain from L1, as the app runs it: the same pieces as `escape-hatch op derive`
 * (createViemL1Source with the on-disk cache of finalized data, the beacon blob source when a beacon URL is given,
 * createNodeDecompressor, deriveL2Blocks) with the result kept bounded (collectDerivedBlocks) and progress as counters.
 * Read-only: it reads L1 (and blobs); an anchor start also reads an L2 node, whose blocks are verified against L1
 * before use. No sequencer, nothing signed.
 */
import type { OpDeriveProgressView, OpDeriveResultView, StartOpDeriveRequest } from '../../../shared/ipc/opDeriveSchemas'
import { OpDeriveRangeError, OpDeriveWrongL1Error } from '../../../shared/ipc/opDeriveErrors'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { deriveL2Blocks, genesisStart, type DerivationProgress, type DerivationStart } from '../../../shared/rollups/op-stack/derive/deriveL2Blocks'
import { createBeaconBlobSource } from '../blobs/createBeaconBlobSource'
import { loadKzg } from '../kzg'
import { createNodeDecompressor } from '../l1/createNodeDecompressor'
import { createViemL1Source, type ViemL1Source } from '../l1/createViemL1Source'
import { openL2Node } from '../op/openL2Node'
import { resolveAnchoredStart } from '../op/resolveAnchoredStart'
import { createNodeUpgradeTxSource } from '../../../shared/rollups/op-stack/derive/upgrades/fetchNodeUpgradeTxs'
import type { L2BlockSource } from '../../../shared/rollups/op-stack/derive/start/L2BlockSource'
import { collectDerivedBlocks } from './collectDerivedBlocks'

export interface RunOpDerivationParameters {
  request: StartOpDeriveRequest
  /** The rollup config the request names, already resolved (resolveOpDeriveRollup). */
  config: RollupConfig
  /** The content-addressed cache of finalized L1 data (paths.cacheDir); none = no cache. */
  cacheDir?: string
  signal: AbortSignal
  /** Every change of the counters (unthrottled: the caller throttles). */
  onProgress(progress: OpDeriveProgressView): void
}

export function emptyOpDeriveProgress(): OpDeriveProgressView {
  return {
    phase: 'preparing', l1BlocksScanned: 0, batcherTransactions: 0, frames: 0, framesDropped: 0, channelsRead: 0, channelsTimedOut: 0,
    batchesRead: 0, batchesDropped: 0, l2BlocksDerived: 0, emptyBatches: 0, uncheckedParentHashes: 0, userDeposits: 0, highlightedTxs: 0,
  }
}

export async function runOpDerivation({ request, config, cacheDir, signal, onProgress }: RunOpDerivationParameters): Promise<OpDeriveResultView> {
  let progress = emptyOpDeriveProgress()
  const update = (patch: Partial<OpDeriveProgressView>) => {
    progress = { ...progress, ...patch }
    onProgress(progress)
  }

  const l1 = createViemL1Source({ rpcUrls: request.l1RpcUrls, ...(cacheDir ? { cacheDir } : {}) })
  const chainId = await l1.chainId(signal)
  if (chainId !== config.l1ChainId) throw new OpDeriveWrongL1Error(chainId, config.l1ChainId)
  const { start, l2, view: startView } = await resolveStart({ request, config, l1, signal, onAnchorProgress: (n) => update({ anchorBlocksVerified: n }) })
  const to = typeof request.toL1Block === 'number' ? request.toL1Block : (await l1.getHeader(request.toL1Block, signal)).number
  if (to < start.l1Start) throw new OpDeriveRangeError(start.l1Start, to)
  // Blobs are checked against their versioned hashes with c-kzg (loaded once per process, ~2.5 s the first time).
  const blobs = request.beaconUrl ? createBeaconBlobSource({ kzg: loadKzg(), beaconUrl: request.beaconUrl }) : undefined
  update({ phase: 'deriving', l1From: start.l1Start, l1To: to, l1Block: start.l1Start, l2Head: start.safeHead.number })

  const collector = collectDerivedBlocks({ config, ...(request.highlightAddress ? { highlightAddress: request.highlightAddress } : {}) })
  const counters = (p: Readonly<DerivationProgress>): Partial<OpDeriveProgressView> => ({
    l1Block: p.l1Block,
    l1BlocksScanned: p.l1BlocksScanned,
    batcherTransactions: p.batcherTransactions,
    frames: p.frames,
    framesDropped: p.framesDropped,
    channelsRead: p.channelsRead,
    channelsTimedOut: p.channelsTimedOut,
    batchesRead: p.batchesRead,
    batchesDropped: p.batchesDropped,
    l2BlocksDerived: p.l2BlocksDerived,
    emptyBatches: p.emptyBatches,
    uncheckedParentHashes: p.uncheckedParentHashes,
  })
  let blocksSeen = 0
  const result = await deriveL2Blocks({
    config,
    l1,
    // The node that gave the anchor also supplies Isthmus/Jovian upgrade transactions, each byte checked.
    ...(l2 ? { upgradeTxSource: createNodeUpgradeTxSource(l2) } : {}),
    ...(blobs ? { blobs } : {}),
    decompressor: createNodeDecompressor(),
    start,
    toL1Block: to,
    signal,
    onProgress: (p) => update(counters(p)),
    onBlock: async (block) => {
      await collector.add(block)
      blocksSeen++
      // deriveL2Blocks reports every 100 blocks; the window wants to see each one arrive (the caller throttles).
      update({ l2BlocksDerived: Math.max(progress.l2BlocksDerived, blocksSeen), l2Head: collector.totals.l2Head, userDeposits: collector.totals.userDeposits, highlightedTxs: collector.totals.highlightedTxs })
    },
  })
  const listed = await collector.finish()
  update({ ...counters(result.progress), phase: 'done', l2Head: result.safeHead.number, userDeposits: collector.totals.userDeposits, highlightedTxs: collector.totals.highlightedTxs })
  return {
    start: startView,
    l1From: start.l1Start,
    l1Reached: { number: result.l1Reached.number, hash: result.l1Reached.hash },
    safeHead: { number: result.safeHead.number, timestamp: result.safeHead.timestamp, l1Origin: { number: result.safeHead.l1Origin.number, hash: result.safeHead.l1Origin.hash } },
    // Without an ExecutionOracle nothing is executed: parent hashes unchecked, payloads assumed valid.
    approximation: result.safeHead.hash === undefined || listed.blocks.some((b) => b.execution === 'assumed-valid'),
    ...(request.highlightAddress ? { highlightAddress: request.highlightAddress } : {}),
    ...listed,
  }
}

interface ResolveStartParameters {
  request: StartOpDeriveRequest
  config: RollupConfig
  l1: ViemL1Source
  signal: AbortSignal
  onAnchorProgress(l2BlocksVerified: number): void
}

/**
 * The trusted start the request names. Genesis needs nothing but the config. An anchor is read from L1 (every
 * endpoint must agree), and the L2 node's blocks around it are verified against it before derivation uses them —
 * the same steps as `escape-hatch op derive --start anchor`.
 */
async function resolveStart({ request, config, l1, signal, onAnchorProgress }: ResolveStartParameters): Promise<{ start: DerivationStart; l2?: L2BlockSource; view: OpDeriveResultView['start'] }> {
  switch (request.start.kind) {
    case 'genesis':
      return { start: genesisStart(config), view: { kind: 'genesis', l2Block: config.genesis.l2.number } }
    case 'anchor': {
      const l2 = await openL2Node(request.start.l2RpcUrl, config, signal)
      const { reading, planned } = await resolveAnchoredStart({
        config,
        l1,
        rpcUrls: request.l1RpcUrls,
        l2,
        where: { kind: 'anchor' },
        signal,
        onProgress: (p) => onAnchorProgress(p.l2BlocksFetched),
      })
      return {
        start: planned.start,
        l2,
        view: { kind: 'anchor', l2Block: planned.safeHead.number, outputRoot: reading.anchor.outputRoot, readAtL1Block: reading.l1Block.number },
      }
    }
  }
}
