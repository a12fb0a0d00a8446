import { brotliDecompressSync } from 'node:zlib'
import { numberToHex, type Address, type Hex } from 'viem'
import type { BatchHeader } from './decodeSequencerBatch'
import { decodeRlpUint64 } from './decodeSequencerBatch'
import { SEGMENT_KIND } from './encodeSequencerBatch'
import { SEQUENCER_POSTER } from './l2Chain'
import { L1_MESSAGE_KIND, type L2IncomingMessage } from './l2Types'

// Deliberately independent of shared/rollups/arbitrum-nitro/derive: the devnet plays the part of a third-party
// node (Nitro), so the app's decoder is tested against a separate implementation of the same rules
// (electron/devnet/arbitrum/appInterop.test.ts) instead of agreeing with itself.
/**
 * The inbox multiplexer (nitro arbstate/inbox.go Pop / getNextMsg / IsCachedSegementLast; notes §2.4): turns one
 * batch's segments plus the delayed inbox into the ordered L2 messages, copying Nitro's rules exactly —
 * advance segments accumulate from 0 per batch and are clamped into the header's bounds; "virtual" delayed segments
 * are read after the last segment until afterDelayedMessages; every batch yields at least one message; a bad
 * segment yields an invalid (empty) message.
 */
export interface DelayedMessage {
  index: bigint
  kind: number
  sender: Address
  l1BlockNumber: bigint
  timestamp: bigint
  baseFeeL1: bigint
  data: Uint8Array
}

export interface MultiplexBatchParameters {
  header: BatchHeader
  segments: readonly Uint8Array[]
  /** Delayed messages read before this batch. */
  delayedMessagesRead: bigint
  readDelayed(index: bigint): DelayedMessage
}

const MAX_L2_MESSAGE_SIZE = 256 * 1024

function invalidMessage(afterDelayed: bigint): L2IncomingMessage {
  return {
    kind: L1_MESSAGE_KIND.Invalid,
    poster: SEQUENCER_POSTER,
    l1BlockNumber: 0n,
    timestamp: 0n,
    requestId: null,
    l1BaseFee: 0n,
    data: new Uint8Array(0),
    delayedMessagesRead: afterDelayed,
  }
}

function clamp(value: bigint, min: bigint, max: bigint): bigint {
  return value < min ? min : value > max ? max : value
}

export function multiplexBatch(p: MultiplexBatchParameters): { messages: L2IncomingMessage[]; delayedMessagesRead: bigint } {
  const { header, segments } = p
  const messages: L2IncomingMessage[] = []
  let delayedRead = p.delayedMessagesRead
  let segmentNum = 0
  let timestamp = 0n
  let blockNumber = 0n

  for (;;) {
    // getNextMsg: skip advance segments (and empty ones)
    while (segmentNum < segments.length) {
      const segment = segments[segmentNum] as Uint8Array
      if (segment.length === 0) {
        segmentNum++
        continue
      }
      const kind = segment[0]
      if (kind === SEGMENT_KIND.AdvanceTimestamp || kind === SEGMENT_KIND.AdvanceL1BlockNumber) {
        const advancing = decodeRlpUint64(segment.subarray(1))
        if (advancing !== null) {
          if (kind === SEGMENT_KIND.AdvanceTimestamp) timestamp += advancing
          else blockNumber += advancing
        }
        segmentNum++
        continue
      }
      break
    }
    const msgTimestamp = clamp(timestamp, header.minTimestamp, header.maxTimestamp)
    const msgBlockNumber = clamp(blockNumber, header.minL1Block, header.maxL1Block)
    const segment = segmentNum >= segments.length ? Uint8Array.of(SEGMENT_KIND.DelayedMessages) : (segments[segmentNum] as Uint8Array)
    let message: L2IncomingMessage | null = null
    const kind = segment[0]
    if (kind === SEGMENT_KIND.L2Message || kind === SEGMENT_KIND.L2MessageBrotli) {
      let body: Uint8Array | null = segment.subarray(1)
      if (kind === SEGMENT_KIND.L2MessageBrotli) {
        try {
          body = brotliDecompressSync(body, { maxOutputLength: MAX_L2_MESSAGE_SIZE })
        } catch {
          body = null // nitro drops a message that does not decompress
        }
      }
      if (body) {
        message = {
          kind: L1_MESSAGE_KIND.L2Message,
          poster: SEQUENCER_POSTER,
          l1BlockNumber: msgBlockNumber,
          timestamp: msgTimestamp,
          requestId: null,
          l1BaseFee: 0n,
          data: body,
          delayedMessagesRead: delayedRead,
        }
      }
    } else if (kind === SEGMENT_KIND.DelayedMessages) {
      if (delayedRead >= header.afterDelayedMessages) {
        message = invalidMessage(header.afterDelayedMessages)
      } else {
        const delayed = p.readDelayed(delayedRead)
        delayedRead += 1n
        message = {
          kind: delayed.kind,
          poster: delayed.sender,
          l1BlockNumber: delayed.l1BlockNumber,
          timestamp: delayed.timestamp,
          requestId: numberToHex(delayed.index, { size: 32 }) as Hex,
          l1BaseFee: delayed.baseFeeL1,
          data: delayed.data,
          delayedMessagesRead: delayedRead,
        }
      }
    }
    messages.push(message ?? invalidMessage(header.afterDelayedMessages))

    // IsCachedSegementLast
    let last = delayedRead >= header.afterDelayedMessages
    if (last) {
      for (let i = segmentNum + 1; i < segments.length; i++) {
        const s = segments[i] as Uint8Array
        if (s.length === 0) continue
        if (s[0] === SEGMENT_KIND.L2Message || s[0] === SEGMENT_KIND.L2MessageBrotli || s[0] === SEGMENT_KIND.DelayedMessages) {
          last = false
          break
        }
      }
    }
    if (last) return { messages, delayedMessagesRead: delayedRead }
    segmentNum++
  }
}
