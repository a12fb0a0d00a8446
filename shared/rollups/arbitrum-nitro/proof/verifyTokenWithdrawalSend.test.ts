import { encodeAbiParameters, encodeFunctionData } from 'viem'
import { describe, expect, it } from 'vitest'
import { ArbUntrustedDataError } from '../errors'
import { l1TokenGatewayAbi } from '../tx/tokenGatewayAbi'
import type { L2ToL1Send } from './calculateSendHash'
import { verifyTokenWithdrawalSend, type ExpectedTokenWithdrawal } from './verifyTokenWithdrawalSend'

const expected: ExpectedTokenWithdrawal = {
  l1Gateway: '0xa3A7B6F88361F48403514059F1F16C8E78d60EeC',
  l2Gateway: '0x09e9222E96E7B4AE2a407B98d48e330053351EEe',
  l1Token: '0x6B175474E89094C44Da98b954EedeAC495271d0F',
  from: '0x1111111111111111111111111111111111111111',
  to: '0x2222222222222222222222222222222222222222',
  amount: 5n * 10n ** 18n,
}

function send(over: Partial<ExpectedTokenWithdrawal> & { exitNum?: bigint; value?: bigint; data?: `0x${string}` } = {}): L2ToL1Send {
  const e = { ...expected, ...over }
  const data = over.data ?? encodeFunctionData({
    abi: l1TokenGatewayAbi, functionName: 'finalizeInboundTransfer',
    args: [e.l1Token, e.from, e.to, e.amount, encodeAbiParameters([{ type: 'uint256' }, { type: 'bytes' }], [over.exitNum ?? 7n, '0x'])],
  })
  return { l2Sender: e.l2Gateway, to: e.l1Gateway, l2Block: 1n, l1Block: 1n, l2Timestamp: 1n, value: over.value ?? 0n, data }
}

describe('verifyTokenWithdrawalSend: the send must be exactly the token withdrawal the job made', () => {
  it('accepts our withdrawal and returns its exit number', () => {
    expect(verifyTokenWithdrawalSend(send(), expected, 'the L2 RPC')).toEqual({ exitNum: 7n })
  })

  it.each([
    ['another sender than the L2 gateway', { l2Gateway: expected.to }, /sent by .* not by the token's L2 gateway/],
    ['another L1 target than the L1 gateway', { l1Gateway: expected.to }, /goes to .* not to the token's L1 gateway/],
    ['ETH attached', { value: 1n }, /carries 1 wei of ETH/],
    ['another token', { l1Token: expected.to }, /releases token/],
    ['another from', { from: expected.to }, /it is from/],
    ['another recipient', { to: expected.from }, /it pays/],
    ['another amount', { amount: 1n }, /its amount is 1, not/],
    ['not finalizeInboundTransfer', { data: '0xdeadbeef' as const }, /not a finalizeInboundTransfer call/],
  ] as const)('refuses %s, naming the source', (_what, over, message) => {
    const e = (() => {
      try {
        verifyTokenWithdrawalSend(send(over), expected, 'https://l2.example')
      } catch (error) {
        return error
      }
      return undefined
    })()
    expect(e).toBeInstanceOf(ArbUntrustedDataError)
    expect((e as Error).message).toMatch(message)
    expect((e as Error).message).toContain('https://l2.example')
  })
})
