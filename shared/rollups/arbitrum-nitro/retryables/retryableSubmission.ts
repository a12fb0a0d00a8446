/**
 * The retryable ticket as the L1 Inbox submits it (L1 message kind 9, notes §1.1): one wire type, decoded exactly as
 * ArbOS reads it (nitro arbos/parse_l2.go parseSubmitRetryableMessage) and encoded exactly as AbsInbox packs it
 * (`_unsafeCreateRetryableTicket`: abi.encodePacked of the fields below, addresses as uint256, then data.length and
 * data). The ticket id is the hash of the ArbitrumSubmitRetryableTx (type 0x69) ArbOS makes from it.
 */
import { bytesToHex, concatHex, getAddress, hexToBigInt, hexToBytes, numberToHex, pad, size, type Address, type Hex } from 'viem'
import { encodeArbitrumSubmitRetryableTx, type ArbitrumSubmitRetryableTxFields } from '../derive/arbitrumTransactions'
import { delayedRequestId } from '../derive/delayedMessage'
import { MAX_L2_MESSAGE_SIZE } from '../derive/parseL2Message'

export interface RetryableSubmission {
  /** The L2 call's destination; null when the field is zero (ArbOS treats it as a contract creation). */
  to: Address | null
  /** Value the L2 call carries (l2CallValue). */
  l2CallValue: bigint
  /** Everything the L1 sender deposited (msg.value): covers l2CallValue, the submission fee and the gas. */
  depositValue: bigint
  maxSubmissionFee: bigint
  /** Receives the unused submission fee and gas refunds. */
  excessFeeRefundAddress: Address
  /** The ticket's beneficiary: receives l2CallValue if the ticket expires or is cancelled, and may cancel it. */
  callValueRefundAddress: Address
  /** Gas for the auto-redeem (0: no auto-redeem is attempted). */
  gasLimit: bigint
  maxFeePerGas: bigint
  data: Hex
}

export type DecodeRetryableSubmissionResult = { submission: RetryableSubmission; error: undefined } | { submission: undefined; error: string }

const ZERO: Address = '0x0000000000000000000000000000000000000000'

/** ArbOS's reading of the message data; an `error` is what ArbOS would reject the message for (no ticket is made). */
export function decodeRetryableSubmission(messageData: Hex | Uint8Array): DecodeRetryableSubmissionResult {
  const bytes = typeof messageData === 'string' ? hexToBytes(messageData) : messageData
  let offset = 0
  const word = (): bigint | undefined => {
    if (bytes.length - offset < 32) return undefined
    const v = hexToBigInt(bytesToHex(bytes.subarray(offset, offset + 32)))
    offset += 32
    return v
  }
  const address256 = (): Address | undefined => {
    const w = word()
    return w === undefined ? undefined : getAddress(pad(numberToHex(w & ((1n << 160n) - 1n)), { size: 20 }))
  }
  const fail = (error: string): DecodeRetryableSubmissionResult => ({ submission: undefined, error })
  const to = address256()
  const l2CallValue = word()
  const depositValue = word()
  const maxSubmissionFee = word()
  const excessFeeRefundAddress = address256()
  const callValueRefundAddress = address256()
  const gasLimit = word()
  const maxFeePerGas = word()
  const dataLength = word()
  if (
    to === undefined || l2CallValue === undefined || depositValue === undefined || maxSubmissionFee === undefined ||
    excessFeeRefundAddress === undefined || callValueRefundAddress === undefined || gasLimit === undefined ||
    maxFeePerGas === undefined || dataLength === undefined
  ) {
    return fail('retryable message truncated')
  }
  if (gasLimit >= 1n << 64n) return fail('gas limit too large')
  if (dataLength > BigInt(MAX_L2_MESSAGE_SIZE)) return fail('retryable data too large')
  // io.Reader.Read semantics: whatever is there is copied into a zeroed buffer; only reading past the end fails.
  const length = Number(dataLength)
  const data = new Uint8Array(length)
  if (length > 0) {
    if (offset >= bytes.length) return fail('retryable data missing')
    data.set(bytes.subarray(offset, offset + length))
  }
  return {
    submission: {
      to: to === ZERO ? null : to, l2CallValue, depositValue, maxSubmissionFee, excessFeeRefundAddress, callValueRefundAddress, gasLimit, maxFeePerGas,
      data: bytesToHex(data),
    },
    error: undefined,
  }
}

/** AbsInbox's packing of a retryable (the InboxMessageDelivered data whose keccak256 the Bridge records). */
export function encodeRetryableSubmission(s: RetryableSubmission): Hex {
  const u256 = (v: bigint): Hex => pad(numberToHex(v), { size: 32 })
  const addr = (a: Address | null): Hex => pad((a ?? ZERO).toLowerCase() as Hex, { size: 32 })
  return concatHex([
    addr(s.to), u256(s.l2CallValue), u256(s.depositValue), u256(s.maxSubmissionFee), addr(s.excessFeeRefundAddress),
    addr(s.callValueRefundAddress), u256(s.gasLimit), u256(s.maxFeePerGas), u256(BigInt(size(s.data))), s.data,
  ])
}

export interface RetryableTicketIdParameters {
  l2ChainId: bigint
  /** The delayed message's index: its RequestId. */
  messageIndex: bigint
  /** The message's sender as the Bridge recorded it (already aliased by the Inbox). */
  sender: Address
  /** The L1 base fee the Bridge recorded with the message. */
  baseFeeL1: bigint
  submission: RetryableSubmission
}

/** The ArbitrumSubmitRetryableTx (0x69) fields ArbOS makes from the message (nitro parse_l2.go). */
export function submitRetryableTxFields(p: RetryableTicketIdParameters): ArbitrumSubmitRetryableTxFields {
  const s = p.submission
  return {
    chainId: p.l2ChainId, requestId: delayedRequestId(p.messageIndex), from: p.sender, l1BaseFee: p.baseFeeL1, depositValue: s.depositValue,
    maxFeePerGas: s.maxFeePerGas, gas: s.gasLimit, retryTo: s.to, retryValue: s.l2CallValue, beneficiary: s.callValueRefundAddress,
    maxSubmissionFee: s.maxSubmissionFee, feeRefundAddress: s.excessFeeRefundAddress, retryData: s.data,
  }
}

/** The ticket id: the hash of the ArbitrumSubmitRetryableTx (0x69), i.e. its L2 transaction hash. */
export function retryableTicketId(p: RetryableTicketIdParameters): Hex {
  return encodeArbitrumSubmitRetryableTx(submitRetryableTxFields(p)).hash
}
