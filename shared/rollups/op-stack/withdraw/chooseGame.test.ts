import { describe, expect, it } from 'vitest'
import { chooseGames } from './chooseGame'
import type { GameFacts } from './gameFacts'
import type { PortalSetup } from './readPortalSetup'

const setup: PortalSetup = {
  portal: '0x0000000000000000000000000000000000000001', version: '3.10.0', generation: 'portal-3', disputeGameFactory: '0x0000000000000000000000000000000000000002',
  anchorStateRegistry: undefined, respectedGameType: 0, retirement: { timestamp: 1000n, inclusive: false, source: 'OptimismPortal2.respectedGameTypeUpdatedAt()' },
  proofMaturityDelaySeconds: 604800n, disputeGameFinalityDelaySeconds: 302400n, paused: false, externalProofFinalize: true, l1Block: 100n,
}
let n = 0
function game(over: Partial<GameFacts>): GameFacts {
  n++
  return {
    index: BigInt(n), address: `0x${n.toString(16).padStart(40, '0')}`, gameType: 0, rootClaim: `0x${'11'.repeat(32)}`, l2BlockNumber: 50n, createdAt: 2000n,
    resolvedAt: 0n, status: 'in-progress', maxClockDuration: 302400n, blacklisted: false, retired: false, respected: true, ...over,
  }
}

describe('chooseGames', () => {
  it('keeps only games that can carry the proof, each refusal in plain words', () => {
    const games = [
      game({ l2BlockNumber: 9n }),
      game({ blacklisted: true }),
      game({ retired: true }),
      game({ status: 'challenger-wins', resolvedAt: 2500n }),
      game({ gameType: 1 }),
      game({ respected: false }),
      game({ createdAt: 5000n }),
    ]
    const r = chooseGames({ games, setup, withdrawalL2Block: 10n, l1Timestamp: 5000n })
    expect(r.usable).toEqual([])
    expect(r.refused.map((x) => x.reason)).toEqual([
      "its L2 block 9 is before the withdrawal's block 10",
      'the guardian blacklisted it',
      'it was created before the retirement time (OptimismPortal2.respectedGameTypeUpdatedAt() = 1000)',
      'it resolved CHALLENGER_WINS (its root claim was wrong)',
      'its type 1 is not the respected type 0',
      'its type was not the respected type when it was created',
      'it was created in the current L1 block (a proof must come after it)',
    ])
  })
  it('prefers games already won by the claim (earliest resolution), then the open game created first', () => {
    const late = game({ createdAt: 3000n })
    const early = game({ createdAt: 2100n })
    const won = game({ status: 'defender-wins', resolvedAt: 4000n, createdAt: 1500n })
    const wonEarlier = game({ status: 'defender-wins', resolvedAt: 3500n, createdAt: 1200n })
    const r = chooseGames({ games: [late, won, early, wonEarlier], setup, withdrawalL2Block: 10n, l1Timestamp: 9000n })
    expect(r.usable.map((g) => g.index)).toEqual([wonEarlier.index, won.index, early.index, late.index])
  })
})
