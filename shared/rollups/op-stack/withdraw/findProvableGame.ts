/**
 * The game a withdrawal is proven against: read the newest respected-type games (bounded), keep those that can carry
 * the proof (chooseGames), and check their root claims in order of preference with the caller's source (the app's own
 * output root, or an untrusted L2 node: checkGameRootClaim). A game whose claim is refused is named and skipped; the
 * first confirmed one is returned with the output-root preimage the proof is built on. None: the caller offers to
 * create a game (readCreateGamePlan / buildCreateGameTx).
 */
import type { Address } from 'viem'
import type { OutputRootProof } from '../common/computeOutputRoot'
import { chooseGames } from './chooseGame'
import { GameRootClaimRefusedError } from './errors'
import type { GameFacts } from './gameFacts'
import type { OpL1Client } from './opL1Client'
import { readGames } from './readGames'
import type { PortalSetup } from './readPortalSetup'

/** Games whose claim is checked at most (each check may read an L2 block and a proof). */
export const MAX_ROOT_CLAIM_CHECKS = 5

export interface FindProvableGameParameters {
  l1: OpL1Client
  setup: PortalSetup
  withdrawalL2Block: bigint
  /** L1 head timestamp at setup.l1Block. */
  l1Timestamp: bigint
  /** Confirms a game's root claim (throws GameRootClaimRefusedError when it does not). */
  checkRootClaim: (game: GameFacts) => Promise<OutputRootProof>
  scanLimit?: bigint
  /**
   * A game to check first (the one the job just created with its own root): at most MAX_ROOT_CLAIM_CHECKS claims
   * are checked per search, and newer games a proposer posted meanwhile must not use them all up before it.
   */
  prefer?: Address
}

export interface FindProvableGameReturnType {
  found: { game: GameFacts; outputRootProof: OutputRootProof } | undefined
  /** Every game not used, with why (spam, invalid, wrong root claim), for the report and the status notes. */
  refused: { index: bigint | undefined; address: Address; reason: string }[]
  /** Plain words: what was searched. */
  note: string
}

export async function findProvableGame(p: FindProvableGameParameters): Promise<FindProvableGameReturnType> {
  const read = await readGames({ l1: p.l1, setup: p.setup, limit: p.scanLimit, minL2Block: p.withdrawalL2Block })
  const { usable, refused } = chooseGames({ games: read.games, setup: p.setup, withdrawalL2Block: p.withdrawalL2Block, l1Timestamp: p.l1Timestamp })
  const all = [...read.skipped, ...refused]
  const note = `Looked at the ${read.scanned} newest games of type ${p.setup.respectedGameType} (of ${read.gameCount} in the factory) at L1 block ${p.setup.l1Block}.`
  let checks = 0
  const preferred = p.prefer?.toLowerCase()
  const ordered = preferred === undefined ? usable : [...usable.filter((g) => g.address.toLowerCase() === preferred), ...usable.filter((g) => g.address.toLowerCase() !== preferred)]
  for (const game of ordered) {
    if (checks++ >= MAX_ROOT_CLAIM_CHECKS) {
      all.push({ index: game.index, address: game.address, reason: `not checked: at most ${MAX_ROOT_CLAIM_CHECKS} root claims are checked per search` })
      continue
    }
    try {
      return { found: { game, outputRootProof: await p.checkRootClaim(game) }, refused: all, note }
    } catch (e) {
      if (!(e instanceof GameRootClaimRefusedError)) throw e
      all.push({ index: game.index, address: game.address, reason: e.shortMessage })
    }
  }
  return { found: undefined, refused: all, note }
}
