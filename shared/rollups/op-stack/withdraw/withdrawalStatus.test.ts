/**
 * withdrawalStatus: the user pains of notes §9 as cases — the airgap shown separately and never "0 h left" while
 * waiting, a retired or lost game read as "prove again", a proof by someone else finalized with the external proof.
 */
import { describe, expect, it } from 'vitest'
import { measureL1BlockTime } from '../../../deadlines/measureL1BlockTime'
import type { GameFacts } from './gameFacts'
import type { PortalSetup } from './readPortalSetup'
import type { WithdrawalState } from './readWithdrawalState'
import { withGameCoverage, withdrawalStatus } from './withdrawalStatus'

const setup: PortalSetup = {
  portal: '0x0000000000000000000000000000000000000001', version: '3.10.0', generation: 'portal-3', disputeGameFactory: '0x0000000000000000000000000000000000000002',
  anchorStateRegistry: undefined, respectedGameType: 0, retirement: { timestamp: 1_000n, inclusive: false, source: 'OptimismPortal2.respectedGameTypeUpdatedAt()' },
  proofMaturityDelaySeconds: 604_800n, disputeGameFinalityDelaySeconds: 302_400n, paused: false, externalProofFinalize: true, l1Block: 100n,
}
const me = '0x00000000000000000000000000000000000000aa' as const
const relayer = '0x00000000000000000000000000000000000000bb' as const
const game: GameFacts = {
  index: 1n, address: '0x00000000000000000000000000000000000000ff', gameType: 0, rootClaim: `0x${'11'.repeat(32)}`, l2BlockNumber: 50n, createdAt: 10_000n,
  resolvedAt: 0n, status: 'in-progress', maxClockDuration: 302_400n, blacklisted: false, retired: false, respected: true,
}
const clockAt = (t: bigint) => measureL1BlockTime([{ number: 1000n, timestamp: t - 12_000n }, { number: 2000n, timestamp: t }])
const state = (g: GameFacts, submitter: `0x${string}` = me, provenAt = 10_100n): WithdrawalState => ({ withdrawalHash: `0x${'ab'.repeat(32)}`, finalized: false, proofSubmitterCount: 1n, proofs: [{ submitter, provenAt, game: g }] })

describe('withdrawalStatus', () => {
  it('while the game runs: its resolution, the proof maturity, the airgap and the earliest finalization, each dated', () => {
    const s = withdrawalStatus({ state: state(game), setup, clock: clockAt(20_000n), account: me })
    expect(s.stage).toBe('waiting-for-game')
    expect(s.deadlines.map((d) => [d.what, d.deadline.at.getTime() / 1000])).toEqual([
      [`dispute game ${game.address} resolvable (if unchallenged)`, 312_400],
      [`proof maturity (proven by ${me})`, 614_901],
      ['finality airgap ends, at the earliest', 614_801],
      ['finalizable, at the earliest', 614_901],
    ])
    expect(s.blocker).toMatch(/can be resolved in 3 d 9 h if nobody challenges it/)
  })
  it('after resolution, waits for the later of maturity and airgap; never "0 h left" while waiting', () => {
    const resolved = { ...game, status: 'defender-wins' as const, resolvedAt: 400_000n }
    const waiting = withdrawalStatus({ state: state(resolved), setup, clock: clockAt(614_100n), account: me })
    expect(waiting.stage).toBe('waiting-for-finality')
    expect(waiting.blocker).toMatch(/the proof matures in 14 min and the finality airgap ends in 1 d\.$/)
    // Maturity passed, airgap 59 s away: still waiting, and said so — not "0 h".
    const almost = withdrawalStatus({ state: state(resolved), setup, clock: clockAt(702_342n), account: me })
    expect(almost.blocker).toMatch(/waiting until the finality airgap ends in less than a minute\.$/)
    expect(almost.nextAction).toMatchObject({ kind: 'wait-for-finality', ready: false })
    const ready = withdrawalStatus({ state: state(resolved), setup, clock: clockAt(702_401n), account: me })
    expect(ready).toMatchObject({ stage: 'ready-to-finalize', nextAction: { kind: 'finalize', ready: true } })
  })
  it('a clock that ran out unresolved: the airgap (and the finalization) counts from the next L1 block, not the clock’s end', () => {
    // Clock over at 312 400; read at 400 000 with nobody having resolved it: the airgap cannot end before 400 001 + 302 400 + 1.
    const s = withdrawalStatus({ state: state(game), setup, clock: clockAt(400_000n), account: me })
    expect(s.stage).toBe('ready-to-resolve')
    const at = (what: string) => s.deadlines.find((d) => d.what === what)!.deadline
    expect(at('finality airgap ends, at the earliest').at.getTime() / 1000).toBe(702_402)
    expect(at('finality airgap ends, at the earliest').basis).toMatch(/clock ran out at 312400 and it is not resolved yet/)
    expect(at('finalizable, at the earliest').at.getTime() / 1000).toBe(702_402)
  })
  it('not proven: names a game that covers the withdrawal, or says none does yet and what to do', () => {
    const notProven: WithdrawalState = { withdrawalHash: `0x${'ab'.repeat(32)}`, finalized: false, proofSubmitterCount: 0n, proofs: [] }
    const clock = clockAt(20_000n)
    const s = withdrawalStatus({ state: notProven, setup, clock, account: me })
    const covered = withGameCoverage(s, { l2Block: 40n, setup, clock, games: [game, { ...game, address: '0x00000000000000000000000000000000000000ee', blacklisted: true, l2BlockNumber: 60n }] })
    expect(covered.nextAction).toMatchObject({ kind: 'prove', ready: true })
    expect(covered.blocker).toMatch(/Dispute game 0x0{38}ff \(L2 block 50, in progress\) covers its L2 block 40/i)
    const none = withGameCoverage(s, { l2Block: 51n, setup, clock, games: [game] })
    expect(none.blocker).toBe('Not proven on L1 yet. No dispute game covers L2 block 51 yet (the newest usable game is at L2 block 50); a proof needs a game at or after the withdrawal’s block.')
    expect(none.nextAction).toMatchObject({ kind: 'wait-for-game', by: 'anyone', ready: false })
    expect(none.nextAction?.description).toMatch(/the game’s clock of 3 d 12 h runs from then/)
    // A proven withdrawal is left as it is.
    const proven = withdrawalStatus({ state: state(game), setup, clock, account: me })
    expect(withGameCoverage(proven, { l2Block: 51n, setup, clock, games: [] })).toBe(proven)
  })
  it('a game that was retired, blacklisted or lost: prove again', () => {
    for (const [g, why] of [
      [{ ...game, createdAt: 900n, retired: true }, /created before the retirement time/],
      [{ ...game, blacklisted: true }, /blacklisted/],
      [{ ...game, status: 'challenger-wins' as const, resolvedAt: 20_000n }, /CHALLENGER_WINS/],
    ] as const) {
      const s = withdrawalStatus({ state: state(g), setup, clock: clockAt(30_000n), account: me })
      expect(s).toMatchObject({ stage: 'proof-invalidated', nextAction: { kind: 're-prove', ready: true } })
      expect(s.blocker).toMatch(why)
    }
  })
  it('a proof by another address: finalize with the external-proof variant, said in the action', () => {
    const resolved = { ...game, status: 'defender-wins' as const, resolvedAt: 312_500n }
    const s = withdrawalStatus({ state: state(resolved, relayer), setup, clock: clockAt(700_000n), account: me })
    expect(s.nextAction?.description).toMatch(/finalizeWithdrawalTransactionExternalProof/)
  })
  it('a paused portal: the ready action waits, and says why', () => {
    const resolved = { ...game, status: 'defender-wins' as const, resolvedAt: 312_500n }
    const s = withdrawalStatus({ state: state(resolved), setup: { ...setup, paused: true }, clock: clockAt(700_000n), account: me })
    expect(s).toMatchObject({ stage: 'ready-to-finalize', nextAction: { kind: 'finalize', ready: false } })
    expect(s.blocker).toMatch(/^The portal is paused by the guardian/)
  })
  it('not proven; finalized', () => {
    expect(withdrawalStatus({ state: { withdrawalHash: `0x${'ab'.repeat(32)}`, finalized: false, proofs: [], proofSubmitterCount: 0n }, setup, clock: clockAt(1n << 20n) }).stage).toBe('ready-to-prove')
    expect(withdrawalStatus({ state: { ...state(game), finalized: true }, setup, clock: clockAt(1n << 20n) }).stage).toBe('finalized')
  })
})
