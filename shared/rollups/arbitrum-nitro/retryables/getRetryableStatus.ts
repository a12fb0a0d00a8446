/**
 * Where a retryable ticket stands (issue 16 item 2), with what L1 confirms kept apart from what an L2 node reports.
 *
 * L1 (trusted as far as the user's endpoints agree): the submission and its ticket id (findRetryables), and whether
 * the sequencer inbox has read the message — the ticket cannot exist on L2 before that, and when the sequencer holds
 * it back it can be forced in after the force-inclusion deadline like any delayed message.
 *
 * L2 (untrusted): whether the ticket was created, its redeem attempts and their outcome, and its expiry
 * (ArbRetryableTx.getTimeout). These are state; this module does not prove them against a confirmed assertion. What it
 * does check: every RedeemScheduled the node reports must name our ticket and hash, with the figures it carries and
 * its block's base fee, to the retryTxHash it announces (computeRedeemTxHash) — a node cannot invent an attempt for
 * our ticket without that fitting — and the ticket's receipt must be the receipt of the id we computed.
 */
import { BaseError, ContractFunctionRevertedError, getAddress, type Hex, type PublicClient } from 'viem'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { RETRYABLE_LIFETIME_SECONDS } from '../../../deadlines/arbitrumDeadlines'
import type { Deadline, L1Clock } from '../../../deadlines/deadline'
import { timestampDate } from '../../../deadlines/l1BlockDate'
import { ArbUntrustedDataError } from '../errors'
import { getLogsChunked, type ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'
import { getForceInclusionStatus, type ForceInclusionStatus } from '../status/getForceInclusionStatus'
import type { RetryableTicket } from './findRetryables'
import { ARB_RETRYABLE_TX_ADDRESS, computeRedeemTxHash, decodeRedeemScheduledLog } from './redeemAttempt'

export type RetryableL2Client = Pick<PublicClient, 'getTransactionReceipt' | 'getLogs' | 'getBlock' | 'getBlockNumber' | 'readContract'>

export type RetryableStage =
  /** The sequencer inbox has not read the message yet: no ticket on L2 so far. */
  | 'waiting-for-sequencing'
  /** Read on L1, but the L2 node shows no ticket (it lags, or hides it). */
  | 'not-seen-on-l2'
  /** The ArbitrumSubmitRetryableTx failed (e.g. the deposit did not cover the submission fee): no ticket exists. */
  | 'creation-failed'
  /** An attempt (the auto-redeem or a manual redeem) succeeded. */
  | 'redeemed'
  /** The ticket exists and no attempt succeeded (the auto-redeem failed or was not made): it can be redeemed. */
  | 'awaiting-redeem'
  /** Gone without a successful redeem: it expired (or its beneficiary cancelled it); l2CallValue went to the beneficiary. */
  | 'expired'
  /** No L2 node was given: only the L1 facts are known. */
  | 'unknown-without-l2'

export interface RedeemAttemptStatus {
  sequenceNum: bigint
  retryTxHash: Hex
  l2Block: bigint
  /** undefined: the node has no receipt for it. */
  succeeded: boolean | undefined
}

export interface RetryableStatus {
  ticket: RetryableTicket
  stage: RetryableStage
  forceInclusion: ForceInclusionStatus
  ticketL2Block: bigint | undefined
  attempts: RedeemAttemptStatus[]
  /** From ArbRetryableTx.getTimeout as the node reports it (L2 time). */
  expiry: Deadline | undefined
  /** What L1 confirms, in plain words. */
  confirmedOnL1: string[]
  /** What only the L2 node says (not proven against L1). */
  reportedByL2: string[]
}

export interface GetRetryableStatusParameters {
  l1: ArbL1Client
  network: ArbitrumNetwork
  ticket: RetryableTicket
  l2?: RetryableL2Client
  /** How the L2 node is named in messages (its host only). */
  l2Source?: string
  clock?: L1Clock
  /** L2 blocks per eth_getLogs request when looking for redeem attempts. */
  pageBlocks?: bigint
}

export async function getRetryableStatus(p: GetRetryableStatusParameters): Promise<RetryableStatus> {
  const { ticket, network } = p
  const forceInclusion = await getForceInclusionStatus(p.l1, network, { index: ticket.messageIndex, l1BlockNumber: ticket.l1BlockNumber }, p.clock)
  const confirmedOnL1 = [
    `Submitted on L1 as delayed message #${ticket.messageIndex}${ticket.l1TxHash ? ` in ${ticket.l1TxHash}` : ''} (L1 block ${ticket.l1BlockNumber}); its data matches the hash the Bridge recorded.`,
    `Ticket id ${ticket.ticketId}, computed from that L1 data.`,
    forceInclusion.sequenced
      ? 'The sequencer inbox has read the message: the ticket was created on L2 then (or its creation failed; only L2 state tells).'
      : `The sequencer inbox has NOT read the message yet; it can be forced in from L1 block ${forceInclusion.firstIncludableBlock}.`,
  ]
  const base = { ticket, forceInclusion, confirmedOnL1, ticketL2Block: undefined, attempts: [], expiry: undefined }
  if (!forceInclusion.sequenced) return { ...base, stage: 'waiting-for-sequencing', reportedByL2: [] }
  if (!p.l2) return { ...base, stage: 'unknown-without-l2', reportedByL2: ['No L2 RPC given: whether the ticket was redeemed is L2 state; pass --l2-rpc to ask a node.'] }
  return { ...base, ...(await readRetryableOnL2({ l2: p.l2, source: p.l2Source ?? 'the L2 RPC', ticket, l2ChainId: network.l2ChainId, pageBlocks: p.pageBlocks })) }
}

export type RetryableOnL2 = Pick<RetryableStatus, 'stage' | 'ticketL2Block' | 'attempts' | 'expiry' | 'reportedByL2'>

/** The L2 half: what an (untrusted) L2 node says of a ticket whose message the sequencer inbox has read. */
export async function readRetryableOnL2(p: { l2: RetryableL2Client; source: string; ticket: RetryableTicket; l2ChainId: number; pageBlocks?: bigint }): Promise<RetryableOnL2> {
  const { l2, source, ticket } = p
  const pageBlocks = p.pageBlocks ?? 100_000n
  const unproven = `reported by ${source}, not proven against L1`
  const receipt = await receiptOrUndefined(l2, ticket.ticketId)
  if (!receipt) {
    return { stage: 'not-seen-on-l2', ticketL2Block: undefined, attempts: [], expiry: undefined, reportedByL2: [`${source} has no transaction ${ticket.ticketId}: it may lag behind, or not show it. Try another L2 RPC.`] }
  }
  if (receipt.transactionHash.toLowerCase() !== ticket.ticketId.toLowerCase()) {
    throw new ArbUntrustedDataError(`${source} answered the receipt of ${ticket.ticketId} with another transaction's (${receipt.transactionHash}).`)
  }
  const ticketBlock = receipt.blockNumber
  if (receipt.status !== 'success') {
    return { stage: 'creation-failed', ticketL2Block: ticketBlock, attempts: [], expiry: undefined, reportedByL2: [`The ticket's creation failed in L2 block ${ticketBlock} (${unproven}).`] }
  }
  const head = await l2.getBlockNumber()
  const logs = await getLogsChunked(
    (from, to) => l2.getLogs({ address: ARB_RETRYABLE_TX_ADDRESS, event: redeemScheduledEvent, args: { ticketId: ticket.ticketId }, fromBlock: from, toBlock: to }),
    ticketBlock, head, pageBlocks,
  )
  const attempts: RedeemAttemptStatus[] = []
  for (const log of logs) {
    const scheduled = decodeRedeemScheduledLog({ topics: log.topics as Hex[], data: log.data }, source)
    if (scheduled.ticketId.toLowerCase() !== ticket.ticketId.toLowerCase() || getAddress(log.address) !== ARB_RETRYABLE_TX_ADDRESS) {
      throw new ArbUntrustedDataError(`${source} returned a RedeemScheduled log for another ticket (${scheduled.ticketId}).`)
    }
    const l2Block = log.blockNumber ?? ticketBlock
    const block = await l2.getBlock({ blockNumber: l2Block })
    const expected = computeRedeemTxHash({
      l2ChainId: BigInt(p.l2ChainId), ticketId: ticket.ticketId, sender: ticket.sender, submission: ticket.submission, attempt: scheduled, l2BaseFee: block.baseFeePerGas ?? 0n,
    })
    if (expected.toLowerCase() !== scheduled.retryTxHash.toLowerCase()) {
      throw new ArbUntrustedDataError(`${source} reports redeem attempt #${scheduled.sequenceNum} of ticket ${ticket.ticketId} with a hash that does not fit the ticket read from L1.`, {
        details: `announced retryTxHash ${scheduled.retryTxHash}, computed ${expected} (L2 block ${l2Block}, base fee ${block.baseFeePerGas})`,
      })
    }
    const attemptReceipt = await receiptOrUndefined(l2, scheduled.retryTxHash)
    attempts.push({ sequenceNum: scheduled.sequenceNum, retryTxHash: scheduled.retryTxHash, l2Block, succeeded: attemptReceipt ? attemptReceipt.status === 'success' : undefined })
  }
  attempts.sort((a, b) => (a.sequenceNum < b.sequenceNum ? -1 : 1))
  const lines = [`Ticket created in L2 block ${ticketBlock} (${unproven}).`]
  for (const a of attempts) {
    const which = a.sequenceNum === 0n ? 'auto-redeem' : `redeem attempt #${a.sequenceNum}`
    lines.push(`The ${which} ${a.retryTxHash} (L2 block ${a.l2Block}) ${a.succeeded === undefined ? 'has no receipt on the node' : a.succeeded ? 'succeeded' : 'failed'} (${unproven}; its hash fits the ticket).`)
  }
  if (attempts.length === 0) lines.push(`No redeem attempt yet (gas limit ${ticket.submission.gasLimit}${ticket.submission.gasLimit === 0n ? ': no auto-redeem is made' : ''}).`)
  if (attempts.some((a) => a.succeeded === true)) return { stage: 'redeemed', ticketL2Block: ticketBlock, attempts, expiry: undefined, reportedByL2: lines }

  const timeout = await readTimeout(l2, ticket.ticketId)
  if (timeout === undefined) {
    lines.push(`ArbRetryableTx has no ticket ${ticket.ticketId} any more: it expired or its beneficiary ${ticket.submission.callValueRefundAddress} cancelled it (${unproven}).`)
    return { stage: 'expired', ticketL2Block: ticketBlock, attempts, expiry: undefined, reportedByL2: lines }
  }
  lines.push(`ArbRetryableTx.getTimeout: ${timeout} (${unproven}).`)
  const expiry = timestampDate(timeout, `ArbRetryableTx.getTimeout(${ticket.ticketId}) as ${source} reports it; each keepalive adds ${RETRYABLE_LIFETIME_SECONDS / 86_400n} days`)
  return { stage: 'awaiting-redeem', ticketL2Block: ticketBlock, attempts, expiry, reportedByL2: lines }
}

async function receiptOrUndefined(l2: RetryableL2Client, hash: Hex) {
  try {
    return await l2.getTransactionReceipt({ hash })
  } catch (error) {
    if (error instanceof BaseError && error.walk((e) => (e as Error).name === 'TransactionReceiptNotFoundError')) return undefined
    throw error
  }
}

/** getTimeout reverts with NoTicketWithID once the ticket is gone (redeemed, expired or cancelled). */
async function readTimeout(l2: RetryableL2Client, ticketId: Hex): Promise<bigint | undefined> {
  try {
    return await l2.readContract({ address: ARB_RETRYABLE_TX_ADDRESS, abi: arbRetryableTxAbi, functionName: 'getTimeout', args: [ticketId] })
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName === 'NoTicketWithID') return undefined
    throw error
  }
}

const redeemScheduledEvent = arbRetryableTxAbi.find((i) => i.type === 'event' && i.name === 'RedeemScheduled') as Extract<(typeof arbRetryableTxAbi)[number], { type: 'event'; name: 'RedeemScheduled' }>
