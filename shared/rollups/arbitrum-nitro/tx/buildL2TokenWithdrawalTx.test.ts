import { describe, expect, it } from 'vitest'
import { decodeFunctionData, encodeAbiParameters, encodeFunctionData, type Address } from 'viem'
import { buildL2TokenWithdrawalTx, L2_TOKEN_WITHDRAWAL_GAS } from './buildL2TokenWithdrawalTx'
import { l1TokenGatewayAbi, l2GatewayRouterAbi } from './tokenGatewayAbi'
import { verifyTokenWithdrawalSend, type ExpectedTokenWithdrawal } from '../proof/verifyTokenWithdrawalSend'
import type { L2ToL1Send } from '../proof/calculateSendHash'

const router: Address = '0x5288c571Fd7aD117beA99bF60FE0846C4E84F933'
const l1Token: Address = '0x6B175474E89094C44Da98b954EedeAC495271d0F'
const user: Address = '0x1111111111111111111111111111111111111111'
const dest: Address = '0x2222222222222222222222222222222222222222'

describe('buildL2TokenWithdrawalTx', () => {
  it('calls the L2 gateway router with outboundTransfer(l1Token, to, amount, 0x), no ETH, and the delayed-inbox fee headroom', () => {
    const { request, maxGasCost } = buildL2TokenWithdrawalTx({ l2ChainId: 42161, nonce: 7, l2GatewayRouter: router, l1Token, destination: dest, amount: 5n * 10n ** 18n, currentL2BaseFee: 10_000_000n })
    expect(request).toMatchObject({ to: router, value: 0n, nonce: 7, chainId: 42161, gas: L2_TOKEN_WITHDRAWAL_GAS, maxPriorityFeePerGas: 0n, maxFeePerGas: 1_000_000_000n })
    // The 4-argument overload (the one L2GatewayRouter routes by token), selector 0x7b3a3c8b.
    expect(request.data?.slice(0, 10)).toBe('0x7b3a3c8b')
    const call = decodeFunctionData({ abi: l2GatewayRouterAbi, data: request.data ?? '0x' })
    expect(call.functionName).toBe('outboundTransfer')
    expect(call.args).toEqual([l1Token, dest, 5n * 10n ** 18n, '0x'])
    expect(maxGasCost).toBe(L2_TOKEN_WITHDRAWAL_GAS * 1_000_000_000n)
    expect(() => buildL2TokenWithdrawalTx({ l2ChainId: 1, nonce: 0, l2GatewayRouter: router, l1Token, destination: dest, amount: 0n })).toThrow(/more than zero/)
  })
})

describe('verifyTokenWithdrawalSend', () => {
  const expected: ExpectedTokenWithdrawal = {
    l1Gateway: '0xa3A7B6F88361F48403514059F1F16C8E78d60EeC',
    l2Gateway: '0x09e9222E96E7B4AE2a407B98d48e330053351EEe',
    l1Token,
    from: user,
    to: dest,
    amount: 42n,
  }
  const data = (over: Partial<{ token: Address; from: Address; to: Address; amount: bigint }> = {}) =>
    encodeFunctionData({
      abi: l1TokenGatewayAbi,
      functionName: 'finalizeInboundTransfer',
      args: [over.token ?? l1Token, over.from ?? user, over.to ?? dest, over.amount ?? 42n, encodeAbiParameters([{ type: 'uint256' }, { type: 'bytes' }], [3n, '0x'])],
    })
  const send = (over: Partial<L2ToL1Send> = {}): L2ToL1Send => ({ l2Sender: expected.l2Gateway, to: expected.l1Gateway, l2Block: 1n, l1Block: 2n, l2Timestamp: 3n, value: 0n, data: data(), ...over })

  it('accepts exactly our withdrawal and returns its exit number', () => {
    expect(verifyTokenWithdrawalSend(send(), expected, 'l2.example')).toEqual({ exitNum: 3n })
  })

  it('refuses any other send, naming the source and what differs', () => {
    const refuse = (s: L2ToL1Send, what: RegExp) => expect(() => verifyTokenWithdrawalSend(s, expected, 'l2.example')).toThrow(what)
    refuse(send({ l2Sender: user }), /l2\.example.*sent by .*not by the token's L2 gateway/)
    refuse(send({ to: dest }), /not to the token's L1 gateway/)
    refuse(send({ value: 1n }), /carries 1 wei/)
    refuse(send({ data: '0x' }), /not a finalizeInboundTransfer call/)
    refuse(send({ data: data({ token: dest }) }), /releases token/)
    refuse(send({ data: data({ from: dest }) }), /is from/)
    refuse(send({ data: data({ to: user }) }), /pays/)
    refuse(send({ data: data({ amount: 43n }) }), /amount is 43, not 42/)
  })
})
