/**
 * Retryable tickets on the devnet L2 (issue 16 item 4): what ArbOS does with an L1 message of kind 9 and with calls
 * to ArbRetryableTx (0x6e), reduced to what the devnet needs (nitro arbos/tx_processor.go StartTxHook / EndTxHook,
 * arbos/retryables, precompiles/ArbRetryableTx.go). Emulated, not ArbOS: said in the devnet's --help.
 *
 * - Submission: the deposit is minted to the ticket's `from` (the aliased L1 sender), the submission fee
 *   (1400 + 6·len(data)) · l1BaseFee is taken and the rest of maxSubmissionFee refunded to excessFeeRefundAddress,
 *   the call value goes to the ticket's escrow account, and the ticket lives 7 days. The 0x69 transaction's hash —
 *   the ticket id — is computed by shared/rollups/arbitrum-nitro/retryables, exactly as the app computes it.
 * - Auto-redeem: scheduled only when gasLimit ≥ 21000, maxFeePerGas ≥ the L2 base fee and the deposit covers
 *   gasLimit · maxFeePerGas (a gasLimit or maxFeePerGas of 0 is the standard way to leave a ticket for a manual
 *   redeem); otherwise the rest of the deposit is refunded and the ticket waits.
 * - A redeem attempt (auto or manual) is an ArbitrumRetryTx (0x68) right after the transaction that scheduled it, in
 *   the same block, announced by RedeemScheduled with the hash computeRedeemTxHash gives. It moves the call value
 *   out of escrow and runs the ticket's call; success deletes the ticket, failure puts the value back in escrow. Its
 *   unused gas is refunded to the ticket's excessFeeRefundAddress.
 * - ArbRetryableTx: redeem (donates all the caller's gas left after the precompile's own cost), keepalive (+7 days,
 *   refused while the ticket already has more than 7 days left), getTimeout / getLifetime / getBeneficiary (answered for eth_call at the latest
 *   state); NoTicketWithID for a ticket that is gone or expired.
 * - Expiry: at each block, an expired ticket's escrow goes to its beneficiary and the ticket is deleted.
 *
 * The ticket's call runs through `runCall`; without an EVM the default is a plain value transfer to an address (a
 * contract creation fails). The ticket table is kept beside the state (not in the state root).
 */
import { concat, decodeFunctionData, encodeAbiParameters, encodeErrorResult, encodeEventTopics, encodeFunctionResult, getAddress, keccak256, maxUint256, slice, toHex, type Address, type Hex } from 'viem'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { RETRYABLE_LIFETIME_SECONDS } from '../../../../shared/deadlines/arbitrumDeadlines'
import { encodeArbitrumRetryTx, encodeArbitrumSubmitRetryableTx } from '../../../../shared/rollups/arbitrum-nitro/derive/arbitrumTransactions'
import { ARB_RETRYABLE_TX_ADDRESS, computeRedeemTxHash } from '../../../../shared/rollups/arbitrum-nitro/retryables/redeemAttempt'
import { decodeRetryableSubmission, submitRetryableTxFields, type RetryableSubmission } from '../../../../shared/rollups/arbitrum-nitro/retryables/retryableSubmission'
import { JsonRpcError } from '../../serveJsonRpc'
import { intrinsicGas, type L2Chain } from './l2Chain'
import type { L2IncomingMessage, L2Log, L2Receipt, L2Transaction } from './l2Types'

/** What ArbRetryableTx.redeem costs itself on the devnet (a constant, not ArbOS's metering). */
export const DEVNET_REDEEM_GAS = 40_000n
export const DEVNET_KEEPALIVE_GAS = 30_000n
const TX_GAS = 21_000n

export interface RetryableTicket {
  id: Hex
  /** The aliased L1 sender: the retry's `from`. */
  from: Address
  submission: RetryableSubmission
  escrow: Address
  timeout: bigint
  /** Redeem attempts so far: the next attempt's sequence number. */
  numTries: bigint
}

export interface RetryableAccount {
  balance: bigint
  nonce: bigint
}

export interface RetryableCallResult {
  status: L2Receipt['status']
  gasUsed: bigint
  logs: Omit<L2Log, 'logIndex'>[]
}

export interface BlockContext {
  number: bigint
  timestamp: bigint
  l1BlockNumber: bigint
  baseFee: bigint
}

/** A transaction this module adds to the block, with its outcome. */
export interface RetryableOutcome extends RetryableCallResult {
  tx: L2Transaction
}

export interface RetryableTicketsOptions {
  chainId: number
  /** The live (mutable) account; created when missing. */
  account(address: Address): RetryableAccount
  /** Runs the ticket's call with `value` already in `from`'s balance; must leave the state as it was on failure. */
  runCall?(call: { from: Address; to: Address | null; value: bigint; data: Hex; gas: bigint }, ctx: BlockContext): RetryableCallResult
}

/** nitro retryables.RetryableEscrowAddress: keccak256("retryable escrow" ‖ ticketId)[12:]. */
export function retryableEscrowAddress(ticketId: Hex): Address {
  return getAddress(slice(keccak256(concat([toHex('retryable escrow'), ticketId])), 12))
}

/** nitro retryables.RetryableSubmissionFee: (1400 + 6·len(data)) · l1BaseFee. */
export function retryableSubmissionFee(dataLength: number, l1BaseFee: bigint): bigint {
  return (1400n + 6n * BigInt(dataLength)) * l1BaseFee
}

interface ScheduledRetry {
  ticket: RetryableTicket
  sequenceNum: bigint
  gas: bigint
  maxRefund: bigint
  submissionFeeRefund: bigint
  hash: Hex
  raw: Hex
}

export class RetryableTickets {
  private readonly tickets = new Map<string, RetryableTicket>()
  private scheduled: ScheduledRetry[] = []

  constructor(private readonly o: RetryableTicketsOptions) {}

  ticket(id: Hex): RetryableTicket | undefined {
    return this.tickets.get(id.toLowerCase())
  }

  /** Start of a block: expired tickets pay their call value to the beneficiary and are deleted. */
  reapExpired(timestamp: bigint): void {
    for (const [key, t] of this.tickets) {
      if (t.timeout >= timestamp) continue
      this.move(t.escrow, t.submission.callValueRefundAddress, this.o.account(t.escrow).balance)
      this.tickets.delete(key)
    }
  }

  /** An L1 message of kind 9: the 0x69 transaction, then its auto-redeem when one is scheduled. */
  submit(message: L2IncomingMessage, ctx: BlockContext): RetryableOutcome[] {
    const decoded = decodeRetryableSubmission(message.data)
    if (decoded.error !== undefined || message.requestId === null) return [] // ArbOS makes no ticket of a malformed message
    const s = decoded.submission
    const from = getAddress(message.poster)
    const fields = submitRetryableTxFields({ l2ChainId: BigInt(this.o.chainId), messageIndex: BigInt(message.requestId), sender: from, baseFeeL1: message.l1BaseFee, submission: s })
    const { hash: id, raw } = encodeArbitrumSubmitRetryableTx(fields)
    const tx: L2Transaction = {
      hash: id, kind: 'submit-retryable', typeByte: 0x69, encoded: raw, from, to: ARB_RETRYABLE_TX_ADDRESS, value: 0n, nonce: 0n, gas: s.gasLimit,
      maxFeePerGas: s.maxFeePerGas, input: '0x', chainId: this.o.chainId, requestId: message.requestId,
    }
    const failed = (): RetryableOutcome[] => [{ tx, status: 'reverted', gasUsed: 0n, logs: [] }]
    const sender = this.o.account(from)
    sender.balance += s.depositValue
    const submissionFee = retryableSubmissionFee((s.data.length - 2) / 2, message.l1BaseFee)
    if (s.maxSubmissionFee < submissionFee || sender.balance < s.maxSubmissionFee) return failed()
    sender.balance -= submissionFee // to the network
    const submissionFeeRefund = s.maxSubmissionFee - submissionFee
    this.move(from, s.excessFeeRefundAddress, submissionFeeRefund)
    if (sender.balance < s.l2CallValue) return failed()
    const ticket: RetryableTicket = { id, from, submission: s, escrow: retryableEscrowAddress(id), timeout: ctx.timestamp + RETRYABLE_LIFETIME_SECONDS, numTries: 0n }
    this.move(from, ticket.escrow, s.l2CallValue)
    this.tickets.set(id.toLowerCase(), ticket)
    const logs = [this.event('TicketCreated', { ticketId: id })]
    // What the deposit has left for gas and refunds (nitro: availableRefund).
    const available = s.depositValue - s.l2CallValue - s.maxSubmissionFee
    const maxGasCost = s.gasLimit * s.maxFeePerGas
    if (s.gasLimit < TX_GAS || s.maxFeePerGas < ctx.baseFee || available < maxGasCost) {
      this.move(from, s.excessFeeRefundAddress, minOf(available, sender.balance))
      return [{ tx, status: 'success', gasUsed: 0n, logs }]
    }
    // The auto-redeem's gas is paid now from the deposit; what is left of it is refunded.
    sender.balance -= s.gasLimit * ctx.baseFee
    this.move(from, s.excessFeeRefundAddress, available - s.gasLimit * ctx.baseFee)
    logs.push(this.schedule(ticket, s.gasLimit, from, available, submissionFeeRefund, ctx))
    return [{ tx, status: 'success', gasUsed: 0n, logs }, ...this.runScheduled(ctx)]
  }

  /** A signed transaction's call to ArbRetryableTx (0x6e). The caller charges gasUsed · base fee to the sender. */
  callPrecompile(tx: L2Transaction, intrinsic: bigint, ctx: BlockContext): RetryableCallResult {
    const revert = (gasUsed: bigint): RetryableCallResult => ({ status: 'reverted', gasUsed, logs: [] })
    let call
    try {
      call = decodeFunctionData({ abi: arbRetryableTxAbi, data: tx.input })
    } catch {
      return revert(intrinsic)
    }
    if (tx.value !== 0n) return revert(intrinsic)
    if (call.functionName === 'redeem') {
      const ticket = this.live(call.args[0], ctx.timestamp)
      const donated = tx.gas - intrinsic - DEVNET_REDEEM_GAS
      if (!ticket || donated < TX_GAS) return revert(minOf(tx.gas, intrinsic + DEVNET_REDEEM_GAS))
      // The redeemer pays for all the gas it donates (nitro: the donated gas counts as used by the redeem).
      return { status: 'success', gasUsed: tx.gas, logs: [this.schedule(ticket, donated, tx.from, maxUint256, 0n, ctx)] }
    }
    if (call.functionName === 'keepalive') {
      const ticket = this.live(call.args[0], ctx.timestamp)
      const gasUsed = intrinsic + DEVNET_KEEPALIVE_GAS
      if (!ticket || tx.gas < gasUsed) return revert(minOf(tx.gas, gasUsed))
      // nitro RetryableState.Keepalive: the current timeout may not already be more than a lifetime ahead.
      if (ticket.timeout > ctx.timestamp + RETRYABLE_LIFETIME_SECONDS) return revert(gasUsed) // "timeout too far into the future"
      const newTimeout = ticket.timeout + RETRYABLE_LIFETIME_SECONDS
      ticket.timeout = newTimeout
      return { status: 'success', gasUsed, logs: [this.event('LifetimeExtended', { ticketId: ticket.id, newTimeout })] }
    }
    return revert(intrinsic)
  }

  /** The redeem attempts scheduled so far in this block, run now (each is a 0x68 transaction of its own). */
  runScheduled(ctx: BlockContext): RetryableOutcome[] {
    const out: RetryableOutcome[] = []
    const queue = this.scheduled
    this.scheduled = []
    for (const r of queue) {
      const { ticket } = r
      const s = ticket.submission
      const tx: L2Transaction = {
        hash: r.hash, kind: 'retry', typeByte: 0x68, encoded: r.raw, from: ticket.from, to: s.to, value: s.l2CallValue, nonce: r.sequenceNum, gas: r.gas,
        maxFeePerGas: ctx.baseFee, input: s.data, chainId: this.o.chainId,
      }
      this.move(ticket.escrow, ticket.from, s.l2CallValue)
      const result = (this.o.runCall ?? plainTransfer(this.o.account))({ from: ticket.from, to: s.to, value: s.l2CallValue, data: s.data, gas: r.gas }, ctx)
      if (result.status === 'success') this.tickets.delete(ticket.id.toLowerCase())
      else this.move(ticket.from, ticket.escrow, s.l2CallValue)
      // The gas was paid up front (auto-redeem: from the deposit; manual: by the redeemer): the unused part is refunded.
      this.o.account(s.excessFeeRefundAddress).balance += (r.gas - result.gasUsed) * ctx.baseFee
      out.push({ tx, ...result })
    }
    return out
  }

  /** eth_call to 0x6e (the views), at the latest state; undefined for another address. Throws a revert's data. */
  answerCall(data: Hex, timestamp: bigint): { result: Hex } | { revertData: Hex } {
    const noTicket = { revertData: encodeErrorResult({ abi: arbRetryableTxAbi, errorName: 'NoTicketWithID' }) }
    let call
    try {
      call = decodeFunctionData({ abi: arbRetryableTxAbi, data })
    } catch {
      return { revertData: '0x' }
    }
    if (call.functionName === 'getLifetime') return { result: encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'getLifetime', result: RETRYABLE_LIFETIME_SECONDS }) }
    if (call.functionName === 'getTimeout' || call.functionName === 'getBeneficiary') {
      const ticket = this.live(call.args[0], timestamp)
      if (!ticket) return noTicket
      return call.functionName === 'getTimeout'
        ? { result: encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'getTimeout', result: ticket.timeout }) }
        : { result: encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'getBeneficiary', result: ticket.submission.callValueRefundAddress }) }
    }
    return { revertData: '0x' }
  }

  private live(ticketId: Hex, timestamp: bigint): RetryableTicket | undefined {
    const t = this.ticket(ticketId)
    return t && t.timeout >= timestamp ? t : undefined
  }

  private schedule(ticket: RetryableTicket, gas: bigint, donor: Address, maxRefund: bigint, submissionFeeRefund: bigint, ctx: BlockContext): Omit<L2Log, 'logIndex'> {
    const sequenceNum = ticket.numTries
    ticket.numTries += 1n
    const attempt = { sequenceNum, donatedGas: gas, maxRefund, submissionFeeRefund }
    const s = ticket.submission
    const encoded = encodeArbitrumRetryTx({
      chainId: BigInt(this.o.chainId), nonce: sequenceNum, from: ticket.from, gasFeeCap: ctx.baseFee, gas, to: s.to, value: s.l2CallValue, data: s.data,
      ticketId: ticket.id, refundTo: s.excessFeeRefundAddress, maxRefund, submissionFeeRefund,
    })
    // The same hash the app computes from the event's figures (a check of both sides, not a second formula).
    const hash = computeRedeemTxHash({ l2ChainId: BigInt(this.o.chainId), ticketId: ticket.id, sender: ticket.from, submission: s, attempt, l2BaseFee: ctx.baseFee })
    if (hash !== encoded.hash) throw new Error('retry tx hash mismatch')
    this.scheduled.push({ ticket, sequenceNum, gas, maxRefund, submissionFeeRefund, hash, raw: encoded.raw })
    return {
      address: ARB_RETRYABLE_TX_ADDRESS,
      topics: encodeEventTopics({ abi: arbRetryableTxAbi, eventName: 'RedeemScheduled', args: { ticketId: ticket.id, retryTxHash: hash, sequenceNum } }) as Hex[],
      data: encodeAbiParameters([{ type: 'uint64' }, { type: 'address' }, { type: 'uint256' }, { type: 'uint256' }], [gas, donor, maxRefund, submissionFeeRefund]),
    }
  }

  private event(eventName: 'TicketCreated' | 'LifetimeExtended', args: { ticketId: Hex; newTimeout?: bigint }): Omit<L2Log, 'logIndex'> {
    if (eventName === 'TicketCreated') {
      return { address: ARB_RETRYABLE_TX_ADDRESS, topics: encodeEventTopics({ abi: arbRetryableTxAbi, eventName, args: { ticketId: args.ticketId } }) as Hex[], data: '0x' }
    }
    return {
      address: ARB_RETRYABLE_TX_ADDRESS,
      topics: encodeEventTopics({ abi: arbRetryableTxAbi, eventName, args: { ticketId: args.ticketId } }) as Hex[],
      data: encodeAbiParameters([{ type: 'uint256' }], [args.newTimeout ?? 0n]),
    }
  }

  private move(from: Address, to: Address, value: bigint): void {
    if (value <= 0n) return
    this.o.account(from).balance -= value
    this.o.account(to).balance += value
  }
}

/** Without an EVM: the call is a value transfer to an address; a contract creation fails (all its gas). */
function plainTransfer(account: RetryableTicketsOptions['account']): NonNullable<RetryableTicketsOptions['runCall']> {
  return (call) => {
    const intrinsic = intrinsicGas({ to: call.to, input: call.data })
    if (call.to === null || call.gas < intrinsic) return { status: 'reverted', gasUsed: call.gas, logs: [] }
    account(call.from).balance -= call.value
    account(call.to).balance += call.value
    return { status: 'success', gasUsed: intrinsic, logs: [] }
  }
}

function minOf(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

/** The L2 RPC's eth_call to ArbRetryableTx (its views, at the latest state); undefined for any other address. */
export function answerArbRetryableTxCall(chain: Pick<L2Chain, 'retryables' | 'latest'>, params: unknown[]): Hex | undefined {
  const call = params[0]
  if (call === null || typeof call !== 'object') return undefined
  const { to, data, input } = call as { to?: unknown; data?: unknown; input?: unknown }
  if (typeof to !== 'string' || to.toLowerCase() !== ARB_RETRYABLE_TX_ADDRESS.toLowerCase()) return undefined
  const calldata = typeof input === 'string' ? input : typeof data === 'string' ? data : '0x'
  if (!/^0x([0-9a-fA-F]{2})*$/.test(calldata)) throw new JsonRpcError(-32602, 'invalid call data')
  const answer = chain.retryables.answerCall(calldata as Hex, chain.latest()?.timestamp ?? 0n)
  if ('revertData' in answer) throw new JsonRpcError(3, 'execution reverted', answer.revertData)
  return answer.result
}
