/**
 * The user's own L2 transaction on a ticket — `ArbRetryableTx.redeem(ticketId)` or `keepalive(ticketId)` — signed for
 * the L2 chain and, when the sequencer censors, carried into L2 by Inbox.sendL2Message (tx/buildSendL2MessageTx) and
 * forced in like the ETH escape's withdrawal. Anyone may redeem a ticket or keep it alive; the redeem runs the
 * ticket's own call (its `from` is the ticket's sender, not the redeemer), so the redeemer pays only the gas.
 *
 * Gas: redeem donates all the gas it has left to the retry, which needs at least what its call uses. The ticket's
 * gas limit was not enough if the auto-redeem ran out of gas, so the default gives twice it plus headroom (unused gas
 * is refunded); `gas` overrides it. The fee cap rule is the withdrawal's (buildL2WithdrawalTx): it must survive a day
 * or more in the delayed inbox.
 */
import { encodeFunctionData, type Hex } from 'viem'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { EscapeError } from '../../../errors/EscapeError'
import type { UnsignedTxRequest } from '../../../signing/unsignedTxRequest'
import { L2_FEE_HEADROOM, MIN_L2_MAX_FEE_PER_GAS } from '../tx/buildL2WithdrawalTx'
import { ARB_RETRYABLE_TX_ADDRESS } from './redeemAttempt'

/** What the redeem itself costs around the donated gas (precompile call, RedeemScheduled, scheduling). */
export const REDEEM_OVERHEAD_GAS = 200_000n
export const MIN_REDEEM_GAS = 1_000_000n
/** keepalive charges for the ticket's stored size; 500k covers the 256 KiB maximum call data [unverified: an estimate]. */
export const KEEPALIVE_GAS = 500_000n

export interface BuildTicketActionTxParameters {
  action: 'redeem' | 'keepalive'
  l2ChainId: number
  /** The signer's next L2 nonce (untrusted hint from an L2 RPC, or the user's). */
  nonce: number
  ticketId: Hex
  /** The ticket's gas limit, from its L1 submission. */
  ticketGasLimit: bigint
  currentL2BaseFee?: bigint
  /** Overrides the default gas limit. */
  gas?: bigint
}

export interface BuildTicketActionTxReturnType {
  request: UnsignedTxRequest
  maxGasCost: bigint
  explanation: string[]
}

export function buildTicketActionTx(p: BuildTicketActionTxParameters): BuildTicketActionTxReturnType {
  const defaultGas = p.action === 'redeem' ? maxOf(MIN_REDEEM_GAS, 2n * p.ticketGasLimit + REDEEM_OVERHEAD_GAS) : KEEPALIVE_GAS
  const gas = p.gas ?? defaultGas
  if (p.action === 'redeem' && gas <= REDEEM_OVERHEAD_GAS) {
    throw new EscapeError(`A redeem needs more than ${REDEEM_OVERHEAD_GAS} gas: the rest is what the ticket's call runs with.`, { kind: 'user-action' })
  }
  const maxFeePerGas = maxOf(MIN_L2_MAX_FEE_PER_GAS, (p.currentL2BaseFee ?? 0n) * L2_FEE_HEADROOM)
  const request: UnsignedTxRequest = {
    type: 'eip1559',
    chainId: p.l2ChainId,
    nonce: p.nonce,
    gas,
    to: ARB_RETRYABLE_TX_ADDRESS,
    value: 0n,
    data: encodeFunctionData({ abi: arbRetryableTxAbi, functionName: p.action, args: [p.ticketId] }),
    maxFeePerGas,
    maxPriorityFeePerGas: 0n,
  }
  const maxGasCost = gas * maxFeePerGas
  const what = p.action === 'redeem'
    ? `ArbRetryableTx.redeem(${p.ticketId}): runs the ticket's call again with ${gas - REDEEM_OVERHEAD_GAS} gas or so (its gas limit was ${p.ticketGasLimit}).`
    : `ArbRetryableTx.keepalive(${p.ticketId}): moves the ticket's expiry 7 days later.`
  return {
    request,
    maxGasCost,
    explanation: [
      what,
      `Nonce ${p.nonce}, fee cap ${maxFeePerGas} wei per gas (${L2_FEE_HEADROOM}× today's L2 base fee, at least 1 gwei): it must still be valid when forced in, a day or more from now. At most ${maxGasCost} wei of gas; the L2 balance must cover it.`,
    ],
  }
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b
}
