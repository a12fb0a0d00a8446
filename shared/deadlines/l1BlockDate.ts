/**
 * Dates of L1 blocks from the L1 clock: the head's timestamp plus the measured block time for each block ahead (or
 * minus, for a block behind the head). Exact integer arithmetic in milliseconds: seconds × 1000 × Δblocks / blocks.
 */
import type { Deadline, L1Clock } from './deadline'

/** The estimated date of L1 block `block`. `rule` says why that block matters, e.g. "first block forceInclusion accepts". */
export function l1BlockDate(clock: L1Clock, block: bigint, rule: string): Deadline {
  const delta = block - clock.head.number
  const ms = clock.head.timestamp * 1000n + (delta * clock.span.seconds * 1000n) / clock.span.blocks
  const exact = delta === 0n
  return {
    at: new Date(Number(ms)),
    basis: exact ? `${rule}: L1 block ${block}, the head` : `${rule}: L1 block ${block} (head ${clock.head.number}; ${clock.basis})`,
    estimate: !exact,
  }
}

/** How long `blocks` L1 blocks last at the measured block time, in whole seconds. */
export function l1BlocksToSeconds(clock: L1Clock, blocks: bigint): bigint {
  return (blocks * clock.span.seconds) / clock.span.blocks
}

/** A date from an L1 timestamp rule (exact: the contract compares block.timestamp). */
export function timestampDate(seconds: bigint, basis: string): Deadline {
  return { at: new Date(Number(seconds * 1000n)), basis, estimate: false }
}

/** The later of two deadlines (both must hold). */
export function laterOf(a: Deadline, b: Deadline): Deadline {
  return a.at.getTime() >= b.at.getTime() ? a : b
}
