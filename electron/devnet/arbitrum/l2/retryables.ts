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
 * Wired into L2Chain through its hooks (`retryableChainOptions`): `onRetryable` for kind 9, ArbRetryableTx as a
 * hooked precompile inside the EVM (it sees the calling frame's sender, value and gas, as ArbSys does), `afterTransaction`
 * to run a redeem's retry right after it, `beforeBlock` for expiry. Balances move through the block builder (mint /
 * burn on the EVM state) and the ticket's call runs on the EVM. The ticket table is kept beside the state (not in the
 * state root, and not rolled back with a failed block: a devnet limitation).
 */
import { concat, decodeFunctionData, encodeAbiParameters, encodeErrorResult, encodeEventTopics, encodeFunctionResult, getAddress, keccak256, maxUint256, slice, toHex, type Address, type Hex } from 'viem'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { RETRYABLE_LIFETIME_SECONDS } from '../../../../shared/deadlines/arbitrumDeadlines'
import { encodeArbitrumRetryTx, encodeArbitrumSubmitRetryableTx } from '../../../../shared/rollups/arbitrum-nitro/derive/arbitrumTransactions'
import { ARB_RETRYABLE_TX_ADDRESS, computeRedeemTxHash } from '../../../../shared/rollups/arbitrum-nitro/retryables/redeemAttempt'
import { decodeRetryableSubmission, submitRetryableTxFields, type RetryableSubmission } from '../../../../shared/rollups/arbitrum-nitro/retryables/retryableSubmission'
import { intrinsicGas, L2Chain, type HookedPrecompileCall, type HookedPrecompileResult, type L2BlockBuilder, type L2ChainOptions } from './l2Chain'
import type { L2IncomingMessage, L2Log, L2Transaction } from './l2Types'

/** What ArbRetryableTx.redeem costs itself on the devnet (a constant, not ArbOS's metering). */
export const DEVNET_REDEEM_GAS = 40_000n
export const DEVNET_KEEPALIVE_GAS = 30_000n
/** What an ArbRetryableTx view costs on the devnet. */
export const DEVNET_RETRYABLE_VIEW_GAS = 700n
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
  hash: Hex
  raw: Hex
}

export class RetryableTickets {
  private readonly tickets = new Map<string, RetryableTicket>()
  private scheduled: ScheduledRetry[] = []

  constructor(private readonly chainId: number) {}

  /** The hooks that make an L2Chain run retryables (kind 9, ArbRetryableTx at 0x6e, retries, expiry). */
  chainOptions(): L2ChainOptions {
    return {
      onRetryable: (message, block) => this.submit(message, block),
      precompiles: [{ address: ARB_RETRYABLE_TX_ADDRESS, run: (call) => this.callPrecompile(call) }],
      afterTransaction: (block) => this.runScheduled(block),
      beforeBlock: (block) => this.reapExpired(block),
    }
  }

  ticket(id: Hex): RetryableTicket | undefined {
    return this.tickets.get(id.toLowerCase())
  }

  /** Start of a block: expired tickets pay their call value to the beneficiary and are deleted. */
  async reapExpired(block: L2BlockBuilder): Promise<void> {
    for (const [key, t] of this.tickets) {
      if (t.timeout >= block.timestamp) continue
      await move(block, t.escrow, t.submission.callValueRefundAddress, (await block.account(t.escrow)).balance)
      this.tickets.delete(key)
    }
  }

  /** An L1 message of kind 9: the 0x69 transaction, then its auto-redeem when one is scheduled. */
  async submit(message: L2IncomingMessage, block: L2BlockBuilder): Promise<void> {
    const decoded = decodeRetryableSubmission(message.data)
    if (decoded.error !== undefined || message.requestId === null) return // ArbOS makes no ticket of a malformed message
    const s = decoded.submission
    const from = getAddress(message.poster)
    const fields = submitRetryableTxFields({ l2ChainId: BigInt(this.chainId), messageIndex: BigInt(message.requestId), sender: from, baseFeeL1: message.l1BaseFee, submission: s })
    const { hash: id, raw } = encodeArbitrumSubmitRetryableTx(fields)
    const tx: L2Transaction = {
      hash: id, kind: 'submit-retryable', typeByte: 0x69, encoded: raw, from, to: ARB_RETRYABLE_TX_ADDRESS, value: 0n, nonce: 0n, gas: s.gasLimit,
      maxFeePerGas: s.maxFeePerGas, input: '0x', chainId: this.chainId, requestId: message.requestId,
    }
    await block.mint(from, s.depositValue)
    const submissionFee = retryableSubmissionFee((s.data.length - 2) / 2, message.l1BaseFee)
    if (s.maxSubmissionFee < submissionFee || (await block.account(from)).balance < s.maxSubmissionFee) return block.include(tx, 'reverted', 0n, [])
    await block.burn(from, submissionFee) // to the network
    const submissionFeeRefund = s.maxSubmissionFee - submissionFee
    await move(block, from, s.excessFeeRefundAddress, submissionFeeRefund)
    if ((await block.account(from)).balance < s.l2CallValue) return block.include(tx, 'reverted', 0n, [])
    const ticket: RetryableTicket = { id, from, submission: s, escrow: retryableEscrowAddress(id), timeout: block.timestamp + RETRYABLE_LIFETIME_SECONDS, numTries: 0n }
    await move(block, from, ticket.escrow, s.l2CallValue)
    this.tickets.set(id.toLowerCase(), ticket)
    const logs = [this.event('TicketCreated', { ticketId: id })]
    // What the deposit has left for gas and refunds (nitro: availableRefund).
    const available = s.depositValue - s.l2CallValue - s.maxSubmissionFee
    const maxGasCost = s.gasLimit * s.maxFeePerGas
    if (s.gasLimit < TX_GAS || s.maxFeePerGas < block.baseFee || available < maxGasCost) {
      await move(block, from, s.excessFeeRefundAddress, minOf(available, (await block.account(from)).balance))
      return block.include(tx, 'success', 0n, logs)
    }
    // The auto-redeem's gas is paid now from the deposit; what is left of it is refunded.
    await block.burn(from, s.gasLimit * block.baseFee)
    await move(block, from, s.excessFeeRefundAddress, available - s.gasLimit * block.baseFee)
    logs.push(this.schedule(ticket, s.gasLimit, from, available, submissionFeeRefund, block.baseFee))
    block.include(tx, 'success', 0n, logs)
    await this.runScheduled(block)
  }

  /**
   * A call to ArbRetryableTx (0x6e) inside the EVM: redeem / keepalive (only when `live`: a transaction in a block;
   * an eth_call answers without changing anything) and the views getTimeout / getLifetime / getBeneficiary.
   */
  callPrecompile(call: HookedPrecompileCall): HookedPrecompileResult {
    const revert = (gasUsed: bigint, returnData: Hex = '0x'): HookedPrecompileResult => ({ reverted: true, gasUsed: minOf(gasUsed, call.gasLimit), returnData })
    const noTicket = (gasUsed: bigint) => revert(gasUsed, encodeErrorResult({ abi: arbRetryableTxAbi, errorName: 'NoTicketWithID' }))
    let decoded
    try {
      decoded = decodeFunctionData({ abi: arbRetryableTxAbi, data: call.data })
    } catch {
      return revert(0n)
    }
    if (call.value !== 0n) return revert(0n)
    const view = (result: Hex): HookedPrecompileResult =>
      call.gasLimit < DEVNET_RETRYABLE_VIEW_GAS ? revert(call.gasLimit) : { gasUsed: DEVNET_RETRYABLE_VIEW_GAS, returnData: result }
    switch (decoded.functionName) {
      case 'getLifetime':
        return view(encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'getLifetime', result: RETRYABLE_LIFETIME_SECONDS }))
      case 'getTimeout':
      case 'getBeneficiary': {
        const ticket = this.live(decoded.args[0], call.timestamp)
        if (!ticket) return noTicket(DEVNET_RETRYABLE_VIEW_GAS)
        return decoded.functionName === 'getTimeout'
          ? view(encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'getTimeout', result: ticket.timeout }))
          : view(encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'getBeneficiary', result: ticket.submission.callValueRefundAddress }))
      }
      case 'redeem': {
        const ticket = this.live(decoded.args[0], call.timestamp)
        if (!ticket) return noTicket(DEVNET_REDEEM_GAS)
        if (call.isStatic) return revert(DEVNET_REDEEM_GAS)
        const donated = call.gasLimit - DEVNET_REDEEM_GAS
        if (donated < TX_GAS) return revert(call.gasLimit)
        const returnData = encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'redeem', result: this.nextRetryHash(ticket, donated, call.baseFee) })
        // The redeemer pays for all the gas it donates (nitro: the donated gas counts as used by the redeem).
        if (!call.live) return { gasUsed: call.gasLimit, returnData }
        return { gasUsed: call.gasLimit, returnData, logs: [this.schedule(ticket, donated, call.caller, maxUint256, 0n, call.baseFee)] }
      }
      case 'keepalive': {
        const ticket = this.live(decoded.args[0], call.timestamp)
        if (!ticket) return noTicket(DEVNET_KEEPALIVE_GAS)
        if (call.isStatic || call.gasLimit < DEVNET_KEEPALIVE_GAS) return revert(DEVNET_KEEPALIVE_GAS)
        // nitro RetryableState.Keepalive: the current timeout may not already be more than a lifetime ahead.
        if (ticket.timeout > call.timestamp + RETRYABLE_LIFETIME_SECONDS) return revert(DEVNET_KEEPALIVE_GAS) // "timeout too far into the future"
        const newTimeout = ticket.timeout + RETRYABLE_LIFETIME_SECONDS
        const returnData = encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'keepalive', result: newTimeout })
        if (!call.live) return { gasUsed: DEVNET_KEEPALIVE_GAS, returnData }
        ticket.timeout = newTimeout
        return { gasUsed: DEVNET_KEEPALIVE_GAS, returnData, logs: [this.event('LifetimeExtended', { ticketId: ticket.id, newTimeout })] }
      }
    }
    return revert(0n)
  }

  /** The redeem attempts scheduled so far in this block, run now on the EVM (each is a 0x68 transaction of its own). */
  async runScheduled(block: L2BlockBuilder): Promise<void> {
    const queue = this.scheduled
    this.scheduled = []
    for (const r of queue) {
      const { ticket } = r
      const s = ticket.submission
      const tx: L2Transaction = {
        hash: r.hash, kind: 'retry', typeByte: 0x68, encoded: r.raw, from: ticket.from, to: s.to, value: s.l2CallValue, nonce: r.sequenceNum, gas: r.gas,
        maxFeePerGas: block.baseFee, input: s.data, chainId: this.chainId,
      }
      await move(block, ticket.escrow, ticket.from, s.l2CallValue)
      const intrinsic = intrinsicGas({ to: s.to, input: s.data })
      let status: 'success' | 'reverted' = 'reverted'
      let gasUsed = r.gas
      let logs: Omit<L2Log, 'logIndex'>[] = []
      if (r.gas >= intrinsic) {
        const result = await block.call({ from: ticket.from, to: s.to, value: s.l2CallValue, data: s.data, gas: r.gas - intrinsic, transactionHash: r.hash })
        status = result.status
        logs = result.logs
        gasUsed = intrinsic + BigInt(result.executionGasUsed)
        const maxRefund = gasUsed / 5n // EIP-3529
        gasUsed -= result.gasRefund < maxRefund ? result.gasRefund : maxRefund
      }
      if (status === 'success') this.tickets.delete(ticket.id.toLowerCase())
      else await move(block, ticket.from, ticket.escrow, s.l2CallValue)
      // The gas was paid up front (auto-redeem: from the deposit; manual: by the redeemer): the unused part is refunded.
      await block.mint(s.excessFeeRefundAddress, (r.gas - gasUsed) * block.baseFee)
      block.include(tx, status, gasUsed, logs)
    }
  }

  private live(ticketId: Hex, timestamp: bigint): RetryableTicket | undefined {
    const t = this.ticket(ticketId)
    return t && t.timeout >= timestamp ? t : undefined
  }

  private retryTx(ticket: RetryableTicket, sequenceNum: bigint, gas: bigint, maxRefund: bigint, submissionFeeRefund: bigint, baseFee: bigint): { hash: Hex; raw: Hex } {
    const s = ticket.submission
    const encoded = encodeArbitrumRetryTx({
      chainId: BigInt(this.chainId), nonce: sequenceNum, from: ticket.from, gasFeeCap: baseFee, gas, to: s.to, value: s.l2CallValue, data: s.data,
      ticketId: ticket.id, refundTo: s.excessFeeRefundAddress, maxRefund, submissionFeeRefund,
    })
    // The same hash the app computes from the event's figures (a check of both sides, not a second formula).
    const attempt = { sequenceNum, donatedGas: gas, maxRefund, submissionFeeRefund }
    const hash = computeRedeemTxHash({ l2ChainId: BigInt(this.chainId), ticketId: ticket.id, sender: ticket.from, submission: s, attempt, l2BaseFee: baseFee })
    if (hash !== encoded.hash) throw new Error('retry tx hash mismatch')
    return encoded
  }

  /** The hash a redeem by a caller would schedule now (an eth_call's answer; nothing is scheduled). */
  private nextRetryHash(ticket: RetryableTicket, gas: bigint, baseFee: bigint): Hex {
    return this.retryTx(ticket, ticket.numTries, gas, maxUint256, 0n, baseFee).hash
  }

  private schedule(ticket: RetryableTicket, gas: bigint, donor: Address, maxRefund: bigint, submissionFeeRefund: bigint, baseFee: bigint): Omit<L2Log, 'logIndex'> {
    const sequenceNum = ticket.numTries
    ticket.numTries += 1n
    const { hash, raw } = this.retryTx(ticket, sequenceNum, gas, maxRefund, submissionFeeRefund, baseFee)
    this.scheduled.push({ ticket, sequenceNum, gas, hash, raw })
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
}

/** The devnet's L2 chain: the EVM with retryable tickets and ArbRetryableTx wired in. */
export function createDevnetL2Chain(chainId: number): L2Chain {
  return new L2Chain(chainId, new RetryableTickets(chainId).chainOptions())
}

async function move(block: L2BlockBuilder, from: Address, to: Address, value: bigint): Promise<void> {
  if (value <= 0n) return
  await block.burn(from, value)
  await block.mint(to, value)
}

function minOf(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}
