/**
 * When can a delayed message be forced in (notes §1.3)? The deadline comes from the contract's own view
 * `forceInclusionDeadline(msgBlock)` = msgBlock + min(delayBlocks, pending delay buffer) — live, so a depleted buffer
 * shortens it. forceInclusion reverts while `msgBlock + delay >= block.number`: at block = deadline it still fails,
 * so the first block that can include it is deadline + 1. A transaction sent when the chain head is at the
 * deadline lands in deadline + 1 at the earliest.
 */
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { forceInclusionWindow } from '../../../deadlines/arbitrumDeadlines'
import type { Deadline, L1Clock } from '../../../deadlines/deadline'
import type { ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'

export interface ForceInclusionStatus {
  messageIndex: bigint
  messageL1Block: bigint
  /** The message has been read by the sequencer inbox (by a batch or by forceInclusion). */
  sequenced: boolean
  /** Last L1 block at which forceInclusion still reverts. */
  deadlineBlock: bigint
  /** First L1 block in which forceInclusion can succeed (= deadline + 1). */
  firstIncludableBlock: bigint
  currentL1Block: bigint
  /** A forceInclusion sent now would land in a block > deadline. */
  canForceNow: boolean
  blocksToWait: bigint
  /** The date of firstIncludableBlock from the L1 clock (deadline engine), when the caller gave one. */
  opensAt: Deadline | undefined
}

export async function readForceInclusionDeadline(client: ArbL1Client, network: ArbitrumNetwork, messageL1Block: bigint, blockNumber?: bigint): Promise<bigint> {
  return client.readContract({
    address: network.contracts.sequencerInbox,
    abi: sequencerInboxAbi,
    functionName: 'forceInclusionDeadline',
    args: [messageL1Block],
    ...(blockNumber === undefined ? {} : { blockNumber }),
  })
}

export async function getForceInclusionStatus(
  client: ArbL1Client,
  network: ArbitrumNetwork,
  message: { index: bigint; l1BlockNumber: bigint },
  clock?: L1Clock,
): Promise<ForceInclusionStatus> {
  const currentL1Block = clock?.head.number ?? (await client.getBlockNumber())
  const [deadlineBlock, totalRead] = await Promise.all([
    readForceInclusionDeadline(client, network, message.l1BlockNumber, currentL1Block),
    client.readContract({ address: network.contracts.sequencerInbox, abi: sequencerInboxAbi, functionName: 'totalDelayedMessagesRead', blockNumber: currentL1Block }),
  ])
  const firstIncludableBlock = deadlineBlock + 1n
  // The next block is currentL1Block + 1; it must be ≥ firstIncludableBlock.
  const blocksToWait = firstIncludableBlock > currentL1Block + 1n ? firstIncludableBlock - currentL1Block - 1n : 0n
  return {
    messageIndex: message.index,
    messageL1Block: message.l1BlockNumber,
    sequenced: totalRead > message.index,
    deadlineBlock,
    firstIncludableBlock,
    currentL1Block,
    canForceNow: blocksToWait === 0n,
    blocksToWait,
    opensAt: clock && forceInclusionWindow({ clock, messageL1Block: message.l1BlockNumber, deadlineBlock }).opensAt,
  }
}

/**
 * Among `candidates` (delayed messages at or after ours, any order), the newest one that can be forced in a block
 * after `currentL1Block`. Forcing it includes every earlier unread message, ours among them (SDK getForceIncludableEvent
 * takes the last event; we use the contract's own deadline instead of its delaySeconds filter, notes §1.4).
 */
export async function findLastForceIncludable<T extends { index: bigint; l1BlockNumber: bigint }>(
  client: ArbL1Client,
  network: ArbitrumNetwork,
  candidates: readonly T[],
  currentL1Block: bigint,
): Promise<T | undefined> {
  const sorted = [...candidates].sort((a, b) => (a.index < b.index ? -1 : 1))
  // Deadlines grow with the message block, so the eligible ones are a prefix: binary search the last.
  let lo = 0
  let hi = sorted.length - 1
  let found: T | undefined
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const candidate = sorted[mid] as T
    const deadline = await readForceInclusionDeadline(client, network, candidate.l1BlockNumber, currentL1Block)
    if (deadline < currentL1Block + 1n) {
      found = candidate
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}
