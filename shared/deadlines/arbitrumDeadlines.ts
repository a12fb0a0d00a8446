/**
 * Arbitrum windows → dates (notes arbitrum-nitro.md §1.3, §3.4).
 *
 * Force inclusion: SequencerInbox.forceInclusion reverts while `msgBlock + delay >= block.number`, delay =
 * min(delayBlocks, delay buffer) on a bufferable inbox; `forceInclusionDeadline(msgBlock)` returns msgBlock + delay,
 * so the first block that accepts it is deadline + 1. Since nitro-contracts v3.0.0 there is no time check; before it
 * (v1.x–v2.1) `msgTime + delaySeconds < block.timestamp` also had to hold — pass `legacyDelaySeconds` only for such
 * an inbox.
 *
 * Assertion confirmation: RollupUserLogic.confirmAssertion requires block.number >= createdAtBlock +
 * confirmPeriodBlocks (a challenge adds ≈ 2 × the challenge period + grace, notes §3.4 [unverified]).
 *
 * Retryable tickets: ArbOS keeps an unredeemed ticket for 7 days from its creation (ArbRetryableTx.getLifetime()),
 * each keepalive adding another lifetime.
 */
import type { Deadline, L1Clock } from './deadline'
import { l1BlockDate, laterOf, timestampDate } from './l1BlockDate'

/** ArbRetryableTx.getLifetime(): 7 days. */
export const RETRYABLE_LIFETIME_SECONDS = 604_800n

export interface ForceInclusionWindowParameters {
  clock: L1Clock
  messageL1Block: bigint
  /** The contract's own forceInclusionDeadline(messageL1Block), read live — preferred: it includes the buffer's update. */
  deadlineBlock?: bigint
  /** Otherwise computed: messageL1Block + min(delayBlocks, bufferBlocks). */
  delayBlocks?: bigint
  bufferBlocks?: bigint
  /** Only for a SequencerInbox before v3.0.0, which also checked time: the message's L1 timestamp and delaySeconds. */
  legacyTimeRule?: { messageL1Timestamp: bigint; delaySeconds: bigint }
}

export interface ForceInclusionWindow {
  /** Last L1 block at which forceInclusion still reverts. */
  deadlineBlock: bigint
  /** First L1 block that accepts forceInclusion (= deadline + 1). */
  firstIncludableBlock: bigint
  /** A forceInclusion sent now lands in head + 1 ≥ firstIncludableBlock (and the legacy time rule, if any, holds). */
  open: boolean
  /** When it opens: the date of firstIncludableBlock (and of the legacy time rule, whichever is later). */
  opensAt: Deadline
}

export function forceInclusionWindow(p: ForceInclusionWindowParameters): ForceInclusionWindow {
  let deadlineBlock = p.deadlineBlock
  let how = 'SequencerInbox.forceInclusionDeadline'
  if (deadlineBlock === undefined) {
    if (p.delayBlocks === undefined) throw new Error('forceInclusionWindow needs deadlineBlock or delayBlocks')
    const delay = p.bufferBlocks !== undefined && p.bufferBlocks < p.delayBlocks ? p.bufferBlocks : p.delayBlocks
    deadlineBlock = p.messageL1Block + delay
    how = p.bufferBlocks !== undefined && p.bufferBlocks < p.delayBlocks ? `message block + delay buffer ${delay}` : `message block + delayBlocks ${delay}`
  }
  const firstIncludableBlock = deadlineBlock + 1n
  let opensAt = l1BlockDate(p.clock, firstIncludableBlock, `force inclusion from the block after the deadline (${how} = ${deadlineBlock})`)
  let open = p.clock.head.number + 1n >= firstIncludableBlock
  if (p.legacyTimeRule) {
    const t = p.legacyTimeRule.messageL1Timestamp + p.legacyTimeRule.delaySeconds + 1n
    opensAt = laterOf(opensAt, timestampDate(t, `force inclusion once block.timestamp > message time + delaySeconds ${p.legacyTimeRule.delaySeconds} (inbox before v3.0.0)`))
    // The next block's timestamp is at least the head's + 1.
    open = open && p.clock.head.timestamp + 1n >= t
  }
  return { deadlineBlock, firstIncludableBlock, open, opensAt }
}

export interface AssertionConfirmationParameters {
  clock: L1Clock
  confirmPeriodBlocks: bigint
  /** The L1 block the covering assertion was created in; undefined when no assertion covers the withdrawal yet. */
  assertionCreatedAtBlock: bigint | undefined
}

export interface AssertionConfirmation {
  /** From this L1 block the assertion can be confirmed: exact with an assertion, a lower bound without one. */
  confirmableFromBlock: bigint
  /** true when a covering assertion exists (the block is a rule, not a guess about validators). */
  exact: boolean
  /** The head has reached confirmableFromBlock (with an assertion: anyone can confirm it now). */
  reached: boolean
  at: Deadline
}

export function assertionConfirmation(p: AssertionConfirmationParameters): AssertionConfirmation {
  const exact = p.assertionCreatedAtBlock !== undefined
  const confirmableFromBlock = (p.assertionCreatedAtBlock ?? p.clock.head.number) + p.confirmPeriodBlocks
  const rule = exact
    ? `assertion created at L1 block ${p.assertionCreatedAtBlock} + confirm period ${p.confirmPeriodBlocks} blocks`
    : `no assertion covers it yet: at the earliest head + confirm period ${p.confirmPeriodBlocks} blocks, once a validator posts one`
  return { confirmableFromBlock, exact, reached: exact && p.clock.head.number >= confirmableFromBlock, at: l1BlockDate(p.clock, confirmableFromBlock, rule) }
}

/** When an unredeemed retryable ticket created at `createdAtTimestamp` (L2 time, seconds) is deleted. */
export function retryableExpiry(createdAtTimestamp: bigint, lifetimeSeconds: bigint = RETRYABLE_LIFETIME_SECONDS): Deadline {
  return timestampDate(createdAtTimestamp + lifetimeSeconds, `retryable ticket expires ${lifetimeSeconds} s after its creation unless redeemed or kept alive`)
}
