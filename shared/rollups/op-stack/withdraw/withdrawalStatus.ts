/**
 * A withdrawal's stage, blocker, deadlines and next action from its L1 state (pure; the read side of the escape and
 * `escape-hatch status`). The rules are the portal's checkWithdrawal (notes §3 "Finalize"): proven by the submitter,
 * proof older than the maturity delay, the game DEFENDER_WINS, respected, not blacklisted or retired, resolved more
 * than the finality delay ago (the airgap). Every wait shows its date — the game's clock, the proof maturity and the
 * airgap separately — and a date that has passed while L1 has not moved reads "due now", never "0 h left"
 * (countdownText; across-protocol/relayer#3445). A proof whose game was blacklisted, retired or lost says to prove
 * again (base/withdrawer#82), instead of reading as a status the user cannot act on (viem#3545).
 */
import { getAddress, type Address } from 'viem'
import { countdownText, formatDuration } from '../../../deadlines/countdown'
import type { Deadline, L1Clock } from '../../../deadlines/deadline'
import { laterOf } from '../../../deadlines/l1BlockDate'
import { disputeGameResolution, finalityAirgap, proofMaturity, withdrawalFinalizable } from '../../../deadlines/opStackDeadlines'
import type { ExitStatus, StatusDeadline } from '../../adapter'
import { chooseGames, whyGameUnusable } from './chooseGame'
import type { GameFacts } from './gameFacts'
import type { PortalSetup } from './readPortalSetup'
import type { WithdrawalProofRecord, WithdrawalState } from './readWithdrawalState'

export type OpExitStage =
  /** A forced withdrawal's deposit is on L1; L2 must include it within the sequencing window. */
  | 'waiting-for-inclusion'
  /** On L2 (or past its inclusion deadline) and not proven on L1 yet. */
  | 'ready-to-prove'
  /** Proven, but the game it was proven against no longer counts: prove again. */
  | 'proof-invalidated'
  /** Proven; the game's clock is still running. */
  | 'waiting-for-game'
  /** Proven; the game's clock has run out and nobody resolved it yet. */
  | 'ready-to-resolve'
  /** Proven and the game resolved for the claim; waiting for the proof maturity and/or the finality airgap. */
  | 'waiting-for-finality'
  | 'ready-to-finalize'
  | 'finalized'

export type OpNextActionKind = 'wait-for-inclusion' | 'find-on-l2' | 'prove' | 're-prove' | 'wait-for-game' | 'resolve-game' | 'wait-for-finality' | 'finalize' | 'not-supported-here'

export type OpExitStatus = ExitStatus<OpExitStage, OpNextActionKind>

const nowOf = (clock: L1Clock): Date => new Date(Number(clock.head.timestamp * 1000n))
const passed = (d: Deadline, clock: L1Clock): boolean => clock.head.timestamp * 1000n >= BigInt(d.at.getTime())

export interface WithdrawalStatusParameters {
  state: WithdrawalState
  setup: PortalSetup
  clock: L1Clock
  /** The address that will finalize (its own proof is preferred). */
  account?: Address
}

export function withdrawalStatus(p: WithdrawalStatusParameters): OpExitStatus {
  const s = stageOf(p)
  const blockedByPause = p.setup.paused && s.nextAction?.ready === true && ['prove', 're-prove', 'finalize'].includes(s.nextAction.kind)
  if (!blockedByPause) return s
  return {
    ...s,
    blocker: `The portal is paused by the guardian (OptimismPortal.paused()): proving and finalizing wait until it is unpaused.${s.blocker ? ` ${s.blocker}` : ''}`,
    nextAction: { ...(s.nextAction as NonNullable<OpExitStatus['nextAction']>), ready: false },
  }
}

function stageOf(p: WithdrawalStatusParameters): OpExitStatus {
  const { state, setup, clock } = p
  const now = nowOf(clock)
  if (state.finalized) return { stage: 'finalized', blocker: undefined, deadlines: [], nextAction: undefined, l1Clock: clock }
  const valid = state.proofs.filter((r) => whyGameUnusable(r.game, setup) === undefined)
  if (valid.length === 0) {
    const lost = state.proofs[0]
    if (lost) {
      const why = whyGameUnusable(lost.game, setup) as string
      return {
        stage: 'proof-invalidated', deadlines: [], l1Clock: clock,
        blocker: `Withdrawal ${state.withdrawalHash} was proven against dispute game ${lost.game.address}, which no longer counts: ${why}.`,
        nextAction: { kind: 're-prove', description: 'Prove the withdrawal again against another valid game (or create one); the proof maturity delay starts again from the new proof.', by: 'you', earliest: { at: now, basis: `read at L1 block ${clock.head.number}`, estimate: false }, ready: true },
      }
    }
    return {
      stage: 'ready-to-prove', deadlines: [], l1Clock: clock,
      blocker: `Withdrawal ${state.withdrawalHash} is not proven on L1 yet.`,
      nextAction: { kind: 'prove', description: 'Prove the withdrawal on L1 against a dispute game covering its L2 block (or create one if none does).', by: 'you', earliest: { at: now, basis: `read at L1 block ${clock.head.number}`, estimate: false }, ready: true },
    }
  }
  // The proof that can finalize soonest, the account's own first on a tie (it needs no external-proof variant).
  const best = valid
    .map((r) => ({ r, when: finalizableAt(r, setup) }))
    .sort((a, b) => a.when.at.getTime() - b.when.at.getTime() || Number(own(b.r, p.account)) - Number(own(a.r, p.account)))[0] as { r: WithdrawalProofRecord; when: Deadline }
  const { r } = best
  const g = r.game
  const maturity = (proofMaturity(r.provenAt, setup.proofMaturityDelaySeconds))
  const deadlines: StatusDeadline[] = [{ what: `proof maturity (proven by ${r.submitter})`, deadline: maturity, passed: passed(maturity, clock) }]
  const via = own(r, p.account) || p.account === undefined ? '' : ` (with the proof submitted by ${r.submitter}: finalizeWithdrawalTransactionExternalProof)`

  if (g.status === 'in-progress') {
    const resolvable = disputeGameResolution(g.createdAt, g.maxClockDuration)
    // The airgap runs from the resolution, which can be no earlier than the clock's end and no earlier than the next
    // L1 block: a clock that ran out unresolved pushes the airgap (and the finalization) later with every block.
    const resolvedAtTheEarliest = g.createdAt + g.maxClockDuration > clock.head.timestamp ? g.createdAt + g.maxClockDuration : clock.head.timestamp + 1n
    const airgap = finalityAirgap(resolvedAtTheEarliest, setup.disputeGameFinalityDelaySeconds)
    const unresolved = resolvedAtTheEarliest === g.createdAt + g.maxClockDuration ? 'the game is not resolved yet: resolved as soon as its clock runs out, assumed' : `the game's clock ran out at ${g.createdAt + g.maxClockDuration} and it is not resolved yet: resolved in the next L1 block, assumed`
    const finalizable = laterOf(maturity, airgap)
    deadlines.unshift({ what: `dispute game ${g.address} resolvable (if unchallenged)`, deadline: resolvable, passed: passed(resolvable, clock) })
    deadlines.push({ what: 'finality airgap ends, at the earliest', deadline: { ...airgap, basis: `${airgap.basis} (${unresolved})` }, passed: false })
    deadlines.push({ what: 'finalizable, at the earliest', deadline: finalizable === airgap ? { ...airgap, basis: `${airgap.basis} (${unresolved})` } : finalizable, passed: false })
    if (passed(resolvable, clock)) {
      return {
        stage: 'ready-to-resolve', deadlines, l1Clock: clock,
        blocker: `Dispute game ${g.address}'s clock has run out but nobody has resolved it yet; the finality airgap starts only when it is resolved.`,
        nextAction: { kind: 'resolve-game', description: `Resolve dispute game ${g.address} (resolveClaim, then resolve; anyone may send them).`, by: 'anyone', earliest: resolvable, ready: true },
      }
    }
    return {
      stage: 'waiting-for-game', deadlines, l1Clock: clock,
      blocker: `Dispute game ${g.address} (L2 block ${g.l2BlockNumber}) is still open; it can be resolved ${countdownText(resolvable, now, 'its clock')} if nobody challenges it.`,
      nextAction: { kind: 'wait-for-game', description: `Wait for dispute game ${g.address}'s clock, then resolve it.`, by: 'anyone', earliest: resolvable, ready: false },
    }
  }
  const airgap = finalityAirgap(g.resolvedAt, setup.disputeGameFinalityDelaySeconds)
  deadlines.push({ what: `finality airgap after the game resolved`, deadline: airgap, passed: passed(airgap, clock) })
  const finalizable = best.when
  if (passed(finalizable, clock)) {
    return {
      stage: 'ready-to-finalize', deadlines, l1Clock: clock, blocker: undefined,
      nextAction: { kind: 'finalize', description: `Finalize withdrawal ${state.withdrawalHash} on L1${via}.`, by: 'you', earliest: finalizable, ready: true },
    }
  }
  const waits = [!passed(maturity, clock) ? `the proof matures ${countdownText(maturity, now, 'the next L1 block')}` : undefined, !passed(airgap, clock) ? `the finality airgap ends ${countdownText(airgap, now, 'the next L1 block')}` : undefined].filter(Boolean)
  return {
    stage: 'waiting-for-finality', deadlines, l1Clock: clock,
    blocker: `Dispute game ${g.address} resolved for the claim; waiting until ${waits.join(' and ')}.`,
    nextAction: { kind: 'wait-for-finality', description: `Then finalize withdrawal ${state.withdrawalHash} on L1${via}.`, by: 'you', earliest: finalizable, ready: false },
  }
}

function own(r: WithdrawalProofRecord, account: Address | undefined): boolean {
  return account !== undefined && r.submitter.toLowerCase() === account.toLowerCase()
}

function finalizableAt(r: WithdrawalProofRecord, setup: PortalSetup): Deadline {
  return withdrawalFinalizable({
    provenAtTimestamp: r.provenAt,
    proofMaturityDelaySeconds: setup.proofMaturityDelaySeconds,
    game: { createdAtTimestamp: r.game.createdAt, maxClockDurationSeconds: r.game.maxClockDuration, resolvedAtTimestamp: r.game.status === 'defender-wins' ? r.game.resolvedAt : undefined },
    finalityDelaySeconds: setup.disputeGameFinalityDelaySeconds,
  })
}


export interface GameCoverage {
  /** The withdrawal's L2 block (as the L2 RPC reported it: a lead, the escape checks everything again). */
  l2Block: bigint
  setup: PortalSetup
  clock: L1Clock
  /** The newest respected-type games (readGames). */
  games: readonly GameFacts[]
}

/**
 * A withdrawal not proven yet, told apart by what the user can do (optimism#13466, "stuck at READY_TO_PROVE"): a game
 * that can carry the proof covers its L2 block — prove now against it (its root claim is checked before signing) —
 * or none does yet — wait for the chain's proposer, or create one (the escape does, with a bond and a full clock).
 */
export function withGameCoverage(s: OpExitStatus, c: GameCoverage): OpExitStatus {
  if (s.stage !== 'ready-to-prove' || s.nextAction?.kind !== 'prove') return s
  const { usable } = chooseGames({ games: c.games, setup: c.setup, withdrawalL2Block: c.l2Block, l1Timestamp: c.clock.head.timestamp })
  const best = usable[0]
  if (best) {
    const state = best.status === 'defender-wins' ? 'resolved for its claim' : 'in progress'
    return {
      ...s,
      blocker: `Not proven on L1 yet. Dispute game ${getAddress(best.address)} (L2 block ${best.l2BlockNumber}, ${state}) covers its L2 block ${c.l2Block}: it can be proven now (the game’s root claim is checked before anything is signed).`,
    }
  }
  const newest = c.games.filter((g) => whyGameUnusable(g, c.setup) === undefined).sort((a, b) => (a.l2BlockNumber > b.l2BlockNumber ? -1 : 1))[0]
  const newestText = newest
    ? `the newest usable game is at L2 block ${newest.l2BlockNumber}`
    : 'no usable game was found among the newest games'
  return {
    ...s,
    blocker: `Not proven on L1 yet. No dispute game covers L2 block ${c.l2Block} yet (${newestText}); a proof needs a game at or after the withdrawal’s block.`,
    nextAction: {
      kind: 'wait-for-game',
      description: `Wait for the chain’s proposer to post a game at or after L2 block ${c.l2Block}, then prove; or create one yourself (the escape does it: it posts the bond the factory asks, and the game’s clock${newest ? ` of ${formatDuration(Number(newest.maxClockDuration))}` : ''} runs from then).`,
      by: 'anyone',
      earliest: { at: nowOf(c.clock), basis: `no date: it depends on the proposer (read at L1 block ${c.clock.head.number})`, estimate: true },
      ready: false,
    },
  }
}
