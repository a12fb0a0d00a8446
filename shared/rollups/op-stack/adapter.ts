/**
 * The OP Stack RollupAdapter, read side (shared/rollups/adapter.ts; issue 12 item 7). Built on withdraw/:
 * - describe: the portal read at run time (version, where game validity lives, respected game type, delays,
 *   retirement, factory) at one pinned L1 block;
 * - findWithdrawals: the account's forced withdrawals — its TransactionDeposited events to the L2ToL1MessagePasser or
 *   the L2StandardBridge (facts from L1, through the gateway) — and the withdrawals it sent that were proven on L1
 *   (WithdrawalProven events naming it). With an (untrusted) L2 RPC, a forced withdrawal's L2 receipt gives its
 *   withdrawal hash (the deposit's L2 hash is computed from L1, never asked of the sequencer); the hash is a lead to
 *   read the portal with, never a proof;
 * - status: stage, blocker, deadlines (sequencing window; game clock, proof maturity and airgap separately) and the
 *   one next action, from fresh L1 reads (readWithdrawalState + withdrawalStatus).
 * Networks where proving is not supported (Base since Azul) say so plainly instead of a made-up stage.
 */
import { getAbiItem, getAddress, type Address, type Hex } from 'viem'
import { optimismPortal2Abi } from '../../../contracts-abi/op-stack/OptimismPortal2'
import { countdownText } from '../../deadlines/countdown'
import type { L1Clock } from '../../deadlines/deadline'
import { depositInclusionDeadline } from '../../deadlines/opStackDeadlines'
import { readL1Clock } from '../../deadlines/readL1Clock'
import { L2_TO_L1_MESSAGE_PASSER } from '../../eth/predeploys'
import { getLogsChunked } from '../../l1/getLogsChunked'
import type { FoundWithdrawals, NetworkDescription, RollupAdapter } from '../adapter'
import { L2_STANDARD_BRIDGE } from './withdraw/buildForcedWithdrawalTx'
import { depositL2Transaction } from './withdraw/depositL2TxHash'
import { findMessagePassed, type ReceiptLogs } from './withdraw/findMessagePassed'
import type { OpL1Client } from './withdraw/opL1Client'
import { readPortalSetup } from './withdraw/readPortalSetup'
import { readGames } from './withdraw/readGames'
import { readWithdrawalState } from './withdraw/readWithdrawalState'
import { withGameCoverage, withdrawalStatus, type OpExitStage, type OpExitStatus, type OpNextActionKind } from './withdraw/withdrawalStatus'

/** What the adapter needs of a network entry (the CLI and app map their entries to it). */
export interface OpAdapterNetwork {
  name: string
  l1ChainId: number
  l2ChainId: number
  portal: Address
  seqWindowSize: bigint
  /** undefined when the app proves and finalizes here; otherwise the plain sentence why not (Base since Azul). */
  provingUnsupported?: string
}

export type OpExit =
  | {
      kind: 'forced-withdrawal'
      account: Address
      l1BlockNumber: bigint
      l1TransactionHash: Hex
      logIndex: number
      /** The deposit's L2 transaction hash, computed from the L1 log. */
      l2TransactionHash: Hex
      via: 'message-passer' | 'standard-bridge'
      /** L2 value sent with the call (ETH withdrawals) and ETH minted with it. */
      value: bigint
      mint: bigint
      /** Found through the L2 RPC (untrusted: a lead for the portal reads only). */
      withdrawalHash?: Hex
      /** The L2 block the L2 RPC says executed the deposit (untrusted: used only to say which games would cover it). */
      l2BlockNumber?: bigint
    }
  | { kind: 'withdrawal'; account: Address; withdrawalHash: Hex; provenAtL1Block: bigint; target: Address }

/** Forced withdrawals are searched this far back by default (≈ 16 days of 12 s blocks: the proof maturity and more). */
export const DEFAULT_OP_SEARCH_L1_BLOCKS = 120_000n

export interface CreateOpStackAdapterParameters {
  l1: OpL1Client
  /** An untrusted L2 RPC, for the withdrawal hashes of forced withdrawals. */
  l2?: { getTransactionReceipt(args: { hash: Hex }): Promise<ReceiptLogs & { blockNumber?: bigint }> }
  l2Source?: string
  fromBlock?: bigint
  onProgress?: (message: string) => void
}

export type OpStackAdapter = RollupAdapter<OpAdapterNetwork, OpExit, OpExitStage, OpNextActionKind>

export function createOpStackAdapter(p: CreateOpStackAdapterParameters): OpStackAdapter {
  const { l1 } = p
  return {
    stack: 'op-stack',

    async describe(network): Promise<NetworkDescription> {
      const head = await l1.getBlock({ blockTag: 'latest' })
      const s = await readPortalSetup(l1, network.portal, head.number)
      return {
        stack: 'op-stack',
        name: network.name,
        l1ChainId: network.l1ChainId,
        l2ChainId: network.l2ChainId,
        contracts: { optimismPortal: s.portal, disputeGameFactory: s.disputeGameFactory, ...(s.anchorStateRegistry ? { anchorStateRegistry: s.anchorStateRegistry } : {}) },
        parameters: {
          respectedGameType: BigInt(s.respectedGameType),
          proofMaturityDelaySeconds: s.proofMaturityDelaySeconds,
          disputeGameFinalityDelaySeconds: s.disputeGameFinalityDelaySeconds,
          retirementTimestamp: s.retirement.timestamp,
          paused: s.paused,
          seqWindowSize: network.seqWindowSize,
        },
        l1Block: s.l1Block,
        l1Clock: await readL1Clock({ l1, head }),
      }
    },

    async findWithdrawals(network, account): Promise<FoundWithdrawals<OpExit>> {
      const who = getAddress(account)
      const head = await l1.getBlockNumber()
      const fromBlock = p.fromBlock ?? (head > DEFAULT_OP_SEARCH_L1_BLOCKS ? head - DEFAULT_OP_SEARCH_L1_BLOCKS : 0n)
      const progress = (what: string) => (x: { throughBlock: bigint; found: number }) => p.onProgress?.(`${what}: through L1 block ${x.throughBlock} (${x.found} found)`)
      const deposits = await getLogsChunked(
        (f, t) => l1.getLogs({ address: network.portal, event: getAbiItem({ abi: optimismPortal2Abi, name: 'TransactionDeposited' }), args: { from: who }, fromBlock: f, toBlock: t }),
        fromBlock, head, 10_000n, progress('Deposits'),
      )
      const proven = await getLogsChunked(
        (f, t) => l1.getLogs({ address: network.portal, event: getAbiItem({ abi: optimismPortal2Abi, name: 'WithdrawalProven' }), args: { from: who }, fromBlock: f, toBlock: t }),
        fromBlock, head, 10_000n, progress('Proven withdrawals'),
      )
      const notes = [`Forced withdrawals sent by ${who} and withdrawals from it proven on L1 searched in L1 blocks ${fromBlock}..${head}.`]
      const items: OpExit[] = []
      let l2Failures = 0
      for (const log of deposits) {
        const to = String(log.args.to).toLowerCase()
        const via = to === L2_TO_L1_MESSAGE_PASSER ? 'message-passer' : to === L2_STANDARD_BRIDGE.toLowerCase() ? 'standard-bridge' : undefined
        if (!via) continue
        const { deposit, l2TransactionHash } = depositL2Transaction({ topics: log.topics as Hex[], data: log.data, blockHash: log.blockHash as Hex, logIndex: Number(log.logIndex) })
        let withdrawalHash: Hex | undefined
        let l2BlockNumber: bigint | undefined
        if (p.l2) {
          try {
            const receipt = await p.l2.getTransactionReceipt({ hash: l2TransactionHash })
            withdrawalHash = findMessagePassed(receipt, p.l2Source)[0]?.withdrawalHash
            if (withdrawalHash && typeof receipt.blockNumber === 'bigint') l2BlockNumber = receipt.blockNumber
          } catch {
            l2Failures++
          }
        }
        items.push({
          kind: 'forced-withdrawal', account: who, l1BlockNumber: log.blockNumber as bigint, l1TransactionHash: log.transactionHash as Hex, logIndex: Number(log.logIndex),
          l2TransactionHash, via, value: deposit.value, mint: deposit.mint, ...(withdrawalHash ? { withdrawalHash } : {}), ...(l2BlockNumber !== undefined ? { l2BlockNumber } : {}),
        })
      }
      const known = new Set(items.flatMap((i) => (i.kind === 'forced-withdrawal' && i.withdrawalHash ? [i.withdrawalHash.toLowerCase()] : [])))
      for (const log of proven) {
        const hash = (log.args.withdrawalHash as Hex).toLowerCase() as Hex
        if (known.has(hash)) continue
        known.add(hash)
        items.push({ kind: 'withdrawal', account: who, withdrawalHash: hash, provenAtL1Block: log.blockNumber as bigint, target: getAddress(log.args.to as Address) })
      }
      if (!p.l2) notes.push('No L2 RPC given: a forced withdrawal’s withdrawal hash (needed to read its proof on L1) is not known until the L2 chain is read — give --l2-rpc (untrusted; checked later against L1) or rebuild the chain from L1.')
      if (l2Failures > 0) notes.push(`${l2Failures} forced withdrawal(s) could not be found on ${p.l2Source ?? 'the L2 RPC'} (not included yet, or the node is behind).`)
      if (network.provingUnsupported) notes.push(network.provingUnsupported)
      return { items, notes, l1Block: head }
    },

    async status(network, item): Promise<OpExitStatus> {
      const clock = await readL1Clock({ l1 })
      if (item.kind === 'forced-withdrawal') {
        const inclusion = depositInclusionDeadline({ clock, depositL1Block: item.l1BlockNumber, seqWindowSize: network.seqWindowSize })
        const deadline = { what: `in L2 by (sequencing window after L1 block ${item.l1BlockNumber})`, deadline: inclusion.at, passed: inclusion.reached }
        if (!item.withdrawalHash) {
          if (!inclusion.reached) {
            return {
              stage: 'waiting-for-inclusion', deadlines: [deadline], l1Clock: clock,
              blocker: `The deposit is on L1; L2 must include it by L1 block ${inclusion.block} (${countdownText(inclusion.at, nowOf(clock), 'the next L1 block')}), even if the sequencer ignores it.`,
              nextAction: { kind: 'wait-for-inclusion', description: `Wait for the deposit (L2 transaction ${item.l2TransactionHash}) to be in L2; then prove the withdrawal it started.`, by: 'sequencer', earliest: inclusion.at, ready: false },
            }
          }
          return {
            stage: 'ready-to-prove', deadlines: [deadline], l1Clock: clock,
            blocker: `The deposit is in L2 by now (the sequencing window has passed), but its withdrawal hash is read from the L2 chain (L2 transaction ${item.l2TransactionHash}).`,
            nextAction: { kind: 'find-on-l2', description: 'Read the withdrawal from the L2 chain (rebuild it from L1, or give an L2 RPC) and prove it on L1.', by: 'you', earliest: inclusion.at, ready: true },
          }
        }
        return withProving(network, item.withdrawalHash, item.account, clock, [deadline], item.l2BlockNumber)
      }
      return withProving(network, item.withdrawalHash, item.account, clock, [])
    },
  }

  async function withProving(network: OpAdapterNetwork, withdrawalHash: Hex, account: Address, clock: L1Clock, before: OpExitStatus['deadlines'], l2Block?: bigint): Promise<OpExitStatus> {
    if (network.provingUnsupported) {
      return {
        stage: 'ready-to-prove', deadlines: before, l1Clock: clock, blocker: network.provingUnsupported,
        nextAction: { kind: 'not-supported-here', description: 'Use the chain’s own withdrawal tools to prove and finalize; this app does not on this network.', by: 'you', earliest: { at: nowOf(clock), basis: network.provingUnsupported, estimate: false }, ready: false },
      }
    }
    const setup = await readPortalSetup(l1, network.portal, clock.head.number)
    const s = withdrawalStatus({ state: await readWithdrawalState(l1, setup, withdrawalHash, account), setup, clock, account })
    // Not proven yet: say whether a game covers its L2 block already (optimism#13466: "stuck at READY_TO_PROVE").
    const covered = s.stage === 'ready-to-prove' && l2Block !== undefined
      ? withGameCoverage(s, { l2Block, setup, clock, games: (await readGames({ l1, setup })).games })
      : s
    return { ...covered, deadlines: [...before, ...covered.deadlines] }
  }
}

function nowOf(clock: L1Clock): Date {
  return new Date(Number(clock.head.timestamp * 1000n))
}
