import { keccak256, type Address, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { accumulateDelayedMessage, hashDelayedMessage } from './delayedMessage'
import { parseDelayedMessage } from './parseDelayedMessage'
import { decodeMessageDeliveredLog, withCheckedMessageData } from './readDelayedMessageLogs'
import { readVectorJson } from '../../../../fixtures/vectors'

const readJson = (name: string): unknown => readVectorJson(`arbitrum/${name}`)

describe('the real Arbitrum One ETH deposit (vectors/arbitrum/sdk-tracing-deposit.json)', () => {
  const fixture = readJson('sdk-tracing-deposit.json') as { parentLogs: { address: Address; topics: Hex[]; data: Hex; blockNumber: number; transactionHash: Hex }[] }
  const expected = (readJson('sdk-tracing-deposit.expected.json') as { expected: Record<string, unknown> }).expected as {
    messageDelivered: { messageIndex: string; kind: number; sender: string; messageDataHash: Hex; baseFeeL1: string; timestamp: string; l1BlockNumber: number }
    messageData: Hex
    l2DepositTx: { hash: Hex; rawTransaction: Hex; value: string; to: string }
  }
  const log = fixture.parentLogs[0]!
  const delivered = decodeMessageDeliveredLog({ ...log, blockNumber: BigInt(log.blockNumber) })

  it('decodes MessageDelivered with the L1 block taken from the log', () => {
    expect(delivered.index).toBe(BigInt(expected.messageDelivered.messageIndex))
    expect(delivered.kind).toBe(12)
    expect(delivered.sender.toLowerCase()).toBe(expected.messageDelivered.sender)
    expect(delivered.messageDataHash).toBe(expected.messageDelivered.messageDataHash)
    expect(delivered.baseFeeL1).toBe(BigInt(expected.messageDelivered.baseFeeL1))
    expect(delivered.timestamp).toBe(BigInt(expected.messageDelivered.timestamp))
    expect(delivered.l1BlockNumber).toBe(BigInt(expected.messageDelivered.l1BlockNumber))
  })

  it('checks the message data against messageDataHash and gives the real L2 deposit tx hash', () => {
    const message = withCheckedMessageData(delivered, expected.messageData)
    expect(keccak256(message.data)).toBe(delivered.messageDataHash)
    const parsed = parseDelayedMessage(message, 42161n)
    expect(parsed.error).toBeUndefined()
    expect(parsed.transactions).toHaveLength(1)
    expect(parsed.transactions[0]?.hash).toBe(expected.l2DepositTx.hash)
    expect(parsed.transactions[0]?.raw).toBe(expected.l2DepositTx.rawTransaction)
    expect(parsed.transactions[0]?.value).toBe(BigInt(expected.l2DepositTx.value))
  })

  it('refuses data that does not hash to messageDataHash', () => {
    const tampered = `${expected.messageData.slice(0, -2)}ff` as Hex
    expect(() => withCheckedMessageData(delivered, tampered)).toThrow(/does not hash to the messageDataHash/)
  })

  it('chains the accumulator from beforeInboxAcc with the 133-byte message hash', () => {
    const messageHash = hashDelayedMessage(delivered)
    expect(accumulateDelayedMessage(delivered.beforeInboxAcc, messageHash)).toMatch(/^0x[0-9a-f]{64}$/)
    // Any field change changes the hash, so forceInclusion's preimage check would reject it.
    expect(hashDelayedMessage({ ...delivered, l1BlockNumber: delivered.l1BlockNumber + 1n })).not.toBe(messageHash)
  })
})
