/**
 * A derivation start from an L2 block that L1 commits to (an anchor output root), as op-node's
 * `DerivationPipeline.initialReset` (op-node/rollup/derive/pipeline.go) computes it:
 *
 * 1. The safe head: the L2 block at the anchor's number, from the untrusted L2 node, re-hashed, its transactions
 *    rebuilt into transactionsRoot, and its output root recomputed and compared with the anchor root on L1.
 * 2. Walk back by parentHash (each parent fetched by hash and re-verified, so the whole walk is bound to the anchor)
 *    while the block is after L2 genesis, its L1 origin is after L1 genesis, and
 *    `origin.number + channelTimeout(origin.time) > safeHead.l1Origin.number` — channels that may still hold batches
 *    for blocks after the safe head can have been opened that far back, so L1 traversal must re-read them.
 * 3. L1 traversal starts at the L1 origin of the block where the walk stops, with the SystemConfig *of that L2
 *    block* (systemConfigFromL2Block); the safe head keeps its own SystemConfig for building the next block.
 * The walked blocks (refs and non-deposit tx hashes) become the safe chain that overlapping span batches are checked
 * against (checkBatch.ts SafeChainView). L1 origins are read from the user's L1 endpoints and must match the hashes
 * the L2 blocks name.
 */
import type { Hex } from 'viem'
import type { AbortSignalLike } from '../../../../l1/BlobSource'
import type { L1BlockHeader, L1Source } from '../../../../l1/L1Source'
import { channelTimeout, type RollupConfig } from '../../config/rollupConfig'
import type { DerivationStart, SafeChainEntry } from '../deriveL2Blocks'
import { DerivationStartError, UntrustedL2DataError } from './errors'
import type { L2BlockSource } from './L2BlockSource'
import { readL2BlockInfo, type L2BlockInfo } from './readL2BlockInfo'
import { systemConfigFromL2Block } from './systemConfigFromL2Block'
import { verifyL2Block, type VerifiedL2Block } from './verifyL2Block'
import { needsMessagePasserProof, verifyOutputRoot } from './verifyOutputRoot'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../../eth/predeploys'

export interface StartAnchor {
  /** The output root L1 considers final for `l2BlockNumber`. */
  outputRoot: Hex
  l2BlockNumber: number
}

export interface PlanDerivationStartParameters {
  config: RollupConfig
  l1: Pick<L1Source, 'getHeader'>
  l2: L2BlockSource
  anchor: StartAnchor
  /** After each L2 block fetched and verified. */
  onProgress?(p: { l2BlocksFetched: number; l2Block: number; l1Origin: number }): void
  signal?: AbortSignalLike
}

export interface PlanDerivationStartReturnType {
  start: DerivationStart
  safeHead: { number: number; hash: Hex; stateRoot: Hex; messagePasserStorageRoot: Hex; l1Origin: { number: number; hash: Hex } }
  /** The L2 block where the walk back stopped (its L1 origin is where L1 traversal starts). */
  walkBackTo: { number: number; hash: Hex; l1Origin: { number: number; hash: Hex } }
  l2BlocksFetched: number
}

export async function planDerivationStart(p: PlanDerivationStartParameters): Promise<PlanDerivationStartReturnType> {
  const { config, l2, anchor } = p
  const node = l2.label
  if (!Number.isSafeInteger(anchor.l2BlockNumber) || anchor.l2BlockNumber < config.genesis.l2.number) {
    throw new DerivationStartError(`The anchor's L2 block ${anchor.l2BlockNumber} is before this rollup's genesis (${config.genesis.l2.number}).`, {
      kind: 'critical',
      steps: ['Check that the rollup config and the L1 contracts belong to the same chain.'],
    })
  }
  let fetched = 0
  const progress = (info: L2BlockInfo): void => p.onProgress?.({ l2BlocksFetched: fetched, l2Block: info.ref.number, l1Origin: info.ref.l1Origin.number })

  // 1. The safe head, bound to the anchor's output root.
  const safeBlock = verifyL2Block({ config, block: await l2.blockByNumber(anchor.l2BlockNumber, p.signal), node })
  fetched++
  if (Number(safeBlock.header.number) !== anchor.l2BlockNumber) {
    throw new UntrustedL2DataError('malformed', `The L2 node sent block ${safeBlock.header.number} when asked for block ${anchor.l2BlockNumber}.`, { node })
  }
  const proof = needsMessagePasserProof(config, safeBlock) ? await l2.accountProof(L2_TO_L1_MESSAGE_PASSER, safeBlock.hash, p.signal) : undefined
  const { messagePasserStorageRoot } = verifyOutputRoot({ config, block: safeBlock, outputRoot: anchor.outputRoot, ...(proof ? { messagePasserProof: proof } : {}), node })
  const safe = readL2BlockInfo(config, safeBlock, node)
  progress(safe)

  // 2. Walk back.
  const l1Headers = new Map<number, L1BlockHeader>()
  const originTime = async (info: L2BlockInfo): Promise<number> => {
    const { number, hash } = info.ref.l1Origin
    let h = l1Headers.get(number)
    if (!h) {
      h = await p.l1.getHeader(number, p.signal)
      l1Headers.set(number, h)
    }
    if (h.hash.toLowerCase() !== hash.toLowerCase()) {
      throw new DerivationStartError(`L2 block ${info.ref.number} names L1 origin ${number} with a hash your L1 endpoints do not have.`, {
        kind: 'critical',
        steps: ['Check that the L1 endpoints are on the rollup\'s L1 chain and fully synced.', 'Use a finalized anchor.'],
        details: `L2 says ${hash}, L1 has ${h.hash}`,
      })
    }
    return h.timestamp
  }
  // Only refs and tx hashes are kept for the walked blocks (a pre-Granite walk can span ~2000 full blocks).
  const walked: L2BlockInfo[] = [safe]
  let cur: { info: L2BlockInfo; block: VerifiedL2Block } = { info: safe, block: safeBlock }
  for (;;) {
    if (p.signal?.aborted) throw new DerivationStartError('Finding the derivation start was cancelled.', { kind: 'user-action' })
    const r = cur.info.ref
    const afterL2Genesis = r.number > config.genesis.l2.number
    const afterL1Genesis = r.l1Origin.number > config.genesis.l1.number
    if (!afterL2Genesis || !afterL1Genesis) break
    const afterChannelTimeout = r.l1Origin.number + channelTimeout(config, await originTime(cur.info)) > safe.ref.l1Origin.number
    if (!afterChannelTimeout) break
    const parentBlock = verifyL2Block({ config, block: await l2.blockByHash(cur.info.parentHash, p.signal), expectedHash: cur.info.parentHash, node })
    fetched++
    const parent = readL2BlockInfo(config, parentBlock, node)
    if (parent.ref.number !== r.number - 1) {
      throw new UntrustedL2DataError('parent', `The parent of L2 block ${r.number} has number ${parent.ref.number}.`, { node })
    }
    cur = { info: parent, block: parentBlock }
    walked.push(parent)
    progress(parent)
  }
  await originTime(cur.info) // the traversal start must be on the user's L1 too

  // 3. The start.
  walked.reverse()
  const safeChain: SafeChainEntry[] = walked.map((info) => ({ ref: info.ref, nonDepositTxHashes: info.nonDepositTxHashes }))
  const start: DerivationStart = {
    safeHead: safe.ref,
    safeHeadSystemConfig: systemConfigFromL2Block(config, safeBlock, node),
    l1Start: cur.info.ref.l1Origin.number,
    l1StartSystemConfig: systemConfigFromL2Block(config, cur.block, node),
    safeChain,
  }
  return {
    start,
    safeHead: { number: safe.ref.number, hash: safe.ref.hash, stateRoot: safeBlock.header.stateRoot, messagePasserStorageRoot, l1Origin: safe.ref.l1Origin },
    walkBackTo: { number: cur.info.ref.number, hash: cur.info.ref.hash, l1Origin: cur.info.ref.l1Origin },
    l2BlocksFetched: fetched,
  }
}
