/**
 * Check a dispute game's root claim before trusting it with the user's time (issue 12 item 3; DESIGN.md trust model).
 * Two sources, each named in the refusal:
 * - `againstOutputRoot`: the output root the caller computed itself (a full rebuild from L1, the devnet, an app-chain):
 *   the claim must equal keccak256(0 ‖ stateRoot ‖ messagePasserStorageRoot ‖ blockHash) of the caller's block;
 * - `withL2Node`: an untrusted L2 node. Its block at the game's L2 block number is checked against its own header
 *   (fields hash to the hash, transactions to the root: verifyL2Block), the message passer's storage root is taken
 *   from the header (Isthmus) or from eth_getProof checked against the header's state root (verifyOutputRoot), and
 *   the output root those give must equal the claim. A node that contradicts itself is named as lying
 *   (UntrustedL2DataError); a consistent block that gives another output root refuses the game.
 * Returns the output-root preimage (OutputRootProof) the proof is built on.
 */
import type { Hex } from 'viem'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'
import { computeOutputRoot, OUTPUT_ROOT_VERSION_0, type OutputRootProof } from '../common/computeOutputRoot'
import type { RollupConfig } from '../config/rollupConfig'
import { UntrustedL2DataError } from '../derive/start/errors'
import type { L2BlockSource } from '../derive/start/L2BlockSource'
import { verifyL2Block } from '../derive/start/verifyL2Block'
import { needsMessagePasserProof, verifyOutputRoot } from '../derive/start/verifyOutputRoot'
import { GameRootClaimRefusedError } from './errors'
import type { GameFacts } from './gameFacts'

type GameId = Pick<GameFacts, 'index' | 'address' | 'rootClaim' | 'l2BlockNumber'>

export interface CheckAgainstOutputRootParameters {
  game: GameId
  /** The preimage of the output root the caller computed for the game's L2 block. */
  outputRootProof: OutputRootProof
  /** The L2 block the preimage is for (must be the game's). */
  l2BlockNumber: bigint
  /** Names the source in a refusal, e.g. "the app's rebuild from L1". */
  source: string
}

export function checkGameRootClaimAgainstOutputRoot(p: CheckAgainstOutputRootParameters): OutputRootProof {
  const refuse = (why: string, expected?: Hex): never => {
    throw new GameRootClaimRefusedError({ game: p.game.address, gameIndex: p.game.index ?? -1n, l2BlockNumber: p.game.l2BlockNumber, rootClaim: p.game.rootClaim, expected, source: p.source, why })
  }
  if (p.l2BlockNumber !== p.game.l2BlockNumber) refuse(`the output root given is for L2 block ${p.l2BlockNumber}, not the game's`)
  const computed = computeOutputRoot(p.outputRootProof)
  if (computed !== p.game.rootClaim.toLowerCase()) refuse('the root claim is not the output root of that block', computed)
  return p.outputRootProof
}

export interface CheckWithL2NodeParameters {
  game: GameId
  l2: L2BlockSource
  config: RollupConfig
  signal?: { aborted: boolean }
}

export async function checkGameRootClaimWithL2Node(p: CheckWithL2NodeParameters): Promise<OutputRootProof> {
  const { game, l2, config } = p
  const source = `the L2 node ${l2.label}`
  if (game.l2BlockNumber > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new GameRootClaimRefusedError({ game: game.address, gameIndex: game.index ?? -1n, l2BlockNumber: game.l2BlockNumber, rootClaim: game.rootClaim, source, why: 'its L2 block number is not a real block' })
  }
  const block = verifyL2Block({ config, block: await l2.blockByNumber(Number(game.l2BlockNumber)), node: l2.label })
  if (block.header.number !== game.l2BlockNumber) {
    throw new UntrustedL2DataError('header-fields', `The L2 node sent block ${block.header.number} when asked for block ${game.l2BlockNumber}.`, { node: l2.label })
  }
  const messagePasserProof = needsMessagePasserProof(config, block) ? await l2.accountProof(L2_TO_L1_MESSAGE_PASSER, block.hash) : undefined
  try {
    const { messagePasserStorageRoot } = verifyOutputRoot({ config, block, outputRoot: game.rootClaim, messagePasserProof, node: l2.label })
    return { version: OUTPUT_ROOT_VERSION_0, stateRoot: block.header.stateRoot, messagePasserStorageRoot, latestBlockhash: block.hash }
  } catch (e) {
    if (e instanceof UntrustedL2DataError && e.problem === 'output-root') {
      throw new GameRootClaimRefusedError({ game: game.address, gameIndex: game.index ?? -1n, l2BlockNumber: game.l2BlockNumber, rootClaim: game.rootClaim, source, why: e.details, cause: e })
    }
    throw e
  }
}
