import { decodeFunctionData, parseTransaction, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { ARBITRUM_ONE } from '../networks'
import { buildSendL2MessageTx } from '../tx/buildSendL2MessageTx'
import { buildTicketActionTx, MIN_REDEEM_GAS, REDEEM_OVERHEAD_GAS } from './buildTicketActionTx'
import { ARB_RETRYABLE_TX_ADDRESS } from './redeemAttempt'

const TICKET: Hex = '0xface0b922e615b16ca20e4d7de668fa9f8010203b5dda69ebe433e7585821cf5'

describe('buildTicketActionTx', () => {
  it('builds ArbRetryableTx.redeem(ticketId) with room for the ticket call and a fee cap that survives the delay', () => {
    const { request, maxGasCost } = buildTicketActionTx({ action: 'redeem', l2ChainId: 42161, nonce: 7, ticketId: TICKET, ticketGasLimit: 600_000n, currentL2BaseFee: 100_000_000n })
    expect(request.to).toBe(ARB_RETRYABLE_TX_ADDRESS)
    expect(decodeFunctionData({ abi: arbRetryableTxAbi, data: request.data! })).toEqual({ functionName: 'redeem', args: [TICKET] })
    expect(request.gas).toBe(2n * 600_000n + REDEEM_OVERHEAD_GAS)
    expect(request.type === 'eip1559' && request.maxFeePerGas).toBe(2_000_000_000n)
    expect(maxGasCost).toBe(request.gas * 2_000_000_000n)
    // A small ticket still gets the floor; an override wins.
    expect(buildTicketActionTx({ action: 'redeem', l2ChainId: 42161, nonce: 0, ticketId: TICKET, ticketGasLimit: 0n }).request.gas).toBe(MIN_REDEEM_GAS)
    expect(buildTicketActionTx({ action: 'redeem', l2ChainId: 42161, nonce: 0, ticketId: TICKET, ticketGasLimit: 0n, gas: 400_000n }).request.gas).toBe(400_000n)
    expect(() => buildTicketActionTx({ action: 'redeem', l2ChainId: 42161, nonce: 0, ticketId: TICKET, ticketGasLimit: 0n, gas: 100_000n })).toThrow(/more than 200000 gas/)
  })

  it('signed, it travels through Inbox.sendL2Message as 0x04 ‖ tx and decodes back to the same redeem', async () => {
    const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
    const { request } = buildTicketActionTx({ action: 'keepalive', l2ChainId: 42161, nonce: 3, ticketId: TICKET, ticketGasLimit: 0n })
    const raw = await account.signTransaction({ ...request, type: 'eip1559' } as Parameters<typeof account.signTransaction>[0])
    const call = buildSendL2MessageTx({ network: ARBITRUM_ONE, signedL2Tx: raw })
    expect(call.to).toBe(ARBITRUM_ONE.contracts.inbox)
    const [message] = decodeFunctionData({ abi: inboxAbi, data: call.data }).args as [Hex]
    expect(message.slice(0, 4)).toBe('0x04')
    const tx = parseTransaction(`0x${message.slice(4)}`)
    expect(tx.chainId).toBe(42161)
    expect(decodeFunctionData({ abi: arbRetryableTxAbi, data: tx.data! })).toEqual({ functionName: 'keepalive', args: [TICKET] })
  })
})
