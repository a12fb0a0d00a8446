/**
 * The stronger check of a dispute game's root claim on the untrusted-L2-node path (issue 12 item 3): re-execute the
 * chain from the game's anchor state to the game's L2 block with the node's blocks and `debug_executionWitness`
 * witnesses (replayRange: every witness node checked by its hash, every block re-executed to the hash the node
 * claims), and compare OUR output root with the claim. The header + eth_getProof check (checkGameRootClaimWithL2Node)
 * trusts the node's state root; this one derives it by execution from a state L1 commits to.
 *
 * The anchor is the game's own starting point, `FaultDisputeGame.startingOutputRoot()` (the AnchorStateRegistry's
 * anchor when the game was created): the node's block at that number is checked against that output root (header,
 * and the message passer's eth_getProof before Isthmus) before anything is executed on it.
 *
 * Bounded: after the first PROBE_BLOCKS blocks the speed is measured; when the rest would not finish before the
 * game's clock ends (after which a wrong claim can no longer be countered), the re-execution stops and says so with
 * the numbers — what is still checked is the header + proof check and the local verification of the storage proof.
 *
 * Outcomes: 'confirmed' (our root equals the claim), 'too-long' (not finished, with why); a refutation throws
 * GameRootClaimRefusedError naming our re-execution; a node contradicting itself throws UntrustedL2DataError.
 */
import type { Address, Hex } from 'viem'
import { anchorStateRegistryAbi } from '../../../../contracts-abi/op-stack/AnchorStateRegistry'
import { disputeGameFactoryAbi } from '../../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../../contracts-abi/op-stack/FaultDisputeGame'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'
import { EscapeError } from '../../../errors/EscapeError'
import type { AbortSignalLike } from '../../../l1/BlobSource'
import { computeOutputRoot, OUTPUT_ROOT_VERSION_0, type OutputRootProof } from '../common/computeOutputRoot'
import type { RollupConfig } from '../config/rollupConfig'
import type { L2BlockSource } from '../derive/start/L2BlockSource'
import { verifyL2Block } from '../derive/start/verifyL2Block'
import { needsMessagePasserProof, provenMessagePasserStorageRoot, verifyOutputRoot } from '../derive/start/verifyOutputRoot'
import { replayRange, ReplayRangeError, type ReplayRangeParameters, type ReplaySource } from '../replay/replayRange'
import { GameRootClaimRefusedError } from './errors'
import type { GameFacts } from './gameFacts'
import type { OpL1Client } from './opL1Client'
import type { PortalSetup } from './readPortalSetup'

/** Blocks re-executed before the speed is judged. */
export const PROBE_BLOCKS = 16
/** Safety margin on the projected time (the speed varies with the blocks' gas). */
const MARGIN = 1.5

export const REEXECUTION_SOURCE = 'the app’s re-execution of the L2 node’s blocks from the game’s anchor state'

export interface ReexecutionProgress {
  done: number
  total: number
  blocksPerSecond: number
  head: bigint
}

export interface ReexecuteGameClaimParameters {
  l1: Pick<OpL1Client, 'readContract'>
  game: Pick<GameFacts, 'address' | 'index' | 'rootClaim' | 'l2BlockNumber' | 'createdAt' | 'maxClockDuration'>
  l2: L2BlockSource & ReplaySource
  config: RollupConfig
  /** L1 head timestamp (seconds) now. */
  l1Timestamp: bigint
  kzg?: ReplayRangeParameters['kzg']
  signal?: AbortSignalLike
  onProgress?(p: ReexecutionProgress): void
  /** Blocks re-executed before the speed is judged (default PROBE_BLOCKS). */
  probeBlocks?: number
  /** Monotonic milliseconds (tests). */
  now?(): number
}

export type ReexecuteGameClaimResult =
  | {
      outcome: 'confirmed'
      anchor: { l2Block: bigint; outputRoot: Hex }
      blocks: number
      elapsedMs: number
      outputRootProof: OutputRootProof
    }
  | {
      outcome: 'too-long'
      anchor: { l2Block: bigint; outputRoot: Hex }
      blocks: number
      total: number
      blocksPerSecond: number
      secondsNeeded: number
      secondsLeft: number
      /** Plain words, with the numbers and what is still checked. */
      reason: string
    }

export async function reexecuteGameClaim(p: ReexecuteGameClaimParameters): Promise<ReexecuteGameClaimResult> {
  const { game } = p
  const [anchorRoot, anchorBlock] = (await p.l1.readContract({ address: game.address, abi: faultDisputeGameAbi, functionName: 'startingOutputRoot' })) as readonly [Hex, bigint]
  const anchor = { l2Block: BigInt(anchorBlock), outputRoot: anchorRoot }
  const refuse = (why: string, expected?: Hex): never => {
    throw new GameRootClaimRefusedError({ game: game.address, gameIndex: game.index ?? -1n, l2BlockNumber: game.l2BlockNumber, rootClaim: game.rootClaim, expected, source: REEXECUTION_SOURCE, why })
  }
  if (anchor.l2Block >= game.l2BlockNumber) refuse(`its L2 block is not after its anchor (block ${anchor.l2Block})`)
  if (game.l2BlockNumber > BigInt(Number.MAX_SAFE_INTEGER)) refuse('its L2 block number is not a real block')
  const r = await reexecuteFromAnchor({ ...p, anchor, toBlock: game.l2BlockNumber, secondsLeft: Number(game.createdAt + game.maxClockDuration - p.l1Timestamp), limit: "the game's clock ends" })
  if (r.outcome === 'too-long') return r
  const ours = computeOutputRoot(r.outputRootProof)
  if (ours !== game.rootClaim.toLowerCase()) refuse('the root claim is not the output root our execution reaches', ours)
  return r
}

/**
 * Our own output root for `toBlock`: re-execute the node's blocks from an anchor L1 holds (its block checked against
 * the anchor's output root first), bounded by `secondsLeft` (measured after the first probe blocks). Used to check a
 * game's claim (above) and, when the proposer is gone, to create a game with our own root.
 */
export async function reexecuteFromAnchor(
  p: Omit<ReexecuteGameClaimParameters, 'game' | 'l1Timestamp' | 'l1'> & { anchor: { l2Block: bigint; outputRoot: Hex }; toBlock: bigint; secondsLeft: number; limit: string },
): Promise<ReexecuteGameClaimResult> {
  const { l2, config, anchor } = p
  const node = l2.label
  const now = p.now ?? (() => Date.now())
  const probe = Math.max(1, p.probeBlocks ?? PROBE_BLOCKS)
  if (anchor.l2Block >= p.toBlock || p.toBlock > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EscapeError(`Cannot re-execute from the anchor (L2 block ${anchor.l2Block}) to L2 block ${p.toBlock}.`, { kind: 'user-action' })
  }

  // The start: the node's block at the anchor, checked against the output root L1 holds for it.
  const start = verifyL2Block({ config, block: await l2.blockByNumber(Number(anchor.l2Block), p.signal), node, headerOnly: true })
  const startProof = needsMessagePasserProof(config, start) ? await l2.accountProof(L2_TO_L1_MESSAGE_PASSER, start.hash, p.signal) : undefined
  verifyOutputRoot({ config, block: start, outputRoot: anchor.outputRoot, ...(startProof ? { messagePasserProof: startProof } : {}), node })

  const total = Number(p.toBlock - anchor.l2Block)
  const secondsLeft = p.secondsLeft
  // A plain flag, not an AbortController: shared/ has no DOM or node:* globals (tsconfig.shared.json).
  let stopped = false
  const signal: AbortSignalLike = { get aborted() { return stopped || (p.signal?.aborted ?? false) } }
  let tooLong: Extract<ReexecuteGameClaimResult, { outcome: 'too-long' }> | undefined
  const rate = (blocks: number, ms: number) => blocks / (Math.max(ms, 1) / 1000)
  const refuseTime = (blocks: number, blocksPerSecond: number): void => {
    const secondsNeeded = Math.ceil(((total - blocks) / Math.max(blocksPerSecond, 1e-9)) * MARGIN)
    tooLong = {
      outcome: 'too-long', anchor, blocks, total, blocksPerSecond, secondsNeeded, secondsLeft,
      reason: `Re-executing the ${total} L2 blocks from the anchor (block ${anchor.l2Block}) to block ${p.toBlock} would take about ${secondsNeeded} s at ${blocksPerSecond.toFixed(1)} blocks/s here, but ${p.limit} in ${Math.max(secondsLeft, 0)} s. Not re-executed (${blocks} done). Still checked: the node's block at the game's L2 block against the root claim (header hashes, and the message passer's eth_getProof before Isthmus), and your withdrawal's storage proof verified locally against that root before signing.`,
    }
    stopped = true
  }
  if (secondsLeft <= 0) {
    refuseTime(0, 0)
    return tooLong as NonNullable<typeof tooLong>
  }
  let result
  try {
    result = await replayRange({
      config, anchor: start, toBlock: p.toBlock, source: l2, signal,
      ...(p.kzg ? { kzg: p.kzg } : {}),
      now,
      onProgress: (r) => {
        const blocksPerSecond = rate(r.blocks, r.elapsedMs)
        p.onProgress?.({ done: r.blocks, total, blocksPerSecond, head: r.head })
        const elapsed = r.elapsedMs / 1000
        if (r.blocks === probe && r.remaining > 0 && elapsed + (r.remaining / blocksPerSecond) * MARGIN > secondsLeft) refuseTime(r.blocks, blocksPerSecond)
      },
    })
  } catch (e) {
    if (tooLong && e instanceof ReplayRangeError) return tooLong
    throw e
  }
  // Before Isthmus the output root needs the message passer's storage root: from our execution when the witness
  // held it, else from the node's account proof checked against OUR state root.
  let messagePasserStorageRoot = result.messagePasserStorageRoot
  if (messagePasserStorageRoot === undefined) {
    const proof = await l2.accountProof(L2_TO_L1_MESSAGE_PASSER, result.head.hash, p.signal)
    messagePasserStorageRoot = provenMessagePasserStorageRoot({ config, block: { hash: result.head.hash, header: result.head.header, transactions: [] }, messagePasserProof: proof, node })
  }
  const outputRootProof: OutputRootProof = { version: OUTPUT_ROOT_VERSION_0, stateRoot: result.head.stateRoot, messagePasserStorageRoot, latestBlockhash: result.head.hash }
  return { outcome: 'confirmed', anchor, blocks: result.blocks, elapsedMs: result.elapsedMs, outputRootProof }
}

/**
 * The anchor new games start from, as L1 holds it now: the AnchorStateRegistry of the respected game type
 * (portal ≥ 4: `getAnchorRoot()`; portal 3.x: the registry the game implementation names, `anchors(gameType)`).
 */
export async function readCurrentAnchor(l1: Pick<OpL1Client, 'readContract'>, setup: Pick<PortalSetup, 'generation' | 'anchorStateRegistry' | 'disputeGameFactory' | 'respectedGameType'>): Promise<{ l2Block: bigint; outputRoot: Hex }> {
  if (setup.generation === 'portal-4+' && setup.anchorStateRegistry) {
    const [root, n] = (await l1.readContract({ address: setup.anchorStateRegistry, abi: anchorStateRegistryAbi, functionName: 'getAnchorRoot' })) as readonly [Hex, bigint]
    return { l2Block: BigInt(n), outputRoot: root }
  }
  const impl = (await l1.readContract({ address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'gameImpls', args: [setup.respectedGameType] })) as Address
  const asr = (await l1.readContract({ address: impl, abi: faultDisputeGameAbi, functionName: 'anchorStateRegistry' })) as Address
  const [root, n] = (await l1.readContract({ address: asr, abi: anchorStateRegistryAbi, functionName: 'anchors', args: [setup.respectedGameType] })) as readonly [Hex, bigint]
  return { l2Block: BigInt(n), outputRoot: root }
}
