/**
 * Segments of one batch + the delayed inbox → the ordered L2 messages (one message = one L2 block), copying nitro
 * arbstate/inbox.go inboxMultiplexer (Pop, IsCachedSegementLast, getNextMsg; notes §2.3, §2.4). The rules that matter:
 * - every batch yields at least one message (an invalid one if nothing else);
 * - after the last real segment, "virtual" delayed segments are read until afterDelayedMessagesRead is reached — this is
 *   how a NoData force-inclusion batch emits the forced messages;
 * - the running timestamp and L1 block start at 0 in every batch and are clamped into the header bounds on output;
 * - a delayed segment past afterDelayedMessagesRead, an unknown segment kind, an empty segment or a bad brotli
 *   sub-message yield an invalid message (an empty L2 block).
 */
import type { Address } from 'viem'
import type { BrotliDecompressor } from './BrotliDecompressor'
import type { DelayedInboxMessage } from './delayedMessage'
import { decode as decodeRlp } from '@ethereumjs/rlp'
import { MAX_L2_MESSAGE_SIZE } from './parseL2Message'
import type { SequencerBatchHeader } from './sequencerMessage'
import { ArbBatchFormatError } from '../errors'

export const SegmentKind = {
  L2Message: 0,
  L2MessageBrotli: 1,
  DelayedMessages: 2,
  AdvanceTimestamp: 3,
  AdvanceL1BlockNumber: 4,
} as const

/** l1pricing.BatchPosterAddress: the poster of every sequencer-made message ("sequencer" in ASCII). */
export const BATCH_POSTER_ADDRESS: Address = '0xA4B000000000000000000073657175656e636572'

export type BatchMessage =
  | {
      kind: 'sequencer'
      segmentIndex: number
      l2Message: Uint8Array
      /** The segment was kind 1 (brotli-compressed L2 message). */
      compressed: boolean
      timestamp: bigint
      l1BlockNumber: bigint
      unclampedTimestamp: bigint
      unclampedL1BlockNumber: bigint
      delayedMessagesRead: bigint
    }
  | {
      kind: 'delayed'
      delayedIndex: bigint
      /** undefined when the caller did not supply the delayed inbox (e.g. decoding a file offline). */
      message: DelayedInboxMessage | undefined
      /** true for a delayed message read after the last real segment (force inclusion, notes §2.4). */
      virtual: boolean
      delayedMessagesRead: bigint
    }
  | { kind: 'invalid'; reason: string; delayedMessagesRead: bigint }

export interface MultiplexBatchParameters {
  header: SequencerBatchHeader
  segments: readonly Uint8Array[]
  /** Delayed messages read before this batch (the previous batch's afterDelayedMessagesRead). */
  delayedMessagesReadBefore: bigint
  readDelayedMessage?: (index: bigint) => DelayedInboxMessage | undefined
  /** Needed only for kind-1 segments. */
  decompressor?: BrotliDecompressor
  /** Refuse batches that claim more than this many delayed messages (a bound against hostile input). */
  maxDelayedMessages?: bigint
}

export function multiplexBatch(params: MultiplexBatchParameters): BatchMessage[] {
  const { header, segments } = params
  const maxDelayed = params.maxDelayedMessages ?? 1_000_000n
  if (header.afterDelayedMessagesRead > params.delayedMessagesReadBefore + maxDelayed) {
    throw new ArbBatchFormatError('This batch claims more delayed messages than this decoder will read.', {
      details: `afterDelayedMessagesRead ${header.afterDelayedMessagesRead}, read before ${params.delayedMessagesReadBefore}`,
    })
  }
  let delayedRead = params.delayedMessagesReadBefore
  let segmentNum = 0
  let timestamp = 0n
  let blockNumber = 0n
  let submessageNumber = 0
  const out: BatchMessage[] = []

  for (let position = 0; ; position++) {
    // getNextMsg: skip advance segments (applying them) and the sub-messages already returned.
    let seg = segmentNum
    let ts = timestamp
    let bn = blockNumber
    let sub = submessageNumber
    while (seg < segments.length) {
      const segment = segments[seg] as Uint8Array
      if (segment.length === 0) {
        seg++
        continue
      }
      const kind = segment[0]
      if (kind === SegmentKind.AdvanceTimestamp || kind === SegmentKind.AdvanceL1BlockNumber) {
        const advance = readRlpUint64(segment.subarray(1))
        if (advance !== undefined) {
          if (kind === SegmentKind.AdvanceTimestamp) ts += advance
          else bn += advance
        }
        seg++
      } else if (sub < position) {
        seg++
        sub++
      } else {
        break
      }
    }
    segmentNum = seg
    timestamp = ts
    blockNumber = bn
    submessageNumber = sub
    const clampedTs = ts < header.minTimestamp ? header.minTimestamp : ts > header.maxTimestamp ? header.maxTimestamp : ts
    const clampedBn = bn < header.minL1Block ? header.minL1Block : bn > header.maxL1Block ? header.maxL1Block : bn

    const virtual = seg >= segments.length
    const segment = virtual ? Uint8Array.of(SegmentKind.DelayedMessages) : (segments[seg] as Uint8Array)
    let message: BatchMessage
    if (segment.length === 0) {
      message = { kind: 'invalid', reason: 'empty segment', delayedMessagesRead: delayedRead }
    } else {
      const kind = segment[0] as number
      const body = segment.subarray(1)
      if (kind === SegmentKind.L2Message || kind === SegmentKind.L2MessageBrotli) {
        let l2Message: Uint8Array | undefined = body
        if (kind === SegmentKind.L2MessageBrotli) {
          const result = params.decompressor?.decompress(body, MAX_L2_MESSAGE_SIZE)
          l2Message = result?.ok ? result.data : undefined
        }
        message =
          l2Message === undefined
            ? { kind: 'invalid', reason: 'brotli-compressed L2 message could not be decompressed', delayedMessagesRead: delayedRead }
            : {
                kind: 'sequencer',
                segmentIndex: seg,
                l2Message,
                compressed: kind === SegmentKind.L2MessageBrotli,
                timestamp: clampedTs,
                l1BlockNumber: clampedBn,
                unclampedTimestamp: ts,
                unclampedL1BlockNumber: bn,
                delayedMessagesRead: delayedRead,
              }
      } else if (kind === SegmentKind.DelayedMessages) {
        if (delayedRead >= header.afterDelayedMessagesRead) {
          message = { kind: 'invalid', reason: 'delayed segment past the batch’s delayed message count', delayedMessagesRead: header.afterDelayedMessagesRead }
        } else {
          const index = delayedRead
          delayedRead += 1n
          message = { kind: 'delayed', delayedIndex: index, message: params.readDelayedMessage?.(index), virtual, delayedMessagesRead: delayedRead }
        }
      } else {
        message = { kind: 'invalid', reason: `unknown segment kind ${kind}`, delayedMessagesRead: delayedRead }
      }
    }
    out.push(message)

    if (isLastSegment(segments, segmentNum, delayedRead, header.afterDelayedMessagesRead)) return out
  }
}

/** inboxMultiplexer.IsCachedSegementLast */
function isLastSegment(segments: readonly Uint8Array[], segmentNum: number, delayedRead: bigint, afterDelayed: bigint): boolean {
  if (delayedRead < afterDelayed) return false
  for (let i = segmentNum + 1; i < segments.length; i++) {
    const segment = segments[i] as Uint8Array
    if (segment.length === 0) continue
    const kind = segment[0]
    if (kind === SegmentKind.L2Message || kind === SegmentKind.L2MessageBrotli || kind === SegmentKind.DelayedMessages) return false
  }
  return true
}

/** rlp.NewStream(rd, 16).Uint64(): a canonical RLP integer of at most 8 bytes. */
function readRlpUint64(bytes: Uint8Array): bigint | undefined {
  try {
    const { data } = decodeRlp(bytes, true)
    if (!(data instanceof Uint8Array) || data.length > 8) return undefined
    if (data.length > 0 && data[0] === 0) return undefined
    let v = 0n
    for (const b of data) v = (v << 8n) | BigInt(b)
    return v
  } catch {
    return undefined
  }
}
