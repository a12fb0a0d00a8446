/**
 * Read-only diagnosis of one address on an Arbitrum chain: the live force-inclusion window, the address's delayed
 * messages (sequenced or not, with their force-inclusion deadline) and its withdrawals with their stage.
 *
 * Trust: everything in `facts` comes from L1. Withdrawals come from an untrusted L2 RPC: the address's own L2ToL1Tx
 * logs, found by their indexed destination over a bounded L2 block range (findWithdrawalsTo — never everyone's sends).
 * Each is marked `verified` only once its Outbox proof (from the node's NodeInterface, or its full send list when it
 * has none) reached the send root confirmed on L1 from the withdrawal's own leaf (readVerifiedWithdrawalProof);
 * otherwise it is shown as what the L2 RPC claims, with the reason it could not be checked.
 */
import { getAddress, hexToBytes, recoverTransactionAddress, type Address, type Hex } from 'viem'
import { outboxAbi } from '../../../contracts-abi/arbitrum-nitro/Outbox'
import { L1MessageKind } from './derive/delayedMessage'
import { decodeSignedTransaction } from './derive/decodeSignedTransaction'
import { EscapeError, toEscapeError } from '../../errors/EscapeError'
import type { ArbL1Client, ArbL2Client } from './l1Client'
import type { ArbitrumNetwork } from './network'
import { verifySendList, type VerifiedSendList } from './proof/verifySendList'
import { findWithdrawalsTo } from './status/findWithdrawalsTo'
import { applyL1ToL2Alias } from './status/applyL1ToL2Alias'
import { getForceInclusionStatus, type ForceInclusionStatus } from './status/getForceInclusionStatus'
import type { L1Clock } from '../../deadlines/deadline'
import { l1BlocksToSeconds } from '../../deadlines/l1BlockDate'
import { readL1Clock } from '../../deadlines/readL1Clock'
import { checkArbitrumWiring, readArbitrumParameters, type ArbitrumParameters } from './status/readArbitrumParameters'
import { readLatestConfirmedAssertion, type ConfirmedAssertion } from './status/readConfirmedAssertion'
import { readConfirmedSendCount } from './status/readConfirmedSendCount'
import { readL2Sends } from './status/readL2Sends'
import { readVerifiedWithdrawalProof, type WithdrawalProofMethod } from './status/readVerifiedWithdrawalProof'
import { readDelayedMessagesInRange, type TrackedDelayedMessage } from './status/trackDelayedMessage'

export type WithdrawalStage = 'waiting-for-confirmation' | 'ready-to-execute' | 'executed'

export interface DelayedMessageStatus {
  index: bigint
  kind: number
  l1BlockNumber: bigint
  l1TransactionHash: Hex | undefined
  /** How it belongs to the address: sent from it on L1, or carries an L2 tx it signed. */
  relation: 'sent-from-l1' | 'signed-l2-tx'
  l2TransactionHash: Hex | undefined
  forceInclusion: ForceInclusionStatus
}

export interface WithdrawalStatus {
  position: bigint
  to: Address
  value: bigint
  l2Block: bigint
  l2TransactionHash: Hex | undefined
  stage: WithdrawalStage
  /** true once the send is under the confirmed send root on L1 (a fact); false: only the L2 RPC says so. */
  verified: boolean
  /** How its proof was obtained, when verified (both are checked against L1 the same way). */
  proofMethod: WithdrawalProofMethod | undefined
}

export interface ArbitrumAccountStatus {
  network: { name: string; l1ChainId: number; l2ChainId: number }
  address: Address
  parameters: ArbitrumParameters
  /** Blocks a delayed message must wait before it can be forced in, as of now: min(delayBlocks, buffer). */
  forceInclusionDelayBlocks: bigint
  /** That delay in hours at the L1's measured block time (l1Clock.basis). */
  forceInclusionDelayHoursEstimate: number
  /** The L1 clock every date here is computed from (head pinned at parameters.l1BlockNumber). */
  l1Clock: L1Clock
  scannedL1Blocks: { from: bigint; to: bigint }
  delayedMessages: DelayedMessageStatus[]
  confirmed: ConfirmedAssertion
  withdrawals: WithdrawalStatus[] | undefined
  /** The L2 blocks searched for withdrawals to the address (by their destination). */
  scannedL2Blocks: { from: bigint; to: bigint } | undefined
  /** Why withdrawals are missing or unverified (no L2 RPC, a lying L2 RPC, …). */
  withdrawalsNote: string | undefined
  l2Reported: { balance: bigint; nonce: number } | undefined
}

export interface GetArbitrumStatusParameters {
  l1: ArbL1Client
  l2?: ArbL2Client
  l2Source?: string
  network: ArbitrumNetwork
  address: Address
  /** First L1 block to scan for delayed messages; default: 2 × the force-inclusion delay before the head. */
  fromBlock?: bigint
  /** First L2 block to search for withdrawals to the address; default: DEFAULT_L2_SEARCH_BLOCKS before the L2 head. */
  l2FromBlock?: bigint
  /** L2 blocks per eth_getLogs request (default WITHDRAWAL_SEARCH_PAGE_BLOCKS; halved when a node refuses a range). */
  l2PageBlocks?: bigint
  onProgress?: (message: string) => void
}

/**
 * How far back withdrawals are searched by default: about a month on Arbitrum One (≈ 4 L2 blocks a second), well past
 * the ≈ 6.4-day confirm period, so unexecuted withdrawals of the last weeks show. Older ones: --l2-from-block.
 */
export const DEFAULT_L2_SEARCH_BLOCKS = 10_000_000n

export async function getArbitrumStatus(params: GetArbitrumStatusParameters): Promise<ArbitrumAccountStatus> {
  const { l1, network } = params
  const address = getAddress(params.address)
  await checkArbitrumWiring(l1, network)
  const parameters = await readArbitrumParameters(l1, network)
  const effectiveDelay = parameters.buffer && parameters.buffer.bufferBlocks < parameters.delayBlocks ? parameters.buffer.bufferBlocks : parameters.delayBlocks
  const head = parameters.l1BlockNumber
  const headHeader = await l1.getBlock({ blockNumber: head })
  const l1Clock = await readL1Clock({ l1, head: { number: head, timestamp: headHeader.timestamp } })
  const from = params.fromBlock ?? (head > 2n * effectiveDelay + 100n ? head - 2n * effectiveDelay - 100n : 0n)

  const alias = applyL1ToL2Alias(address)
  const messages = await readDelayedMessagesInRange(l1, network, from, head)
  const mine: { message: TrackedDelayedMessage; relation: DelayedMessageStatus['relation']; l2TransactionHash: Hex | undefined }[] = []
  for (const message of messages) {
    // An L2 tx the address signed (whoever carried it to L1) says more than "sent from L1", so it is checked first.
    if (message.kind === L1MessageKind.L2Message && message.data && message.data.startsWith('0x04')) {
      const signer = await recoverSignedTxSender(message.data)
      if (signer && signer.from === address) {
        mine.push({ message, relation: 'signed-l2-tx', l2TransactionHash: signer.hash })
        continue
      }
    }
    if (getAddress(message.sender) === alias) mine.push({ message, relation: 'sent-from-l1', l2TransactionHash: undefined })
  }
  const delayedMessages: DelayedMessageStatus[] = []
  for (const m of mine) {
    delayedMessages.push({
      index: m.message.index,
      kind: m.message.kind,
      l1BlockNumber: m.message.l1BlockNumber,
      l1TransactionHash: m.message.transactionHash,
      relation: m.relation,
      l2TransactionHash: m.l2TransactionHash,
      forceInclusion: await getForceInclusionStatus(l1, network, m.message, l1Clock),
    })
  }

  const confirmed = await readLatestConfirmedAssertion(l1, network, head)
  let withdrawals: WithdrawalStatus[] | undefined
  let withdrawalsNote: string | undefined
  let l2Reported: ArbitrumAccountStatus['l2Reported']
  let scannedL2Blocks: ArbitrumAccountStatus['scannedL2Blocks']
  if (!params.l2) {
    withdrawalsNote = 'No L2 RPC given: withdrawals cannot be listed (they are only in L2 logs). Give --l2-rpc to list and check them.'
  } else {
    const l2 = params.l2
    const source = params.l2Source ?? 'the L2 RPC'
    // Each fallback reason once, not once per withdrawal.
    const said = new Set<string>()
    const progress = (message: string): void => {
      if (said.has(message)) return
      said.add(message)
      params.onProgress?.(message)
    }
    try {
      const chainId = await l2.getChainId()
      if (chainId !== network.l2ChainId) throw new EscapeError(`${source} is on chain ${chainId}, not ${network.name} (${network.l2ChainId}).`)
      const [balance, nonce, l2Head] = await Promise.all([l2.getBalance({ address }), l2.getTransactionCount({ address }), l2.getBlockNumber()])
      l2Reported = { balance, nonce }
      const l2From = params.l2FromBlock ?? (l2Head > DEFAULT_L2_SEARCH_BLOCKS ? l2Head - DEFAULT_L2_SEARCH_BLOCKS : 0n)
      scannedL2Blocks = { from: l2From, to: l2Head }
      const ours = await findWithdrawalsTo(l2, { destination: address, fromBlock: l2From, toBlock: l2Head, pageBlocks: params.l2PageBlocks, source, onProgress: progress })
      // The confirmed size once for all withdrawals; without it (the node lacks that block) each falls back to the list.
      const count = ours.length > 0 ? await readConfirmedSendCount(l2, confirmed, source) : undefined
      let list: Promise<VerifiedSendList> | undefined
      const readVerifiedSendList = (): Promise<VerifiedSendList> =>
        (list ??= readL2Sends(l2).then((sends) => verifySendList({ sends, confirmedSendRoot: confirmed.sendRoot, source })))
      withdrawals = []
      for (const s of ours) {
        progress(`Checking withdrawal #${s.position} against the send root confirmed on L1…`)
        const proven = await readVerifiedWithdrawalProof({
          l2, send: s, confirmed, size: count?.status === 'verified' ? count.sendCount : undefined, source, readVerifiedSendList, onProgress: progress,
        })
        const verified = proven.status === 'proven'
        let stage: WithdrawalStage = 'waiting-for-confirmation'
        if (verified) {
          const spent = await l1.readContract({ address: network.contracts.outbox, abi: outboxAbi, functionName: 'isSpent', args: [s.position] })
          stage = spent ? 'executed' : 'ready-to-execute'
        }
        withdrawals.push({
          position: s.position, to: s.to, value: s.value, l2Block: s.l2Block, l2TransactionHash: s.l2TransactionHash, stage, verified,
          proofMethod: verified ? proven.method : undefined,
        })
      }
      withdrawalsNote =
        `Withdrawals are found by their destination (ArbSys indexes it; the sender is not indexed) in L2 blocks ${l2From}..${l2Head}.` +
        (l2From > 0n ? ' Older ones: search from an earlier block with --l2-from-block.' : '')
    } catch (error) {
      const e = toEscapeError(error, `Could not read withdrawals from ${source}.`)
      withdrawalsNote = `${e.shortMessage}${e.details ? ` (${e.details})` : ''}`
      withdrawals = undefined
    }
  }

  return {
    network: { name: network.name, l1ChainId: network.l1ChainId, l2ChainId: network.l2ChainId },
    address,
    parameters,
    forceInclusionDelayBlocks: effectiveDelay,
    forceInclusionDelayHoursEstimate: Number(l1BlocksToSeconds(l1Clock, effectiveDelay)) / 3600,
    l1Clock,
    scannedL1Blocks: { from, to: head },
    delayedMessages,
    confirmed,
    withdrawals,
    scannedL2Blocks,
    withdrawalsNote,
    l2Reported,
  }
}

async function recoverSignedTxSender(data: Hex): Promise<{ from: Address; hash: Hex } | undefined> {
  try {
    const raw = `0x${data.slice(4)}` as Hex
    const tx = decodeSignedTransaction(hexToBytes(raw))
    return { from: getAddress(await recoverTransactionAddress({ serializedTransaction: raw as never })), hash: tx.hash }
  } catch {
    return undefined
  }
}
