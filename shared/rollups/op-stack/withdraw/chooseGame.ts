/**
 * Which games can carry a withdrawal's proof (specs fault-proof/stage-one/optimism-portal.md §proveWithdrawalTransaction
 * and checkWithdrawal; notes op-stack.md §3 "Prove", §9): registered (read from the factory), respected type at
 * creation, not blacklisted, not retired, not CHALLENGER_WINS, created before the current L1 time, and at or after
 * the withdrawal's L2 block. Pure: the facts were read at one L1 block (readGames).
 *
 * Order of preference — the one that lets the withdrawal finalize soonest: games already DEFENDER_WINS (earliest
 * resolution first), then games in progress (earliest creation first: their clock runs out first). The caller still
 * checks each root claim (checkGameRootClaim) before trusting a game, in this order, refusing the wrong ones.
 */
import type { Address } from 'viem'
import type { GameFacts } from './gameFacts'
import type { PortalSetup } from './readPortalSetup'

export interface ChooseGamesParameters {
  games: readonly GameFacts[]
  setup: PortalSetup
  withdrawalL2Block: bigint
  /** L1 time (head timestamp) the choice is made at. */
  l1Timestamp: bigint
}

export interface ChooseGamesReturnType {
  /** Usable games, best first. */
  usable: GameFacts[]
  /** Games that cannot carry the proof, with why in plain words. */
  refused: { index: bigint | undefined; address: Address; reason: string }[]
}

/** Why a game cannot carry (or no longer carries) a proof; undefined when it can. */
export function whyGameUnusable(g: GameFacts, setup: PortalSetup): string | undefined {
  if (g.gameType !== setup.respectedGameType) return `its type ${g.gameType} is not the respected type ${setup.respectedGameType}`
  if (!g.respected) return 'its type was not the respected type when it was created'
  if (g.blacklisted) return 'the guardian blacklisted it'
  if (g.retired) return `it was created before the retirement time (${setup.retirement.source} = ${setup.retirement.timestamp})`
  if (g.status === 'challenger-wins') return 'it resolved CHALLENGER_WINS (its root claim was wrong)'
  return undefined
}

export function chooseGames(p: ChooseGamesParameters): ChooseGamesReturnType {
  const usable: GameFacts[] = []
  const refused: ChooseGamesReturnType['refused'] = []
  for (const g of p.games) {
    const why =
      g.l2BlockNumber < p.withdrawalL2Block
        ? `its L2 block ${g.l2BlockNumber} is before the withdrawal's block ${p.withdrawalL2Block}`
        : !(p.l1Timestamp > g.createdAt)
          ? 'it was created in the current L1 block (a proof must come after it)'
          : whyGameUnusable(g, p.setup)
    if (why) refused.push({ index: g.index, address: g.address, reason: why })
    else usable.push(g)
  }
  usable.sort((a, b) => {
    const ra = a.status === 'defender-wins' ? 0 : 1
    const rb = b.status === 'defender-wins' ? 0 : 1
    if (ra !== rb) return ra - rb
    const ka = ra === 0 ? a.resolvedAt : a.createdAt
    const kb = rb === 0 ? b.resolvedAt : b.createdAt
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  return { usable, refused }
}
