import { decodeFunctionData, keccak256, type Address, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { readVectorJson } from '../../../../fixtures/vectors'
import { decodeMessageDeliveredLog } from '../derive/readDelayedMessageLogs'
import { computeRedeemTxHash, decodeRedeemScheduledLog } from './redeemAttempt'
import { decodeRetryableSubmission, encodeRetryableSubmission, retryableTicketId, type RetryableSubmission } from './retryableSubmission'

interface Log { address: Address; topics: Hex[]; data: Hex; blockNumber: number; transactionHash: Hex }
interface RetryableFixture {
  source: { childChainId: number }
  parentLogs: Log[]
  childLogs: Log[]
  childTxByHash: Record<string, { input: Hex; gasPrice: Hex; type: Hex }>
  expected: { parentTxHash: Hex; ticketId: Hex; redeemTxHash: Hex }
}

describe('a real Arbitrum One retryable (vectors/arbitrum/sdk-tracing-retryable.json)', () => {
  const f = readVectorJson('arbitrum/sdk-tracing-retryable.json') as RetryableFixture
  const expected = (readVectorJson('arbitrum/sdk-tracing-retryable.expected.json') as { expected: { messageData: Hex; messageIndex: string; l2BaseFee: string } }).expected
  const log = f.parentLogs[0]!
  const message = decodeMessageDeliveredLog({ ...log, blockNumber: BigInt(log.blockNumber) })
  const ticketTx = f.childTxByHash[f.expected.ticketId]!
  // The 0x69 tx carries the submission as ArbRetryableTx.submitRetryable arguments (how L2 nodes show it).
  const { args } = decodeFunctionData({ abi: arbRetryableTxAbi, data: ticketTx.input })
  const [, , deposit, callvalue, gasFeeCap, gasLimit, maxSubmissionFee, feeRefundAddress, beneficiary, retryTo, retryData] = args as readonly [
    Hex, bigint, bigint, bigint, bigint, bigint, bigint, Address, Address, Address, Hex,
  ]
  const submission: RetryableSubmission = {
    to: retryTo, l2CallValue: callvalue, depositValue: deposit, maxSubmissionFee, excessFeeRefundAddress: feeRefundAddress,
    callValueRefundAddress: beneficiary, gasLimit, maxFeePerGas: gasFeeCap, data: retryData,
  }

  it('is a kind-9 message from the L1 transaction the fixture names', () => {
    expect(message.kind).toBe(9)
    expect(message.index).toBe(BigInt(expected.messageIndex))
    expect(log.transactionHash).toBe(f.expected.parentTxHash)
  })

  it('packs the submission exactly as AbsInbox did: its keccak256 is the messageDataHash on L1', () => {
    const data = encodeRetryableSubmission(submission)
    expect(data).toBe(expected.messageData)
    expect(keccak256(data)).toBe(message.messageDataHash)
    expect(decodeRetryableSubmission(data)).toEqual({ submission, error: undefined })
  })

  it('computes the ticket id (the 0x69 tx hash) from the L1 message alone', () => {
    const decoded = decodeRetryableSubmission(expected.messageData)
    if (decoded.error !== undefined) throw new Error(decoded.error)
    const ticketId = retryableTicketId({
      l2ChainId: BigInt(f.source.childChainId), messageIndex: message.index, sender: message.sender, baseFeeL1: message.baseFeeL1, submission: decoded.submission,
    })
    expect(ticketId).toBe(f.expected.ticketId)
  })

  it('computes the auto-redeem tx hash from the ticket, the RedeemScheduled figures and the L2 base fee', () => {
    const scheduled = decodeRedeemScheduledLog(f.childLogs[0]!, 'the fixture')
    expect(scheduled.ticketId).toBe(f.expected.ticketId)
    expect(scheduled.sequenceNum).toBe(0n)
    const l2BaseFee = BigInt(expected.l2BaseFee)
    expect(BigInt(f.childTxByHash[f.expected.redeemTxHash]!.gasPrice)).toBe(l2BaseFee)
    const hash = computeRedeemTxHash({ l2ChainId: 42161n, ticketId: scheduled.ticketId, sender: message.sender, submission, attempt: scheduled, l2BaseFee })
    expect(hash).toBe(f.expected.redeemTxHash)
    expect(scheduled.retryTxHash).toBe(hash)
    // One wei off in any figure gives another hash: the check is not vacuous.
    expect(computeRedeemTxHash({ l2ChainId: 42161n, ticketId: scheduled.ticketId, sender: message.sender, submission, attempt: scheduled, l2BaseFee: l2BaseFee + 1n })).not.toBe(hash)
  })
})

describe('two real mainnet retryable payloads (vectors/arbitrum/sdk-retryable-message-data.json)', () => {
  interface Case { what: string; data: Hex; expected: Record<string, string> }
  const { cases } = readVectorJson('arbitrum/sdk-retryable-message-data.json') as { cases: Case[] }
  it.each(cases.map((c) => [c.what, c] as const))('decodes %s to the fields the SDK asserts, and packs back to the same bytes', (_what, c) => {
    const decoded = decodeRetryableSubmission(c.data)
    if (decoded.error !== undefined) throw new Error(decoded.error)
    const s = decoded.submission
    const e = c.expected
    expect(s.to).toBe(e.destAddress)
    expect(s.l2CallValue).toBe(BigInt(e.l2CallValue!))
    expect(s.depositValue).toBe(BigInt(e.l1Value!))
    expect(s.maxSubmissionFee).toBe(BigInt(e.maxSubmissionFee!))
    expect(s.excessFeeRefundAddress).toBe(e.excessFeeRefundAddress)
    expect(s.callValueRefundAddress).toBe(e.callValueRefundAddress)
    expect(s.gasLimit).toBe(BigInt(e.gasLimit!))
    expect(s.maxFeePerGas).toBe(BigInt(e.maxFeePerGas!))
    expect(s.data).toBe(e.data!.toLowerCase())
    expect(encodeRetryableSubmission(s)).toBe(c.data.toLowerCase())
  })

  it('refuses a truncated payload the way ArbOS does', () => {
    expect(decodeRetryableSubmission(cases[0]!.data.slice(0, 2 + 64 * 8) as Hex)).toEqual({ submission: undefined, error: 'retryable message truncated' })
    // Length word present but no data bytes at all: io.Reader.Read fails.
    expect(decodeRetryableSubmission(cases[0]!.data.slice(0, 2 + 64 * 9) as Hex).error).toBe('retryable data missing')
  })
})
