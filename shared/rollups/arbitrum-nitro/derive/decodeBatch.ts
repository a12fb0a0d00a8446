/**
 * One sequencer batch → its ordered L2 messages and transactions. Stages, each in its own file:
 * classify the data (sequencerMessage.ts) → blobs / zero-heavy → brotli → RLP segments (readBatchSegments.ts) →
 * multiplexer with the delayed inbox (multiplexBatch.ts) → L2 message kinds (parseL2Message.ts, parseDelayedMessage.ts).
 *
 * What this can and cannot know from L1 data alone (notes §2.5): which transactions were *ordered*, with their hashes;
 * not which ArbOS later dropped (bad nonce, fee or balance) — that needs state.
 */
import type { Address } from 'viem'
import type { Hex, Kzg } from '../../../l1/kzg'
import { ArbDataNotOnL1Error } from '../errors'
import type { BrotliDecompressor } from './BrotliDecompressor'
import { decodeBatchBlobs } from './decodeBatchBlobs'
import { decodeZeroheavy } from './decodeZeroheavy'
import type { DelayedInboxMessage } from './delayedMessage'
import { BATCH_POSTER_ADDRESS, multiplexBatch, SegmentKind } from './multiplexBatch'
import { parseDelayedMessage } from './parseDelayedMessage'
import { parseL2Message, type L2Transaction } from './parseL2Message'
import { readBatchSegments, MAX_DECOMPRESSED_BATCH_BYTES } from './readBatchSegments'
import { checkDasPayload, dasCertificateProblem } from '../anytrust/dasCertificate'
import { BatchFlag, classifyBatchData, type BatchPayload, type DasCertificate, type SequencerBatchHeader } from './sequencerMessage'

export interface DecodeBatchParameters {
  /** The batch data: flag byte ‖ payload (the `data` argument of addSequencerL2BatchFromOrigin, or 0x50 ‖ hashes). */
  data: Uint8Array
  /** The 40-byte header fields; without them timestamps are not clamped and the delayed count is inferred. */
  header?: SequencerBatchHeader
  delayedMessagesReadBefore?: bigint
  chainId: bigint
  decompressor: BrotliDecompressor
  /** Required for 0x50 batches: the blobs (untrusted; each is verified against its versioned hash here). */
  blobs?: { kzg: Kzg; blobs: readonly Uint8Array[]; source?: string; l1BlockNumber?: number }
  readDelayedMessage?: (index: bigint) => DelayedInboxMessage | undefined
  maxDecompressedBytes?: number
  /**
   * For an AnyTrust batch: the data behind its certificate, from a DAS endpoint (untrusted; checked here against the
   * certificate's data hash, and refused naming `source` when it does not match).
   */
  dasPayload?: { bytes: Uint8Array; source: string }
}

export interface DecodedBatchMessage {
  /** Position of the message within the batch; L2 block = genesis + (messages before the batch) + index. */
  index: number
  source: 'sequencer' | 'delayed' | 'invalid'
  l2Kind?: number
  timestamp?: bigint
  l1BlockNumber?: bigint
  unclampedTimestamp?: bigint
  unclampedL1BlockNumber?: bigint
  delayedIndex?: bigint
  /** The delayed message's data was not supplied, so its transactions are unknown. */
  delayedDataMissing?: boolean
  transactions: L2Transaction[]
  /** Why ArbOS runs nothing from this message. */
  error?: string
  note?: string
}

export interface DecodedBatch {
  header: SequencerBatchHeader | undefined
  payloadKind: BatchPayload['kind']
  flag: number | undefined
  versionedHashes?: Hex[]
  dasCertificate?: DasCertificate
  /** For an AnyTrust batch whose data was given and matched its certificate: where it came from. */
  dasDataSource?: string
  /** false for AnyTrust/custom-DA batches: the messages listed are only the delayed ones (see dataNotOnL1Explanation). */
  dataOnL1: boolean
  decompressedLength: number | undefined
  segmentCount: number
  segmentKindCounts: Record<number, number>
  messages: DecodedBatchMessage[]
  l2MessageKindCounts: Record<number, number>
  transactionCount: number
  warnings: string[]
}

export const DATA_NOT_ON_L1_EXPLANATION =
  'This batch is an AnyTrust (data availability committee) certificate: the transactions themselves are not on Ethereum. ' +
  'Escape Hatch can still force your own transaction through the delayed inbox and prove withdrawals on the Outbox, ' +
  'but it cannot list the other transactions of this batch without the committee’s data.'

export function decodeBatch(params: DecodeBatchParameters): DecodedBatch {
  const warnings: string[] = []
  const payload = classifyBatchData(params.data)
  let segments: Uint8Array[] = []
  let decompressedLength: number | undefined
  let dataOnL1 = true
  const maxBytes = params.maxDecompressedBytes ?? MAX_DECOMPRESSED_BATCH_BYTES

  // Stage 1–3 (arbstate/inbox.go): DA payload → zero-heavy → brotli.
  let brotliInput: Uint8Array | undefined
  let versionedHashes: Hex[] | undefined
  let dasDataSource: string | undefined
  switch (payload.kind) {
    case 'brotli':
      brotliInput = payload.compressed
      break
    case 'zeroheavy': {
      const decoded = decodeZeroheavy(payload.encoded)
      if (decoded[0] === 0) brotliInput = decoded.subarray(1)
      else warnings.push('Zero-heavy data does not decode to a brotli batch; Nitro treats it as empty.')
      break
    }
    case 'blob-hashes': {
      versionedHashes = payload.versionedHashes
      if (!params.blobs) {
        throw new ArbDataNotOnL1Error('This batch is in EIP-4844 blobs; its data is not in the calldata.', {
          kind: 'user-action',
          steps: ['Give a beacon node or blob archive URL (--beacon-url) so the blobs can be fetched and checked against their hashes.'],
          details: `versioned hashes: ${payload.versionedHashes.join(', ')}`,
        })
      }
      const blobData = decodeBatchBlobs({ ...params.blobs, versionedHashes: payload.versionedHashes })
      if (!blobData.ok) warnings.push(`The blobs verify but do not decode (${blobData.reason}); Nitro treats the batch as empty.`)
      else if (blobData.data[0] === 0) brotliInput = blobData.data.subarray(1)
      else if (blobData.data.length > 0) warnings.push(`The blob data has flag 0x${(blobData.data[0] as number).toString(16)}, not brotli; Nitro treats it as empty.`)
      break
    }
    case 'das': {
      const problem = payload.certificate ? dasCertificateProblem(payload.certificate, params.header) : 'the certificate is truncated; Nitro treats the batch as empty'
      if (problem !== undefined) {
        warnings.push(`AnyTrust: ${problem}.`)
        break
      }
      if (!params.dasPayload || !payload.certificate) {
        dataOnL1 = false
        warnings.push(DATA_NOT_ON_L1_EXPLANATION)
        break
      }
      checkDasPayload(payload.certificate, params.dasPayload.bytes, params.dasPayload.source)
      dasDataSource = params.dasPayload.source
      // The recovered payload carries its own flag (arbstate/inbox.go stages 2–3): zero-heavy, then brotli.
      let inner = params.dasPayload.bytes
      if (inner.length > 0 && ((inner[0] as number) & BatchFlag.zeroheavy) === BatchFlag.zeroheavy) inner = decodeZeroheavy(inner.subarray(1))
      if (inner.length > 0 && inner[0] === BatchFlag.brotli) brotliInput = inner.subarray(1)
      else warnings.push(`The DAS data ${inner.length === 0 ? 'is empty' : `has flag 0x${(inner[0] as number).toString(16)}, not brotli`}; Nitro treats the batch as empty.`)
      break
    }
    case 'custom-da':
      dataOnL1 = false
      warnings.push(DATA_NOT_ON_L1_EXPLANATION)
      break
    case 'empty':
      warnings.push('Empty batch data.')
      break
    case 'unsupported-authenticated':
      warnings.push(`Batch flag 0x${payload.flag.toString(16)} is authenticated by L1 but unknown to this decoder (Nitro stops with "node out of date").`)
      dataOnL1 = false
      break
    case 'unknown':
      warnings.push(`Unknown batch flag 0x${payload.flag.toString(16)}; Nitro treats the batch as empty.`)
      break
  }
  if (brotliInput !== undefined) {
    const read = readBatchSegments({ compressed: brotliInput, decompressor: params.decompressor, maxDecompressedBytes: maxBytes })
    segments = read.segments
    decompressedLength = read.decompressedLength
    warnings.push(...read.warnings)
  }

  const before = params.delayedMessagesReadBefore ?? 0n
  const header = params.header ?? permissiveHeader(segments, before)
  const multiplexed = multiplexBatch({
    header,
    segments,
    delayedMessagesReadBefore: before,
    readDelayedMessage: params.readDelayedMessage,
    decompressor: params.decompressor,
  })

  const messages: DecodedBatchMessage[] = multiplexed.map((m, index) => {
    if (m.kind === 'invalid') return { index, source: 'invalid', transactions: [], error: m.reason }
    if (m.kind === 'delayed') {
      const base = { index, source: 'delayed' as const, delayedIndex: m.delayedIndex }
      if (!m.message?.data) return { ...base, delayedDataMissing: true, transactions: [] }
      const parsed = parseDelayedMessage({ ...m.message, data: m.message.data }, params.chainId)
      return {
        ...base,
        l2Kind: parsed.l2Kind,
        timestamp: m.message.timestamp,
        l1BlockNumber: m.message.l1BlockNumber,
        transactions: parsed.transactions,
        error: parsed.error,
        note: parsed.note,
      }
    }
    const parsed = parseL2Message(m.l2Message, {
      poster: BATCH_POSTER_ADDRESS as Address,
      timestamp: m.timestamp,
      requestId: undefined,
      chainId: params.chainId,
    })
    return {
      index,
      source: 'sequencer',
      l2Kind: parsed.l2Kind,
      timestamp: m.timestamp,
      l1BlockNumber: m.l1BlockNumber,
      unclampedTimestamp: m.unclampedTimestamp,
      unclampedL1BlockNumber: m.unclampedL1BlockNumber,
      transactions: parsed.transactions,
      error: parsed.error,
    }
  })

  const segmentKindCounts: Record<number, number> = {}
  for (const s of segments) if (s.length > 0) segmentKindCounts[s[0] as number] = (segmentKindCounts[s[0] as number] ?? 0) + 1
  const l2MessageKindCounts: Record<number, number> = {}
  for (const m of messages) {
    if (m.source === 'sequencer' && m.l2Kind !== undefined) l2MessageKindCounts[m.l2Kind] = (l2MessageKindCounts[m.l2Kind] ?? 0) + 1
  }
  return {
    header: params.header,
    payloadKind: payload.kind,
    flag: payload.kind === 'empty' ? undefined : payload.flag,
    versionedHashes,
    dasCertificate: payload.kind === 'das' ? payload.certificate : undefined,
    ...(dasDataSource === undefined ? {} : { dasDataSource }),
    dataOnL1,
    decompressedLength,
    segmentCount: segments.length,
    segmentKindCounts,
    messages,
    l2MessageKindCounts,
    transactionCount: messages.reduce((n, m) => n + m.transactions.length, 0),
    warnings,
  }
}

/** Without a header: no clamping, and one delayed message per delayed segment (no virtual ones). */
function permissiveHeader(segments: readonly Uint8Array[], before: bigint): SequencerBatchHeader {
  const max = (1n << 64n) - 1n
  const delayedSegments = segments.filter((s) => s[0] === SegmentKind.DelayedMessages).length
  return { minTimestamp: 0n, maxTimestamp: max, minL1Block: 0n, maxL1Block: max, afterDelayedMessagesRead: before + BigInt(delayedSegments) }
}

