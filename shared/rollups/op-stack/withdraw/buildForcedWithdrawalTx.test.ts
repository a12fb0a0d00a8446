import { describe, expect, it } from 'vitest'
import { decodeFunctionData, encodeAbiParameters, encodeEventTopics, toHex, type Hex } from 'viem'
import { l2StandardBridgeAbi } from '../../../../contracts-abi/op-stack/L2StandardBridge'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { readVectorJson } from '../../../../fixtures/vectors'
import { buildForcedErc20WithdrawalTxs, buildForcedEthWithdrawalTx, L2_STANDARD_BRIDGE, minimumDepositGas } from './buildForcedWithdrawalTx'
import { depositL2Transaction } from './depositL2TxHash'
import { ForcedWithdrawalInputError } from './errors'

const portal = '0xbEb5Fc579115071764c7423A4f12eDde41f106Ed'
const user = '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6'
const common = { l1ChainId: 1, portal, networkName: 'OP Mainnet' } as const

describe('buildForcedEthWithdrawalTx', () => {
  it('deposits a call to L2ToL1MessagePasser.initiateWithdrawal with the L2 value, minted ETH as msg.value', () => {
    const c = buildForcedEthWithdrawalTx({ ...common, target: user, amount: 5n, mint: 2n })
    expect(c).toMatchObject({ chainId: 1, to: portal, value: 2n })
    const d = decodeFunctionData({ abi: optimismPortal2Abi, data: c.data })
    expect(d.functionName).toBe('depositTransaction')
    expect(d.args).toEqual(['0x4200000000000000000000000000000000000016', 5n, 150_000n, false, expect.stringMatching(/^0xc2b3e5ac/)])
    expect(c.description).toMatch(/Force a withdrawal of 5 wei from OP Mainnet to 0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6 on L1/)
  })
  it('refuses an L2 gas limit under the portal minimum, and a zero amount', () => {
    expect(() => buildForcedEthWithdrawalTx({ ...common, target: user, amount: 5n, l2GasLimit: 21_000n })).toThrow(/below the portal's minimum of 26280 for this deposit/)
    expect(() => buildForcedEthWithdrawalTx({ ...common, target: user, amount: 5n, l2GasLimit: 24_000n, minimumGasLimit: 23_000n })).not.toThrow()
    expect(() => buildForcedEthWithdrawalTx({ ...common, target: user, amount: 0n })).toThrow(ForcedWithdrawalInputError)
    expect(minimumDepositGas(100)).toBe(25_000n)
  })
})

describe('buildForcedErc20WithdrawalTxs', () => {
  it('builds one deposit per token, each calling L2StandardBridge.withdrawTo from the user', () => {
    const calls = buildForcedErc20WithdrawalTxs({ ...common, target: user, tokens: [{ l2Token: '0x0000000000000000000000000000000000000a11', amount: 3n, symbol: 'AAA' }, { l2Token: '0x0000000000000000000000000000000000000b22', amount: 4n }] })
    expect(calls).toHaveLength(2)
    const [to, value, gas, creation, data] = decodeFunctionData({ abi: optimismPortal2Abi, data: calls[0]!.data }).args as [Hex, bigint, bigint, boolean, Hex]
    expect([to, value, gas, creation]).toEqual([L2_STANDARD_BRIDGE, 0n, 400_000n, false])
    expect(decodeFunctionData({ abi: l2StandardBridgeAbi, data }).args).toEqual(['0x0000000000000000000000000000000000000a11', user, 3n, 200_000, '0x'])
    expect(calls[0]!.description).toMatch(/3 units of AAA/)
  })
  it('refuses a token listed twice and an empty list', () => {
    const t = { l2Token: '0x0000000000000000000000000000000000000a11' as const, amount: 1n }
    expect(() => buildForcedErc20WithdrawalTxs({ ...common, target: user, tokens: [t, t] })).toThrow(/listed twice/)
    expect(() => buildForcedErc20WithdrawalTxs({ ...common, target: user, tokens: [] })).toThrow(/No token/)
  })
})

describe('depositL2Transaction', () => {
  it('rebuilds the L2 hash of a real OP Mainnet deposit from its TransactionDeposited log (viem vector)', () => {
    const v = readVectorJson<{ single: { log: { blockHash: Hex; logIndex: number; from: Hex; to: Hex; opaqueData: Hex }; expected: { l2TransactionHash: Hex; sourceHash: Hex } } }>('op/withdrawals/deposits.json').single
    const topics = encodeEventTopics({ abi: optimismPortal2Abi, eventName: 'TransactionDeposited', args: { from: v.log.from, to: v.log.to, version: 0n } }) as Hex[]
    const data = encodeAbiParameters([{ type: 'bytes' }], [v.log.opaqueData])
    const r = depositL2Transaction({ topics, data, blockHash: v.log.blockHash, logIndex: v.log.logIndex })
    expect(r.l2TransactionHash).toBe(v.expected.l2TransactionHash)
    expect(r.deposit.sourceHash).toBe(v.expected.sourceHash)
    expect(toHex(r.deposit.value)).toBe('0x45')
  })
})
