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
import type { Hex } from 'viem'
import { faultDisputeGameAbi } from '../../../../contracts-abi/op-stack/FaultDisputeGame'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'
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
  const { game, l2, config } = p
  const node = l2.label
  const now = p.now ?? (() => Date.now())
  const probe = Math.max(1, p.probeBlocks ?? PROBE_BLOCKS)
  const [anchorRoot, anchorBlock] = (await p.l1.readContract({ address: game.address, abi: faultDisputeGameAbi, functionName: 'startingOutputRoot' })) as readonly [Hex, bigint]
  const anchor = { l2Block: BigInt(anchorBlock), outputRoot: anchorRoot }
  const refuse = (why: string, expected?: Hex): never => {
    throw new GameRootClaimRefusedError({ game: game.address, gameIndex: game.index ?? -1n, l2BlockNumber: game.l2BlockNumber, rootClaim: game.rootClaim, expected, source: REEXECUTION_SOURCE, why })
  }
  if (anchor.l2Block >= game.l2BlockNumber) refuse(`its L2 block is not after its anchor (block ${anchor.l2Block})`)
  if (anchor.l2Block > BigInt(Number.MAX_SAFE_INTEGER) || game.l2BlockNumber > BigInt(Number.MAX_SAFE_INTEGER)) refuse('its L2 block number is not a real block')

  // The start: the node's block at the anchor, checked against the output root L1 holds for it.
  const start = verifyL2Block({ config, block: await l2.blockByNumber(Number(anchor.l2Block), p.signal), node, headerOnly: true })
  const startProof = needsMessagePasserProof(config, start) ? await l2.accountProof(L2_TO_L1_MESSAGE_PASSER, start.hash, p.signal) : undefined
  verifyOutputRoot({ config, block: start, outputRoot: anchor.outputRoot, ...(startProof ? { messagePasserProof: startProof } : {}), node })

  const total = Number(game.l2BlockNumber - anchor.l2Block)
  const secondsLeft = Number(game.createdAt + game.maxClockDuration - p.l1Timestamp)
  const stop = new AbortController()
  const signal: AbortSignalLike = { get aborted() { return stop.signal.aborted || (p.signal?.aborted ?? false) } }
  let tooLong: Extract<ReexecuteGameClaimResult, { outcome: 'too-long' }> | undefined
  const rate = (blocks: number, ms: number) => blocks / (Math.max(ms, 1) / 1000)
  const refuseTime = (blocks: number, blocksPerSecond: number): void => {
    const secondsNeeded = Math.ceil(((total - blocks) / Math.max(blocksPerSecond, 1e-9)) * MARGIN)
    tooLong = {
      outcome: 'too-long', anchor, blocks, total, blocksPerSecond, secondsNeeded, secondsLeft,
      reason: `Re-executing the ${total} L2 blocks from the game's anchor (block ${anchor.l2Block}) to its block ${game.l2BlockNumber} would take about ${secondsNeeded} s at ${blocksPerSecond.toFixed(1)} blocks/s here, but the game's clock ends in ${Math.max(secondsLeft, 0)} s. Not re-executed (${blocks} done). Still checked: the node's block at the game's L2 block against the root claim (header hashes, and the message passer's eth_getProof before Isthmus), and your withdrawal's storage proof verified locally against that root before signing.`,
    }
    stop.abort()
  }
  if (secondsLeft <= 0) {
    refuseTime(0, 0)
    return tooLong as NonNullable<typeof tooLong>
  }
  let result
  try {
    result = await replayRange({
      config, anchor: start, toBlock: game.l2BlockNumber, source: l2, signal,
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
  const ours = computeOutputRoot(outputRootProof)
  if (ours !== game.rootClaim.toLowerCase()) refuse('the root claim is not the output root our execution reaches', ours)
  return { outcome: 'confirmed', anchor, blocks: result.blocks, elapsedMs: result.elapsedMs, outputRootProof }
}
