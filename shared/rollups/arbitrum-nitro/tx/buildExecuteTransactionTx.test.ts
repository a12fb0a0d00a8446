import { getAddress, keccak256, numberToHex, type Address, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import type { ArbitrumNetwork } from '../network'
import { decodeL2ToL1TxLog, type L2ToL1SendLog } from '../proof/decodeL2ToL1TxLog'
import { verifySendList } from '../proof/verifySendList'
import { buildSendTree } from '../proof/buildSendTree'
import { buildExecuteTransactionTx } from './buildExecuteTransactionTx'
import { buildForceInclusionTx } from './buildForceInclusionTx'
import { buildSendL2MessageTx } from './buildSendL2MessageTx'
import { buildL2WithdrawalTx } from './buildL2WithdrawalTx'
import { decodeFunctionData } from 'viem'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { readVectorJson } from '../../../../fixtures/vectors'

const readJson = (name: string): unknown => readVectorJson(`arbitrum/${name}`)

const arbOne: ArbitrumNetwork = {
  kind: 'arbitrum-nitro', name: 'Arbitrum One', l1ChainId: 1, l2ChainId: 42161,
  contracts: {
    rollup: '0x4DCeB440657f21083db8aDd07665f8ddBe1DCfc0', bridge: '0x8315177aB297bA92A06054cE80a67Ed4DBd7ed3a', inbox: '0x4Dbd4fc535Ac27206064B68FfCf827b0A60BAB3f',
    sequencerInbox: '0x1c479675ad559DC151F6Ec7ed3FbF8ceE79582B6', outbox: '0x0B9857ae2D4A3DBe74ffE1d7DF045bb7F96E4840',
  },
}

describe('buildExecuteTransactionTx on the real Arbitrum One withdrawal', () => {
  const fixture = readJson('sdk-tracing-withdraw.json') as {
    childLogs: { address: Address; topics: Hex[]; data: Hex; transactionHash: Hex }[]
    parentTxByHash: Record<string, { data: Hex; to: Address }>
  }
  const expected = readJson('sdk-tracing-withdraw.expected.json') as { decodedExecuteTransaction: { proof: Hex[] }; expected: { computedSendRoot: Hex; l2TxHash: Hex } }

  it('decodes the L2ToL1Tx log (hash topic = recomputed send hash) and rebuilds the exact L1 calldata that paid out', () => {
    const send = decodeL2ToL1TxLog(fixture.childLogs[0]!)
    expect(send.position).toBe(121n)
    expect(send.l2TransactionHash).toBe(expected.expected.l2TxHash)
    const call = buildExecuteTransactionTx({
      network: arbOne, send, index: send.position, proof: expected.decodedExecuteTransaction.proof, confirmedSendRoot: expected.expected.computedSendRoot,
    })
    const real = Object.values(fixture.parentTxByHash)[0]!
    expect(call.to).toBe(getAddress(real.to))
    expect(call.data).toBe(real.data)
  })

  it('refuses to build with a proof that does not lead to the confirmed root', () => {
    const send = decodeL2ToL1TxLog(fixture.childLogs[0]!)
    expect(() =>
      buildExecuteTransactionTx({ network: arbOne, send, index: send.position, proof: expected.decodedExecuteTransaction.proof, confirmedSendRoot: keccak256('0x00') }),
    ).toThrow(/does not lead to the confirmed send root/)
  })

  it('rejects a log whose hash topic does not match its fields', () => {
    const log = { ...fixture.childLogs[0]! }
    log.topics = [...log.topics]
    log.topics[2] = keccak256('0x01')
    expect(() => decodeL2ToL1TxLog(log)).toThrow(/does not match its own fields/)
  })
})

describe('verifySendList (the untrusted L2 node check)', () => {
  const mk = (i: number): L2ToL1SendLog => {
    const send = { l2Sender: getAddress(numberToHex(i + 1, { size: 20 })), to: getAddress(numberToHex(i + 7, { size: 20 })), l2Block: BigInt(100 + i), l1Block: 50n, l2Timestamp: 1000n, value: BigInt(i), data: '0x' as Hex }
    return { ...send, position: BigInt(i), sendHash: keccak256(numberToHex(i, { size: 32 })), l2TransactionHash: undefined }
  }
  const sends = Array.from({ length: 13 }, (_, i) => mk(i))
  const rootOf9 = buildSendTree(sends.slice(0, 9).map((s) => s.sendHash)).root

  it('finds the confirmed prefix even when the node returns more (newer, unconfirmed) sends', () => {
    const result = verifySendList({ sends: [...sends].reverse(), confirmedSendRoot: rootOf9, source: 'L2 RPC' })
    expect(result.size).toBe(9n)
    expect(result.sends.map((s) => s.position)).toEqual(sends.slice(0, 9).map((s) => s.position))
  })

  it('detects a send list that does not hash to the confirmed root (lying node), naming the source', () => {
    const lying = sends.map((s, i) => (i === 4 ? { ...s, sendHash: keccak256('0xbad') } : s))
    expect(() => verifySendList({ sends: lying, confirmedSendRoot: rootOf9, source: 'http://127.0.0.1:8547' })).toThrow(/127\.0\.0\.1:8547 do not match the send root confirmed on L1/)
    expect(() => verifySendList({ sends: sends.slice(0, 8), confirmedSendRoot: rootOf9, source: 'L2 RPC' })).toThrow(/do not match/)
    expect(() => verifySendList({ sends: sends.filter((_, i) => i !== 3), confirmedSendRoot: rootOf9, source: 'L2 RPC' })).toThrow(/gap or duplicate/)
  })
})

describe('force inclusion and delayed-inbox builders', () => {
  it('forceInclusion carries the last message’s fields with _totalDelayedMessagesRead = index + 1', () => {
    const call = buildForceInclusionTx({
      network: arbOne,
      message: { index: 20777n, kind: 3, sender: '0xAEB7413B16281c9270268f3f5B826c8C59D8C142', l1BlockNumber: 15501442n, timestamp: 1662707807n, baseFeeL1: 11860170152n, messageDataHash: keccak256('0x12') },
    })
    const { functionName, args } = decodeFunctionData({ abi: sequencerInboxAbi, data: call.data })
    expect(functionName).toBe('forceInclusion')
    expect(args).toEqual([20778n, 3, [15501442n, 1662707807n], 11860170152n, '0xAEB7413B16281c9270268f3f5B826c8C59D8C142', keccak256('0x12')])
    expect(call.to).toBe(arbOne.contracts.sequencerInbox)
  })

  it('sendL2Message wraps the signed tx as 0x04 ‖ tx and refuses oversize messages', () => {
    const call = buildSendL2MessageTx({ network: arbOne, signedL2Tx: '0x02abcdef' })
    const { args } = decodeFunctionData({ abi: inboxAbi, data: call.data })
    expect(args).toEqual(['0x0402abcdef'])
    expect(() => buildSendL2MessageTx({ network: arbOne, signedL2Tx: `0x${'00'.repeat(117_964)}` })).toThrow(/too large for the delayed inbox/)
  })

  it('the L2 withdrawal has fee headroom for a day-long wait and no tip', () => {
    const { request, explanation } = buildL2WithdrawalTx({ l2ChainId: 42161, nonce: 7, destination: '0x000000000000000000000000000000000000dEaD', value: 10n ** 18n, currentL2BaseFee: 10_000_000n })
    expect(request).toMatchObject({ chainId: 42161, nonce: 7, to: '0x0000000000000000000000000000000000000064', maxPriorityFeePerGas: 0n, maxFeePerGas: 1_000_000_000n })
    expect(buildL2WithdrawalTx({ l2ChainId: 42161, nonce: 7, destination: '0x000000000000000000000000000000000000dEaD', value: 1n, currentL2BaseFee: 10n ** 9n }).request).toMatchObject({ maxFeePerGas: 20n * 10n ** 9n })
    expect(explanation.join(' ')).toMatch(/not sent to the L2 network/)
  })
})
