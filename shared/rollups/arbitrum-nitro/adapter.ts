/**
 * The Arbitrum RollupAdapter, read side (shared/rollups/adapter.ts). Built on getArbitrumStatus:
 * - findWithdrawals: the delayed messages the account sent through the inbox (facts from L1) and the withdrawals
 *   paying out to it (found on the untrusted L2 node, `verified` only once under the send root confirmed on L1);
 * - status: the item's stage from fresh L1 reads at one pinned head (force-inclusion deadline and whether the inbox
 *   read it; the Outbox's isSpent; the latest confirmed assertion), its deadlines from shared/deadlines at the L1's
 *   measured block time, and the one next action.
 * A withdrawal that was not yet under the confirmed root when it was found is not re-proven by `status`: when a newer
 * assertion has been confirmed since, the status says to search again (findWithdrawals re-checks it against L1).
 */
import type { Address, Hex } from 'viem'
import { outboxAbi } from '../../../contracts-abi/arbitrum-nitro/Outbox'
import { rollupUserLogicAbi } from '../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { assertionConfirmation } from '../../deadlines/arbitrumDeadlines'
import { countdownText } from '../../deadlines/countdown'
import type { L1Clock, NextAction } from '../../deadlines/deadline'
import { l1BlockDate } from '../../deadlines/l1BlockDate'
import { readL1Clock } from '../../deadlines/readL1Clock'
import type { ExitStatus, FoundWithdrawals, NetworkDescription, RollupAdapter, StatusDeadline } from '../adapter'
import type { ArbL1Client, ArbL2Client } from './l1Client'
import type { ArbitrumNetwork } from './network'
import { getArbitrumStatus, type DelayedMessageStatus, type WithdrawalStatus } from './status'
import { findCoveringAssertion } from './adapterCoveringAssertion'
import { getForceInclusionStatus } from './status/getForceInclusionStatus'
import { checkArbitrumWiring, readArbitrumParameters } from './status/readArbitrumParameters'

export type ArbitrumExit =
  | { kind: 'delayed-message'; message: DelayedMessageStatus }
  | { kind: 'withdrawal'; withdrawal: WithdrawalStatus; /** latestConfirmed when it was found */ confirmedAssertion: Hex }

export type ArbitrumExitStage =
  /** In the delayed inbox, not read by the sequencer, the force-inclusion window not open yet. */
  | 'in-delayed-inbox'
  /** Not read by the sequencer and past its deadline: anyone can force it in now. */
  | 'force-includable'
  /** Read by the sequencer inbox (included on L2, by the sequencer or forced). */
  | 'sequenced'
  | 'waiting-for-confirmation'
  | 'ready-to-execute'
  | 'executed'

export type ArbitrumNextActionKind = 'force-include' | 'wait-for-confirmation' | 'search-again' | 'execute-withdrawal'

export interface CreateArbitrumAdapterParameters {
  l1: ArbL1Client
  l2?: ArbL2Client
  /** How the L2 node is named in messages (e.g. its endpointLabel). */
  l2Source?: string
  /** Passed to getArbitrumStatus: where the searches start. */
  fromBlock?: bigint
  l2FromBlock?: bigint
  onProgress?: (message: string) => void
}

export type ArbitrumAdapter = RollupAdapter<ArbitrumNetwork, ArbitrumExit, ArbitrumExitStage, ArbitrumNextActionKind>

export function createArbitrumAdapter(p: CreateArbitrumAdapterParameters): ArbitrumAdapter {
  const { l1 } = p
  const pinClock = async (): Promise<L1Clock> => readL1Clock({ l1 })
  return {
    stack: 'arbitrum-nitro',

    async describe(network): Promise<NetworkDescription> {
      await checkArbitrumWiring(l1, network)
      const params = await readArbitrumParameters(l1, network)
      const head = await l1.getBlock({ blockNumber: params.l1BlockNumber })
      const { buffer, latestConfirmedAssertion: _latest, l1BlockNumber, ...scalars } = params
      return {
        stack: 'arbitrum-nitro',
        name: network.name,
        l1ChainId: network.l1ChainId,
        l2ChainId: network.l2ChainId,
        contracts: { ...network.contracts },
        parameters: { ...scalars, ...(buffer ? { bufferBlocks: buffer.bufferBlocks, bufferMax: buffer.max, bufferThreshold: buffer.threshold } : {}) },
        l1Block: l1BlockNumber,
        l1Clock: await readL1Clock({ l1, head }),
      }
    },

    async findWithdrawals(network, account: Address): Promise<FoundWithdrawals<ArbitrumExit>> {
      const s = await getArbitrumStatus({
        l1, l2: p.l2, l2Source: p.l2Source, network, address: account, fromBlock: p.fromBlock, l2FromBlock: p.l2FromBlock, onProgress: p.onProgress,
      })
      const items: ArbitrumExit[] = [
        ...s.delayedMessages.map((message) => ({ kind: 'delayed-message' as const, message })),
        ...(s.withdrawals ?? []).map((withdrawal) => ({ kind: 'withdrawal' as const, withdrawal, confirmedAssertion: s.confirmed.assertionHash })),
      ]
      const notes = [`Delayed messages sent by ${s.address} searched in L1 blocks ${s.scannedL1Blocks.from}..${s.scannedL1Blocks.to}.`]
      if (s.withdrawalsNote) notes.push(s.withdrawalsNote)
      return { items, notes, l1Block: s.parameters.l1BlockNumber }
    },

    async status(network, item): Promise<ExitStatus<ArbitrumExitStage, ArbitrumNextActionKind>> {
      const clock = await pinClock()
      const now = new Date(Number(clock.head.timestamp * 1000n))
      if (item.kind === 'delayed-message') {
        const m = item.message
        const f = await getForceInclusionStatus(l1, network, { index: m.index, l1BlockNumber: m.l1BlockNumber }, clock)
        if (f.sequenced) return { stage: 'sequenced', blocker: undefined, deadlines: [], nextAction: undefined, l1Clock: clock }
        const opensAt = f.opensAt ?? l1BlockDate(clock, f.firstIncludableBlock, 'force inclusion')
        const deadlines: StatusDeadline[] = [{ what: `forceInclusion accepted (from L1 block ${f.firstIncludableBlock})`, deadline: opensAt, passed: f.canForceNow }]
        const action: NextAction<ArbitrumNextActionKind> = {
          kind: 'force-include',
          description: `Force delayed message #${m.index} in with SequencerInbox.forceInclusion (anyone may send it; the sequencer may still include it first).`,
          by: 'anyone',
          earliest: f.canForceNow ? { at: now, basis: `deadline block ${f.deadlineBlock} passed (head ${clock.head.number})`, estimate: false } : opensAt,
          ready: f.canForceNow,
        }
        return f.canForceNow
          ? { stage: 'force-includable', blocker: `The sequencer has not included delayed message #${m.index}; its force-inclusion deadline (L1 block ${f.deadlineBlock}) has passed.`, deadlines, nextAction: action, l1Clock: clock }
          : {
              stage: 'in-delayed-inbox',
              blocker: `The sequencer has not included delayed message #${m.index} yet; it can be forced in from L1 block ${f.firstIncludableBlock} (${countdownText(opensAt, now, 'the next L1 block')}).`,
              deadlines, nextAction: action, l1Clock: clock,
            }
      }

      const w = item.withdrawal
      if (w.verified) {
        const spent = await l1.readContract({ address: network.contracts.outbox, abi: outboxAbi, functionName: 'isSpent', args: [w.position], blockNumber: clock.head.number })
        if (spent) return { stage: 'executed', blocker: undefined, deadlines: [], nextAction: undefined, l1Clock: clock }
        return {
          stage: 'ready-to-execute', blocker: undefined, deadlines: [], l1Clock: clock,
          nextAction: {
            kind: 'execute-withdrawal',
            description: `Execute withdrawal #${w.position} on the L1 Outbox (Outbox.executeTransaction with its proof) to pay ${w.value} wei to ${w.to}.`,
            by: 'you', earliest: { at: now, basis: `under the send root confirmed on L1 (head ${clock.head.number})`, estimate: false }, ready: true,
          },
        }
      }

      // Not under the confirmed root when found. A newer confirmation since then: find it again to check it.
      const latest = await l1.readContract({ address: network.contracts.rollup, abi: rollupUserLogicAbi, functionName: 'latestConfirmed', blockNumber: clock.head.number })
      if (latest.toLowerCase() !== item.confirmedAssertion.toLowerCase()) {
        return {
          stage: 'waiting-for-confirmation', deadlines: [], l1Clock: clock,
          blocker: `A newer assertion (${latest}) has been confirmed since withdrawal #${w.position} was found; it may cover it now.`,
          nextAction: { kind: 'search-again', description: 'Search again: the withdrawal is checked against the newly confirmed send root.', by: 'you', earliest: { at: now, basis: 'a new confirmation on L1', estimate: false }, ready: true },
        }
      }
      const confirmPeriodBlocks = await l1.readContract({ address: network.contracts.rollup, abi: rollupUserLogicAbi, functionName: 'confirmPeriodBlocks', blockNumber: clock.head.number })
      const covering = p.l2 ? await findCoveringAssertion({ l1, l2: p.l2, network, l2Block: w.l2Block, confirmed: latest, head: clock.head.number }) : undefined
      const c = assertionConfirmation({ clock, confirmPeriodBlocks, assertionCreatedAtBlock: covering?.createdAtBlock })
      const waitingFor = covering ? `a validator to confirm assertion ${covering.assertionHash}` : 'a validator to post an assertion covering it'
      const blocker = covering
        ? `Assertion ${covering.assertionHash} (created at L1 block ${covering.createdAtBlock}) covers withdrawal #${w.position}; it can be confirmed from L1 block ${c.confirmableFromBlock} (${countdownText(c.at, now, waitingFor)}).`
        : `No assertion posted on L1 covers withdrawal #${w.position} yet; once a validator posts one, it can be confirmed ${confirmPeriodBlocks} L1 blocks later (from L1 block ${c.confirmableFromBlock} at the earliest).`
      return {
        stage: 'waiting-for-confirmation', blocker, l1Clock: clock,
        deadlines: [{ what: covering ? 'assertion confirmable' : 'assertion confirmable, at the earliest', deadline: c.at, passed: c.reached }],
        nextAction: {
          kind: 'wait-for-confirmation',
          description: `Wait for ${waitingFor}; then execute the withdrawal on L1.`,
          by: 'validator', earliest: c.at, ready: false,
        },
      }
    },
  }
}
