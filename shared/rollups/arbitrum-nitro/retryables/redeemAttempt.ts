/**
 * A redeem attempt of a retryable ticket: the RedeemScheduled event ArbRetryableTx (0x6e) emits when it schedules one
 * (the auto-redeem at creation, or a manual `redeem`), and the ArbitrumRetryTx (0x68) hash it announces, recomputed
 * here from the ticket (known from L1) and the attempt's own figures (nitro arbos/retryables Retryable.MakeTx, called
 * from tx_processor.go with nonce = sequenceNum, gasFeeCap = the L2 block's base fee, gas = the donated gas).
 *
 * The base fee and the refund figures are L2 state: L1 cannot confirm them. Recomputing the hash checks that the
 * node's event, its block's base fee and the ticket read from L1 fit together; a node that made up the event would
 * have to find figures that hash to the retryTxHash it claims.
 */
import { decodeEventLog, type Address, type Hex } from 'viem'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { encodeArbitrumRetryTx } from '../derive/arbitrumTransactions'
import { ArbUntrustedDataError } from '../errors'
import type { RetryableSubmission } from './retryableSubmission'

export const ARB_RETRYABLE_TX_ADDRESS: Address = '0x000000000000000000000000000000000000006E'

export interface RedeemScheduled {
  ticketId: Hex
  retryTxHash: Hex
  /** The attempt's number: 0 is the auto-redeem. It is the ArbitrumRetryTx nonce. */
  sequenceNum: bigint
  donatedGas: bigint
  gasDonor: Address
  maxRefund: bigint
  submissionFeeRefund: bigint
}

export function decodeRedeemScheduledLog(log: { topics: readonly Hex[]; data: Hex }, source: string): RedeemScheduled {
  try {
    const { args } = decodeEventLog({ abi: arbRetryableTxAbi, eventName: 'RedeemScheduled', topics: log.topics as [Hex, ...Hex[]], data: log.data })
    return { ...args }
  } catch (error) {
    throw new ArbUntrustedDataError(`${source} returned a log that is not a valid ArbRetryableTx RedeemScheduled event.`, { cause: error })
  }
}

export interface RedeemTxHashParameters {
  l2ChainId: bigint
  ticketId: Hex
  /** The ticket's `from`: the L1 sender as the Bridge recorded it (aliased). */
  sender: Address
  submission: RetryableSubmission
  attempt: Pick<RedeemScheduled, 'sequenceNum' | 'donatedGas' | 'maxRefund' | 'submissionFeeRefund'>
  /** Base fee of the L2 block the attempt was scheduled in. */
  l2BaseFee: bigint
}

/** The ArbitrumRetryTx hash of one redeem attempt. */
export function computeRedeemTxHash(p: RedeemTxHashParameters): Hex {
  const s = p.submission
  return encodeArbitrumRetryTx({
    chainId: p.l2ChainId, nonce: p.attempt.sequenceNum, from: p.sender, gasFeeCap: p.l2BaseFee, gas: p.attempt.donatedGas, to: s.to,
    value: s.l2CallValue, data: s.data, ticketId: p.ticketId, refundTo: s.excessFeeRefundAddress, maxRefund: p.attempt.maxRefund,
    submissionFeeRefund: p.attempt.submissionFeeRefund,
  }).hash
}
