/**
 * When will a withdrawal sequenced in batch `batch` be under a confirmed send root (notes §3.4)? An assertion whose
 * afterState reads past that batch must be created, then `confirmPeriodBlocks` must pass from its creation block
 * (RollupUserLogic.confirmAssertion) and someone must confirm it. Everything here is read from L1; the result is a
 * block and an estimate of its time (the deadline engine: the L1's measured block time from the head), never a promise: a challenge
 * delays confirmation (≈ 2 × challenge period + grace, notes §3.4 [unverified]).
 */
import type { Hex } from 'viem'
import { rollupUserLogicAbi } from '../../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { getLogsChunked, type ArbL1Client } from '../../../../shared/rollups/arbitrum-nitro/l1Client'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { assertionConfirmation } from '../../../../shared/deadlines/arbitrumDeadlines'
import type { L1Clock } from '../../../../shared/deadlines/deadline'
import { l1BlockDate } from '../../../../shared/deadlines/l1BlockDate'
import { readL1Clock } from '../../../../shared/deadlines/readL1Clock'

export interface EstimateWithdrawalConfirmationParameters {
  l1: ArbL1Client
  network: ArbitrumNetwork
  /** The sequencer batch that read the withdrawal's delayed message. */
  batch: bigint
  /** An L1 block at or before that batch (where the AssertionCreated scan starts). */
  fromBlock: bigint
}

export interface WithdrawalConfirmationEstimate {
  head: bigint
  confirmPeriodBlocks: bigint
  /** The first assertion that covers the batch, if one was created. */
  coveringAssertion: { assertionHash: Hex; createdAtBlock: bigint } | undefined
  /**
   * From this L1 block a covering assertion can be confirmed: exact when one exists (createdAtBlock + confirm period),
   * otherwise a lower bound (head + confirm period; a validator must first post an assertion).
   */
  confirmableFromBlock: bigint
  exact: boolean
  estimatedAt: Date
  /** The L1 clock the estimate comes from (measured block time). */
  clock: L1Clock
}

const assertionCreatedEvent = rollupUserLogicAbi.find((i) => i.type === 'event' && i.name === 'AssertionCreated') as Extract<
  (typeof rollupUserLogicAbi)[number],
  { type: 'event'; name: 'AssertionCreated' }
>

export async function estimateWithdrawalConfirmation(params: EstimateWithdrawalConfirmationParameters): Promise<WithdrawalConfirmationEstimate> {
  const { l1, network } = params
  const headBlock = await l1.getBlock({ blockTag: 'latest' })
  const head = headBlock.number
  const clock = await readL1Clock({ l1, head: headBlock })
  const confirmPeriodBlocks = await l1.readContract({ address: network.contracts.rollup, abi: rollupUserLogicAbi, functionName: 'confirmPeriodBlocks', blockNumber: head })
  const logs = await getLogsChunked(
    (f, t) => l1.getLogs({ address: network.contracts.rollup, event: assertionCreatedEvent, fromBlock: f, toBlock: t }),
    params.fromBlock,
    head,
  )
  const covering = logs
    .filter((l) => (l.args.assertion?.afterState.globalState.u64Vals[0] ?? 0n) > params.batch)
    .sort((a, b) => ((a.blockNumber ?? 0n) < (b.blockNumber ?? 0n) ? -1 : 1))[0]
  const coveringAssertion = covering ? { assertionHash: covering.args.assertionHash as Hex, createdAtBlock: covering.blockNumber as bigint } : undefined
  const c = assertionConfirmation({ clock, confirmPeriodBlocks, assertionCreatedAtBlock: coveringAssertion?.createdAtBlock })
  return {
    head,
    confirmPeriodBlocks,
    coveringAssertion,
    confirmableFromBlock: c.confirmableFromBlock,
    exact: c.exact,
    estimatedAt: estimateBlockTime(clock, c.confirmableFromBlock),
    clock,
  }
}

/** The estimated wall-clock time of L1 block `block` (the head's time for a block already passed), from the L1 clock. */
export function estimateBlockTime(clock: L1Clock, block: bigint): Date {
  return l1BlockDate(clock, block > clock.head.number ? block : clock.head.number, 'L1 block').at
}
