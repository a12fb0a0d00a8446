import { concat, decodeEventLog, encodeErrorResult, encodeFunctionData, getAddress, hexToBytes, numberToHex, parseEther, parseTransaction, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { RETRYABLE_LIFETIME_SECONDS } from '../../../../shared/deadlines/arbitrumDeadlines'
import { buildTicketActionTx } from '../../../../shared/rollups/arbitrum-nitro/retryables/buildTicketActionTx'
import { ARB_RETRYABLE_TX_ADDRESS, computeRedeemTxHash, decodeRedeemScheduledLog } from '../../../../shared/rollups/arbitrum-nitro/retryables/redeemAttempt'
import { encodeRetryableSubmission, retryableTicketId, type RetryableSubmission } from '../../../../shared/rollups/arbitrum-nitro/retryables/retryableSubmission'
import { ARB_SYS_ADDRESS, L2Chain, L2_BASE_FEE, arbSysAbi } from './l2Chain'
import { L1_MESSAGE_KIND, type L2IncomingMessage } from './l2Types'
import { RetryableTickets, retryableEscrowAddress, retryableSubmissionFee } from './retryables'

const CHAIN_ID = 412346
const sender: Address = '0x1111000000000000000000000000000000002222' // an aliased L1 address, as the Bridge records it
const beneficiary: Address = '0x00000000000000000000000000000000000bEEF1'
const refund: Address = '0x00000000000000000000000000000000000F11ed'
const redeemer = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const L1_BASE_FEE = 7n

function submission(over: Partial<RetryableSubmission> = {}): RetryableSubmission {
  const s = { to: beneficiary, l2CallValue: parseEther('0.5'), maxSubmissionFee: parseEther('0.001'), excessFeeRefundAddress: refund, callValueRefundAddress: beneficiary, gasLimit: 0n, maxFeePerGas: 0n, data: '0x' as Hex, ...over }
  return { ...s, depositValue: over.depositValue ?? s.l2CallValue + s.maxSubmissionFee + s.gasLimit * s.maxFeePerGas }
}

function retryableMessage(index: bigint, s: RetryableSubmission, timestamp = 1_000n): L2IncomingMessage {
  return { kind: L1_MESSAGE_KIND.SubmitRetryable, poster: sender, l1BlockNumber: 10n, timestamp, requestId: numberToHex(index, { size: 32 }), l1BaseFee: L1_BASE_FEE, data: hexToBytes(encodeRetryableSubmission(s)), delayedMessagesRead: index + 1n }
}

function deposit(index: bigint, to: Address, value: bigint): L2IncomingMessage {
  return { kind: L1_MESSAGE_KIND.EthDeposit, poster: sender, l1BlockNumber: 10n, timestamp: 1_000n, requestId: numberToHex(index, { size: 32 }), l1BaseFee: 1n, data: hexToBytes(concat([to, numberToHex(value, { size: 32 })])), delayedMessagesRead: index + 1n }
}

async function signedRedeem(chain: L2Chain, action: 'redeem' | 'keepalive', ticketId: Hex, nonce: number, timestamp: bigint): Promise<L2IncomingMessage> {
  const { request } = buildTicketActionTx({ action, l2ChainId: CHAIN_ID, nonce, ticketId, ticketGasLimit: 0n })
  const raw = await redeemer.signTransaction(request as Parameters<typeof redeemer.signTransaction>[0])
  return { kind: L1_MESSAGE_KIND.L2Message, poster: sender, l1BlockNumber: 11n, timestamp, requestId: numberToHex(99n, { size: 32 }), l1BaseFee: 0n, data: hexToBytes(concat(['0x04', raw])), delayedMessagesRead: BigInt(chain.blocks.length) }
}

/** A devnet L2 with the retryables wired in (as the devnet runs it), and its ticket table. */
function chainWithTickets(): { chain: L2Chain; tickets: RetryableTickets } {
  const tickets = new RetryableTickets(CHAIN_ID)
  return { chain: new L2Chain(CHAIN_ID, tickets.chainOptions()), tickets }
}

const idOf = (index: bigint, s: RetryableSubmission) => retryableTicketId({ l2ChainId: BigInt(CHAIN_ID), messageIndex: index, sender, baseFeeL1: L1_BASE_FEE, submission: s })

describe('devnet retryables (L1 kind 9, ArbRetryableTx)', () => {
  it('auto-redeems a ticket with enough gas: the 0x69 hash is the ticket id the app computes, the 0x68 hash is the one RedeemScheduled announces', async () => {
    const { chain, tickets } = chainWithTickets()
    const s = submission({ gasLimit: 100_000n, maxFeePerGas: L2_BASE_FEE * 2n })
    const block = await chain.applyMessage(retryableMessage(0n, s))
    const [ticketTx, retryTx] = block.transactions
    expect(ticketTx?.hash).toBe(idOf(0n, s))
    expect(ticketTx?.typeByte).toBe(0x69)
    const scheduled = decodeRedeemScheduledLog(block.receipts[0]!.logs.find((l) => l.topics[0] === block.receipts[0]!.logs.at(-1)!.topics[0])!, 'devnet')
    expect(scheduled.sequenceNum).toBe(0n)
    expect(retryTx?.typeByte).toBe(0x68)
    expect(retryTx?.hash).toBe(scheduled.retryTxHash)
    expect(computeRedeemTxHash({ l2ChainId: BigInt(CHAIN_ID), ticketId: ticketTx!.hash, sender, submission: s, attempt: scheduled, l2BaseFee: L2_BASE_FEE })).toBe(retryTx?.hash)
    expect(block.receipts[1]?.status).toBe('success')
    expect(chain.account(beneficiary).balance).toBe(s.l2CallValue)
    expect(tickets.ticket(ticketTx!.hash)).toBeUndefined()
    // What is left of the deposit: the unused submission fee, the unused gas and the fee-cap headroom, all refunded.
    const fee = retryableSubmissionFee(0, L1_BASE_FEE)
    expect(chain.account(refund).balance).toBe(s.maxSubmissionFee - fee + (s.gasLimit - 21_000n) * L2_BASE_FEE + s.gasLimit * (s.maxFeePerGas - L2_BASE_FEE))
    expect(chain.account(sender).balance).toBe(0n)
  })

  it('leaves a ticket with gasLimit 0 for a manual redeem; a redeem signed by anyone (sent as a delayed L2 message) pays the beneficiary', async () => {
    const { chain, tickets } = chainWithTickets()
    const s = submission()
    const id = idOf(0n, s)
    const created = await chain.applyMessage(retryableMessage(0n, s))
    expect(created.transactions).toHaveLength(1)
    expect(chain.account(beneficiary).balance).toBe(0n)
    expect(chain.account(retryableEscrowAddress(id)).balance).toBe(s.l2CallValue)
    const timeout = 1_000n + RETRYABLE_LIFETIME_SECONDS
    expect(tickets.ticket(id)?.timeout).toBe(timeout)
    // The views, as eth_call runs them: through the EVM, at the tip's state and time.
    const view = (fn: 'getTimeout' | 'getBeneficiary') =>
      chain.callAt({ from: redeemer.address, to: ARB_RETRYABLE_TX_ADDRESS, data: encodeFunctionData({ abi: arbRetryableTxAbi, functionName: fn, args: [id] }) }, BigInt(chain.blocks.length - 1))
    expect(BigInt((await view('getTimeout')).returnData)).toBe(timeout)
    expect((await view('getBeneficiary')).returnData).toBe(`0x${beneficiary.slice(2).toLowerCase().padStart(64, '0')}`)

    await chain.applyMessage(deposit(1n, redeemer.address, parseEther('0.1')))
    const block = await chain.applyMessage(await signedRedeem(chain, 'redeem', id, 0, 2_000n))
    const [redeemTx, retryTx] = block.transactions
    expect(redeemTx?.from).toBe(redeemer.address)
    expect(block.receipts[0]?.status).toBe('success')
    const scheduled = decodeRedeemScheduledLog(block.receipts[0]!.logs[0]!, 'devnet')
    expect(scheduled.gasDonor).toBe(redeemer.address)
    expect(retryTx?.hash).toBe(computeRedeemTxHash({ l2ChainId: BigInt(CHAIN_ID), ticketId: id, sender, submission: s, attempt: scheduled, l2BaseFee: L2_BASE_FEE }))
    expect(block.receipts[1]?.status).toBe('success')
    expect(chain.account(beneficiary).balance).toBe(s.l2CallValue)
    expect(chain.account(retryableEscrowAddress(id)).balance).toBe(0n)
    // The ticket is gone: getTimeout reverts with NoTicketWithID, a second redeem reverts.
    const gone = await view('getTimeout')
    expect(gone.status).toBe('reverted')
    expect(gone.returnData).toBe(encodeErrorResult({ abi: arbRetryableTxAbi, errorName: 'NoTicketWithID' }))
    const again = await chain.applyMessage(await signedRedeem(chain, 'redeem', id, 1, 2_100n))
    expect(again.receipts[0]?.status).toBe('reverted')
    expect(again.transactions).toHaveLength(1)
  })

  it('keepalive adds 7 days (refused while more than 7 days are left); an expired ticket pays its beneficiary and can no longer be redeemed', async () => {
    const { chain, tickets } = chainWithTickets()
    const s = submission({ callValueRefundAddress: refund })
    const id = idOf(0n, s)
    await chain.applyMessage(retryableMessage(0n, s))
    await chain.applyMessage(deposit(1n, redeemer.address, parseEther('0.1')))
    const kept = await chain.applyMessage(await signedRedeem(chain, 'keepalive', id, 0, 1_500n))
    expect(kept.receipts[0]?.status).toBe('success')
    const extended = kept.receipts[0]!.logs[0]!
    expect(decodeEventLog({ abi: arbRetryableTxAbi, topics: extended.topics as [Hex, ...Hex[]], data: extended.data }).eventName).toBe('LifetimeExtended')
    expect(tickets.ticket(id)?.timeout).toBe(1_000n + 2n * RETRYABLE_LIFETIME_SECONDS)
    const tooFar = await chain.applyMessage(await signedRedeem(chain, 'keepalive', id, 1, 1_600n))
    expect(tooFar.receipts[0]?.status).toBe('reverted')
    const expired = await chain.applyMessage(await signedRedeem(chain, 'redeem', id, 2, 1_000n + 2n * RETRYABLE_LIFETIME_SECONDS + 1n))
    expect(expired.receipts[0]?.status).toBe('reverted')
    expect(chain.account(refund).balance).toBeGreaterThanOrEqual(s.l2CallValue)
    expect(chain.account(beneficiary).balance).toBe(0n)
    expect(parseTransaction(expired.transactions[0]!.encoded).to?.toLowerCase()).toBe('0x000000000000000000000000000000000000006e')
  })

  it('runs the ticket\'s call on the EVM: a call into ArbSys makes a send; a reverting call puts the value back in escrow; a redeem in eth_call schedules nothing', async () => {
    const { chain, tickets } = chainWithTickets()
    // Auto-redeemed into ArbSys.withdrawEth: the EVM runs it, the value is burned and a send recorded for the beneficiary.
    const withdraw = submission({ to: ARB_SYS_ADDRESS, gasLimit: 200_000n, maxFeePerGas: L2_BASE_FEE, data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [getAddress(beneficiary)] }) })
    const sent = await chain.applyMessage(retryableMessage(0n, withdraw))
    expect(sent.receipts[1]?.status).toBe('success')
    expect(chain.sends).toHaveLength(1)
    expect(chain.sends[0]?.callvalue).toBe(withdraw.l2CallValue)
    expect(chain.sends[0]?.caller).toBe(sender)
    // Auto-redeemed into a call ArbSys refuses: the retry reverts, the value is back in escrow, the ticket stays.
    const bad = submission({ to: ARB_SYS_ADDRESS, gasLimit: 200_000n, maxFeePerGas: L2_BASE_FEE, data: '0xdeadbeef' })
    const id = idOf(1n, bad)
    const failed = await chain.applyMessage(retryableMessage(1n, bad))
    expect(failed.receipts[1]?.status).toBe('reverted')
    expect(chain.account(retryableEscrowAddress(id)).balance).toBe(bad.l2CallValue)
    expect(tickets.ticket(id)?.numTries).toBe(1n)
    // eth_call of a redeem answers the retry hash it would schedule, and changes nothing.
    const dry = await chain.callAt({ from: redeemer.address, to: ARB_RETRYABLE_TX_ADDRESS, gas: 500_000n, data: encodeFunctionData({ abi: arbRetryableTxAbi, functionName: 'redeem', args: [id] }) }, BigInt(chain.blocks.length - 1))
    expect(dry.status).toBe('success')
    expect(dry.logs).toEqual([])
    expect(tickets.ticket(id)?.numTries).toBe(1n)
  })
})
