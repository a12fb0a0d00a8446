import { describe, expect, it } from 'vitest'
import { bytesToHex, keccak256, zeroAddress, type Hex } from 'viem'
import { decodeBatchSegments, decodeBlobs, decodeRlpUint64, type BatchHeader } from './decodeSequencerBatch'
import { encodeBatchPayload, encodeBlobs, l2MessageFromTransactions } from './encodeSequencerBatch'
import { signedTransactionsOf } from './l2Chain'
import { L1_MESSAGE_KIND } from './l2Types'
import { multiplexBatch, type DelayedMessage } from './multiplexBatch'
import { readVectorJson } from '../../../../fixtures/vectors'

const WIDE: BatchHeader = { minTimestamp: 0n, maxTimestamp: 2n ** 63n, minL1Block: 0n, maxL1Block: 2n ** 63n, afterDelayedMessages: 0n }

function delayedAt(index: bigint): DelayedMessage {
  return { index, kind: L1_MESSAGE_KIND.EthDeposit, sender: zeroAddress, l1BlockNumber: 100n + index, timestamp: 1000n + index, baseFeeL1: 7n, data: new Uint8Array(52) }
}

describe('devnet batch codec and multiplexer', () => {
  it('decodes the real Arbitrum One batch (fixtures/vectors) to its recorded facts', () => {
    const { data } = readVectorJson<{ data: Hex }>('arbitrum/arb1-batch-data.json')
    const segments = decodeBatchSegments(Buffer.from(data.slice(2), 'hex'))
    expect(segments.length).toBe(356)
    const { messages } = multiplexBatch({ header: WIDE, segments, delayedMessagesRead: 0n, readDelayed: () => { throw new Error('no delayed messages in this batch') } })
    expect(messages.length).toBe(278)
    const txs = messages.flatMap((m) => signedTransactionsOf(m.data))
    expect(txs.length).toBe(622)
    expect(keccak256(txs[0] as Hex)).toBe('0x8ce7a27ef1331e8d038ae935c29911d895a4a670139897d2a1b1d3f511574ddf')
    expect(keccak256(txs.at(-1) as Hex)).toBe('0x58b1a8802ec29aaf12333bbbfc854f9bb256324fe8ebfc1ac37bd175b67871aa')
    expect(messages.at(-1)?.timestamp).toBe(1696253835n)
    expect(messages.at(-1)?.l1BlockNumber).toBe(18263190n)
  })

  it('round-trips our own batches through calldata and blobs', () => {
    const txs: Hex[] = ['0x02aa', '0x02bbcc']
    const payload = encodeBatchPayload([
      { kind: 'delayedMessage' },
      { kind: 'advanceTimestamp', delta: 1_700_000_000n },
      { kind: 'advanceL1BlockNumber', delta: 123n },
      { kind: 'l2Message', message: l2MessageFromTransactions(txs) },
    ])
    expect(payload[0]).toBe(0x00)
    const viaBlobs = decodeBlobs(encodeBlobs(payload))
    expect(viaBlobs && bytesToHex(viaBlobs)).toBe(bytesToHex(payload))
    const { messages, delayedMessagesRead } = multiplexBatch({
      header: { ...WIDE, afterDelayedMessages: 1n },
      segments: decodeBatchSegments(payload),
      delayedMessagesRead: 0n,
      readDelayed: delayedAt,
    })
    expect(delayedMessagesRead).toBe(1n)
    expect(messages.map((m) => m.kind)).toEqual([L1_MESSAGE_KIND.EthDeposit, L1_MESSAGE_KIND.L2Message])
    expect(messages[0]?.requestId).toBe(`0x${'0'.repeat(64)}`)
    expect(messages[1]?.timestamp).toBe(1_700_000_000n)
    expect(signedTransactionsOf(messages[1]?.data ?? new Uint8Array())).toEqual(txs)
    // A large payload spans several blobs and still round-trips.
    const big = new Uint8Array(300_000).map((_, i) => (i * 7) % 251)
    const blobs = encodeBlobs(big)
    expect(blobs.length).toBe(3)
    expect(bytesToHex(decodeBlobs(blobs) ?? new Uint8Array())).toBe(bytesToHex(big))
  })

  it('follows Nitro for empty batches, virtual delayed segments, clamping and over-reads', () => {
    // An empty batch that reads nothing new yields exactly one invalid (empty) message.
    const empty = multiplexBatch({ header: { ...WIDE, afterDelayedMessages: 2n }, segments: [], delayedMessagesRead: 2n, readDelayed: delayedAt })
    expect(empty.messages.map((m) => m.kind)).toEqual([L1_MESSAGE_KIND.Invalid])
    // A NoData (forceInclusion) batch emits the delayed messages as virtual segments.
    const forced = multiplexBatch({ header: { ...WIDE, afterDelayedMessages: 3n }, segments: [], delayedMessagesRead: 1n, readDelayed: delayedAt })
    expect(forced.messages.map((m) => m.requestId?.slice(-1))).toEqual(['1', '2'])
    expect(forced.delayedMessagesRead).toBe(3n)
    // Timestamps and L1 blocks are clamped into the header's bounds.
    const clamped = multiplexBatch({
      header: { minTimestamp: 50n, maxTimestamp: 60n, minL1Block: 10n, maxL1Block: 20n, afterDelayedMessages: 0n },
      segments: decodeBatchSegments(encodeBatchPayload([{ kind: 'advanceTimestamp', delta: 99n }, { kind: 'l2Message', message: Uint8Array.of(4) }])),
      delayedMessagesRead: 0n,
      readDelayed: delayedAt,
    })
    expect(clamped.messages[0]?.timestamp).toBe(60n)
    expect(clamped.messages[0]?.l1BlockNumber).toBe(10n)
    // A delayed segment beyond afterDelayedMessages is an invalid message, not a read.
    const over = multiplexBatch({
      header: { ...WIDE, afterDelayedMessages: 0n },
      segments: decodeBatchSegments(encodeBatchPayload([{ kind: 'delayedMessage' }])),
      delayedMessagesRead: 0n,
      readDelayed: () => { throw new Error('must not read') },
    })
    expect(over.messages.map((m) => m.kind)).toEqual([L1_MESSAGE_KIND.Invalid])
  })

  it('treats malformed data as no segments, never as an exception', () => {
    expect(decodeBatchSegments(Uint8Array.of(0x00, 1, 2, 3))).toEqual([])
    expect(decodeBatchSegments(Uint8Array.of(0x88, 1, 2))).toEqual([])
    expect(decodeBlobs([new Uint8Array(5)])).toBeNull()
    expect(decodeRlpUint64(Uint8Array.of(0x82, 0x00, 0x01))).toBeNull() // leading zero
    expect(decodeRlpUint64(Uint8Array.of(0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9))).toBeNull() // > 8 bytes
    expect(decodeRlpUint64(Uint8Array.of(0x7f))).toBe(0x7fn)
  })
})
