/**
 * OP Stack windows → dates (notes op-stack.md §1.6, §3 "Fault-proof flow"; the live values are read from L1 by the
 * caller: SystemConfig/rollup config seqWindowSize, OptimismPortal.proofMaturityDelaySeconds(),
 * AnchorStateRegistry.disputeGameFinalityDelaySeconds(), FaultDisputeGame.maxClockDuration()).
 *
 * - Deposit: a deposit made in L1 block N is in L2 by the time the safe chain's L1 origin passes N; if the sequencer
 *   leaves it out, batches for epoch N are invalid after N + seqWindowSize and nodes build the block themselves.
 * - Proof maturity: checkWithdrawal requires block.timestamp − provenAt > proofMaturityDelaySeconds.
 * - Dispute game: the root claim can be resolved once its clock has run maxClockDuration (unchallenged: createdAt +
 *   maxClockDuration; a challenge moves it).
 * - Finality airgap: AnchorStateRegistry.isGameFinalized requires block.timestamp − resolvedAt > finality delay.
 */
import type { Deadline, L1Clock } from './deadline'
import { l1BlockDate, laterOf, timestampDate } from './l1BlockDate'

export interface DepositInclusionParameters {
  clock: L1Clock
  depositL1Block: bigint
  seqWindowSize: bigint
}

export function depositInclusionDeadline(p: DepositInclusionParameters): { block: bigint; reached: boolean; at: Deadline } {
  const block = p.depositL1Block + p.seqWindowSize
  return {
    block,
    reached: p.clock.head.number >= block,
    at: l1BlockDate(p.clock, block, `deposit at L1 block ${p.depositL1Block} + sequencing window ${p.seqWindowSize} blocks: L2 nodes include it by then even without the sequencer`),
  }
}

export function proofMaturity(provenAtTimestamp: bigint, proofMaturityDelaySeconds: bigint): Deadline {
  return timestampDate(provenAtTimestamp + proofMaturityDelaySeconds + 1n, `proven at ${provenAtTimestamp} + proof maturity delay ${proofMaturityDelaySeconds} s`)
}

export function disputeGameResolution(createdAtTimestamp: bigint, maxClockDurationSeconds: bigint): Deadline {
  return timestampDate(createdAtTimestamp + maxClockDurationSeconds, `game created at ${createdAtTimestamp} + max clock duration ${maxClockDurationSeconds} s, if nobody counters the root claim`)
}

export function finalityAirgap(resolvedAtTimestamp: bigint, finalityDelaySeconds: bigint): Deadline {
  return timestampDate(resolvedAtTimestamp + finalityDelaySeconds + 1n, `game resolved at ${resolvedAtTimestamp} + finality airgap ${finalityDelaySeconds} s`)
}

/**
 * The earliest a proven withdrawal can be finalized: both the proof's maturity and the game's airgap. Before the game
 * resolves, the airgap is counted from its earliest resolution (so the result is an earliest date, said in the basis).
 */
export function withdrawalFinalizable(p: {
  provenAtTimestamp: bigint
  proofMaturityDelaySeconds: bigint
  game: { createdAtTimestamp: bigint; maxClockDurationSeconds: bigint; resolvedAtTimestamp: bigint | undefined }
  finalityDelaySeconds: bigint
}): Deadline {
  const maturity = proofMaturity(p.provenAtTimestamp, p.proofMaturityDelaySeconds)
  const resolvedAt = p.game.resolvedAtTimestamp ?? p.game.createdAtTimestamp + p.game.maxClockDurationSeconds
  const airgap = finalityAirgap(resolvedAt, p.finalityDelaySeconds)
  const later = laterOf(maturity, airgap)
  return p.game.resolvedAtTimestamp === undefined && later === airgap
    ? { ...airgap, basis: `${airgap.basis} (the game is not resolved yet: earliest resolution assumed)` }
    : later
}
